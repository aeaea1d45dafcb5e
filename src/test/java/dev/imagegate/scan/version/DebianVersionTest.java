package dev.imagegate.scan.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DebianVersionTest {

  @Test
  void factsFromDebVersion7() {
    assertTrue(cmp("1.0~rc1", "1.0") < 0);
    assertTrue(cmp("3.0.11-1~deb12u2", "3.0.11-1") < 0);
    assertTrue(cmp("1.0", "1.0+deb12u1") < 0);
    assertTrue(cmp("2.36-9+deb12u4", "2.36-9+deb12u10") < 0);
    assertTrue(cmp("1:0.9", "2.0") > 0);
    assertTrue(cmp("1.0a", "1.0+") < 0);
    assertEquals(0, cmp("1.01", "1.1"));
    assertEquals(0, cmp("1.0", "1.0-0"));
    assertTrue(cmp("1.0~~", "1.0~") < 0);
    assertTrue(cmp("1.0-1", "1.0-1.1") < 0);
    assertTrue(cmp("99999999999999999999999", "99999999999999999999998") > 0);
  }

  @Test
  void maven() {
    assertTrue(VersionScheme.MAVEN.compare("1-snapshot", "1") < 0);
    assertTrue(VersionScheme.MAVEN.compare("1", "1-sp") < 0);
    assertTrue(VersionScheme.MAVEN.compare("2.0-rc1", "2.0") < 0);
    assertEquals(0, VersionScheme.MAVEN.compare("1.ga", "1.0"));
    assertTrue(VersionScheme.MAVEN.compare("2.0-beta9", "2.14.1") < 0);
    assertTrue(VersionScheme.MAVEN.compare("2.14.1", "2.15.0") < 0);
  }

  /** The oracle: dpkg itself, on every pair drawn from the machine's installed versions plus tricky hand-made ones. */
  @Test
  void agreesWithDpkgOnManyPairs() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is not installed");
    List<String> versions = new ArrayList<>(List.of("1.0~rc1", "1.0", "1.0+deb12u1", "1:0.9", "2.0", "1.0a", "1.0+", "1.01", "1.1",
        "1.0-0", "3.0.11-1~deb12u2", "3.0.11-1", "2.36-9+deb12u4", "2.36-9+deb12u10", "0", "0~", "a", "A", "1.0-1~bpo1", "1:1.2.13.dfsg-1",
        "1.2.13.dfsg-1", "2:1.0", "1.0.0", "1..0", "1.0-a-b", "1.0-a~b", "9.9.9+really1.0", "20230311", "2023.03.11-1", "1.0~beta.1",
        // Ubuntu's revisions (the real ones of CVE-2023-0286's jammy and bionic openssl ranges)
        "3.0.2-0ubuntu1.7", "3.0.2-0ubuntu1.8", "3.0.2-0ubuntu1.10", "1.1.1l-1ubuntu1", "3.0.0-1ubuntu1", "1.1.1-1ubuntu2.1~18.04.21",
        "1.1.1-1ubuntu2.1~18.04.3", "1.0.2g-1ubuntu4.20+esm6", "1.0.2g-1ubuntu4.20", "1:1.2.11.dfsg-2ubuntu9.2", "2.35-0ubuntu3.1",
        "12.22.9~dfsg-1ubuntu3.3"));
    Process q = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}\n").redirectErrorStream(true).start();
    String installed = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    q.waitFor();
    installed.lines().filter(l -> !l.isBlank()).distinct().limit(120).forEach(versions::add);
    Random rnd = new Random(42);
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      pairs.add(new String[] {versions.get(i), versions.get((i + 1) % versions.size())});
      pairs.add(new String[] {versions.get(i), versions.get(rnd.nextInt(versions.size()))});
    }
    // one shell, many dpkg calls: prints lt/eq/gt per pair
    StringBuilder script = new StringBuilder();
    for (String[] p : pairs) {
      script.append("if dpkg --compare-versions '").append(p[0]).append("' lt '").append(p[1]).append("'; then echo lt; elif dpkg --compare-versions '")
          .append(p[0]).append("' eq '").append(p[1]).append("'; then echo eq; else echo gt; fi\n");
    }
    Process sh = new ProcessBuilder("sh", "-c", script.toString()).start();
    List<String> answers = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, sh.waitFor());
    assertEquals(pairs.size(), answers.size());
    int checked = 0;
    for (int i = 0; i < pairs.size(); i++) {
      int c = Integer.signum(cmp(pairs.get(i)[0], pairs.get(i)[1]));
      String ours = c < 0 ? "lt" : c == 0 ? "eq" : "gt";
      assertEquals(answers.get(i), ours, "dpkg and we disagree on " + pairs.get(i)[0] + " vs " + pairs.get(i)[1]);
      checked++;
    }
    assertTrue(checked >= 100, "compared only " + checked + " pairs");
  }

  private static int cmp(String a, String b) {
    return DebianVersion.ORDER.compare(a, b);
  }

  static String unused() throws IOException {
    return "";
  }
}
