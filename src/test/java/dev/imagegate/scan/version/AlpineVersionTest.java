package dev.imagegate.scan.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AlpineVersion} against apk-tools' own test vectors: {@code src/test/resources/version/apk-tools-version.data} is
 * {@code test/unit/version.data} of alpinelinux/apk-tools (commit 90b974fd), read the way its {@code version_test.c}
 * reads it: {@code ver1 op ver2} (op among {@code < > = <= >=}, {@code !} negates), a lone {@code version} must be
 * valid, {@code !version} invalid. The fuzzy {@code ~} operators are dependency matching, not ordering: skipped.
 */
class AlpineVersionTest {
  private static final Path DATA = Path.of("src/test/resources/version/apk-tools-version.data");

  @Test
  void everyOrderingAndValidityVectorOfApkTools() throws Exception {
    List<String> failures = new ArrayList<>();
    int pairs = 0;
    int validity = 0;
    for (String raw : Files.readAllLines(DATA, StandardCharsets.UTF_8)) {
      int hash = raw.indexOf('#');
      String line = (hash < 0 ? raw : raw.substring(0, hash)).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length == 3) {
        String op = parts[1];
        boolean invert = op.startsWith("!");
        op = invert ? op.substring(1) : op;
        if (op.contains("~")) {
          continue;
        }
        int c = AlpineVersion.compare(parts[0], parts[2]);
        boolean ok = (op.contains("<") && c < 0) || (op.contains(">") && c > 0) || (op.contains("=") && c == 0);
        if (ok == invert) {
          failures.add(line + " (compare gave " + c + ")");
        }
        pairs++;
      } else if (parts.length == 1) {
        boolean invert = line.startsWith("!");
        String v = invert ? line.substring(1) : line;
        if (AlpineVersion.valid(v) == invert) {
          failures.add(line + " (validity)");
        }
        validity++;
      } else {
        failures.add("unreadable vector: " + line);
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(pairs >= 700, "only " + pairs + " ordering vectors read");
    assertTrue(validity >= 25, "only " + validity + " validity vectors read");
  }

  @Test
  void symmetricAndWhatAlpineAdvisoriesNeed() {
    // the versions of real Alpine OSV ranges: openssl in v3.18 fixed CVE-2023-5363 in 3.1.4-r0
    assertTrue(AlpineVersion.compare("3.1.3-r0", "3.1.4-r0") < 0);
    assertTrue(AlpineVersion.compare("3.1.4-r0", "3.1.4-r0") == 0);
    assertTrue(AlpineVersion.compare("3.1.4-r1", "3.1.4-r0") > 0);
    assertTrue(AlpineVersion.compare("1.36.1-r2", "1.36.1-r15") < 0, "revisions are numbers, not strings");
    assertTrue(AlpineVersion.compare("3.0.12_rc1-r0", "3.0.12-r0") < 0);
    assertTrue(AlpineVersion.compare("1.1.1w-r1", "1.1.1t-r0") > 0, "letters after the last number");
    // "0" of an OSV introduced event is below every real version
    for (String v : List.of("0.1", "1.0_alpha", "20230506-r0", "3.1.4-r0")) {
      assertTrue(AlpineVersion.compare("0", v) < 0, v);
      assertTrue(AlpineVersion.compare(v, "0") > 0, v);
    }
  }
}
