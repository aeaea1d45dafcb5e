package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogLineTest {
  private static final String DIGEST = "sha256:cf7d8085b4c2e1f0a9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6";

  @Test
  void digestsAreShortenedExceptInTheGoalsSummaryLine() {
    assertEquals("Signed r/app@sha256:cf7d8085b4c2… -> sha256-cf7d.sig", LogLine.shortDigests("Signed r/app@" + DIGEST + " -> sha256-cf7d.sig"));
    assertEquals("imagegate:push " + DIGEST + " to 2 target(s)", LogLine.shortDigests("imagegate:push " + DIGEST + " to 2 target(s)"));
    assertEquals("imagegate:sign " + DIGEST + "\n  with key.pem (sha256:cf7d8085b4c2…)",
        LogLine.shortDigests("imagegate:sign " + DIGEST + "\n  with key.pem (" + DIGEST + ")"), "only the summary's first line keeps it");
    assertEquals("imagegate:gitops-update: gate off: sha256:cf7d8085b4c2…", LogLine.shortAllDigests("imagegate:gitops-update: gate off: " + DIGEST));
  }

  @Test
  void identifiersCountAsAShortDigestProseCountsWhole() {
    assertEquals("[INFO] push ".length() + 12, LogLine.width("[INFO] push " + DIGEST));
    assertEquals("see ".length() + 12, LogLine.width("see /work/a/very/long/path/to/target/imagegate/push.json"));
    assertEquals(12 + 1 + 12, LogLine.width("arn:aws:sts::123456789012:assumed-role/ci/x 0123456789abcdef0123456789abcdef01234567"));
    assertEquals("[ERROR]     ".length() + 12, LogLine.width("[ERROR]     mvn -f pom.xml imagegate:audit " + "-Dimagegate.audit.bucket=b ".repeat(8)));
    assertTrue(LogLine.width("[ERROR] run mvn " + "-Dimagegate.audit.bucket=b ".repeat(8)) > LogLine.WIDTH, "only a command on its own line");
    String prose = "word ".repeat(30).trim();
    assertTrue(LogLine.width(prose) > LogLine.WIDTH, "prose is never exempt");
  }
}
