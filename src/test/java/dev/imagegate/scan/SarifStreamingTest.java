package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.github.SourceLocation;
import dev.imagegate.github.SourceLocations;
import dev.imagegate.scan.report.SarifTreeReference;
import dev.imagegate.scan.report.SarifWriter;
import dev.imagegate.scan.report.ScanReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan.sarif} is streamed with a JsonGenerator (no JSON tree of every finding in memory): the document must be
 * byte for byte the one the tree-building writer wrote before ({@link SarifTreeReference}), for the findings of a real
 * scan (the inventory of {@link InventoryEndToEndTest}'s image matched against the real OSV records of the test data:
 * Debian and Maven findings, shared rules) and with secrets that block and one that is allowed.
 */
class SarifStreamingTest {
  @TempDir Path tmp;
  private Path out;
  private ScanReport report;

  @BeforeEach
  void scan() throws Exception {
    out = tmp.resolve("target/imagegate");
    report = InventoryEndToEndTest.scanned(tmp, out).report();
    assertTrue(report.findings().size() >= 3, "findings to put in the report: " + report.findings());
    assertTrue(report.findings().stream().anyMatch(f -> f.ecosystem().equals("Maven")) && report.findings().stream().anyMatch(f -> !f.ecosystem().equals("Maven")),
        "Maven and OS findings: " + report.findings());
  }

  private String streamed(ScanReport r, SourceLocations sources) throws Exception {
    SarifWriter.write(out, r, "0.1.0-test", sources);
    return Files.readString(out.resolve(SarifWriter.FILE_NAME));
  }

  private static String before(ScanReport r, SourceLocations sources) throws Exception {
    return new String(SarifTreeReference.render(r, "0.1.0-test", sources), StandardCharsets.UTF_8);
  }

  @Test
  void theStreamedSarifOfARealScanIsTheDocumentTheTreeWriterWrote() throws Exception {
    // what the scan itself wrote (its request names no repository lines) is that document
    assertEquals(before(report, SourceLocations.NONE), Files.readString(out.resolve(SarifWriter.FILE_NAME)));
    assertEquals(before(report, SourceLocations.NONE), streamed(report, SourceLocations.NONE));
  }

  @Test
  void withRepositoryLinesAndSecretsTooTheDocumentIsTheSame() throws Exception {
    Map<String, SourceLocation> declared = new HashMap<>();
    for (ScanReport.FindingEntry f : report.findings()) {
      declared.put(f.packageName(), new SourceLocation("app/pom.xml", 40 + declared.size()));
    }
    SourceLocations sources = new SourceLocations(tmp, declared, new SourceLocation("app/pom.xml", 77), new SourceLocation("app/pom.xml", 60), List.of());
    String layer = report.digest();
    List<ScanReport.SecretEntry> secrets = List.of(
        new ScanReport.SecretEntry(layer, "/app/resources/app.properties", 3, "AWS Access Key", "25910f981e85ca04baf359199dd0bd4a3ae738b6", true, null),
        new ScanReport.SecretEntry(layer, "/app/resources/app.properties", 4, "Secret Keyword", "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", true, null),
        new ScanReport.SecretEntry(layer, "/app/resources/other.properties", 1, "AWS Access Key", "7c4a8d09ca3762af61e59520943dc26494f8941b", true, null),
        new ScanReport.SecretEntry(layer, "/etc/base.conf", 2, "AWS Access Key", "b1b3773a05c0ed0176787a4f1574ff0075f7521e", false, "b1b3773a05c0ed0176787a4f1574ff0075f7521e"));
    ScanReport withSecrets = new ScanReport(report.schemaVersion(), report.digest(), report.image(), report.scannedAt(), report.os(), report.database(),
        report.policy(), report.summary(), report.findings(), report.suppressed(), report.packages(), report.warnings(), secrets, List.of(), report.jars(),
        report.platforms());
    String expected = before(withSecrets, sources);
    assertTrue(expected.contains("secret/aws-access-key") && expected.contains("secret/secret-keyword"), expected);
    assertEquals(expected, streamed(withSecrets, sources));
  }
}
