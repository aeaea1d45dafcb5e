package dev.imagegate.scan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.scan.osv.Finding;
import dev.imagegate.scan.osv.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The console table for every mix of rows the policy can leave: blocking, non-blocking (failOn=CRITICAL on a HIGH
 * finding, or a .trivyignore'd finding's neighbour), with and without a fix. It used to throw
 * MissingFormatWidthException ("%-0s") whenever no row was BLOCKING, because the header of that column is empty.
 */
class ConsoleTableTest {

  private static Finding finding(String id, String pkg, Severity severity, String fixed) {
    return new Finding(id, List.of(), pkg, null, "Maven", "2.14.1", fixed, severity, "ghsa", 0, "t", List.of("app/libs/x.jar"));
  }

  private static final Finding LOG4J =
      finding("CVE-2021-44228", "org.apache.logging.log4j:log4j-core", Severity.CRITICAL, "2.15.0");
  private static final Finding LOG4J_DOS =
      finding("CVE-2021-45105", "org.apache.logging.log4j:log4j-core", Severity.HIGH, "2.17.0");
  private static final Finding UNFIXED = finding("CVE-2020-9488", "org.apache.logging.log4j:log4j-core", Severity.LOW, null);

  @Test
  void noBlockingRowStillPrintsTheTable() {
    List<String> lines = ConsoleTable.render(List.of(LOG4J_DOS), Set.of());
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(2).contains("CVE-2021-45105"), lines.get(2));
    assertTrue(lines.get(2).endsWith("2.17.0"), "no trailing blanks for the empty BLOCKING cell: '" + lines.get(2) + "'");
  }

  @Test
  void everyMixOfBlockingAndNonBlockingRowsPrints() {
    List<Finding> all = List.of(LOG4J, LOG4J_DOS, UNFIXED);
    // every subset of rows, each with every subset of them blocking
    for (int rows = 0; rows < 8; rows++) {
      List<Finding> reported = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if ((rows & (1 << i)) != 0) {
          reported.add(all.get(i));
        }
      }
      for (int blockingMask = 0; blockingMask < 8; blockingMask++) {
        java.util.Set<String> blocking = new java.util.HashSet<>();
        for (int i = 0; i < reported.size(); i++) {
          if ((blockingMask & (1 << i)) != 0) {
            blocking.add(reported.get(i).id() + "|" + reported.get(i).pkg());
          }
        }
        List<String> lines = ConsoleTable.render(reported, blocking);
        assertEquals(reported.isEmpty() ? 0 : reported.size() + 2, lines.size(), "rows " + rows + ", blocking " + blockingMask);
        long marked = lines.stream().filter(l -> l.endsWith("BLOCKING")).count();
        assertEquals(blocking.size(), marked, String.join("\n", lines));
      }
    }
  }

  @Test
  void columnsLineUp() {
    List<String> lines = ConsoleTable.render(List.of(LOG4J, UNFIXED), Set.of(LOG4J.id() + "|" + LOG4J.pkg()));
    int vulnColumn = lines.get(0).indexOf("Vulnerability");
    assertEquals(vulnColumn, lines.get(2).indexOf("CVE-2021-44228"));
    assertEquals(vulnColumn, lines.get(3).indexOf("CVE-2020-9488"));
    assertTrue(lines.get(3).contains("(no fix)"));
  }
}
