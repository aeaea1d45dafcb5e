package dev.imagegate.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.WarningsReporter;
import dev.imagegate.secrets.SecretFinding;
import dev.imagegate.secrets.SecretType;
import dev.imagegate.secrets.SecretsException;
import dev.imagegate.scan.error.ScanException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job summary and the annotations, from real handover files (log4j-core 2.14.1: CVE-2021-44228, fixed in 2.15.0). */
class GithubActionsTest {
  private static final String DIGEST = "sha256:cf7d8085b4c2e1f0a9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6";

  @TempDir Path tmp;
  private Path out;
  private Path summary;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final WarningsReporter reporter = new WarningsReporter();
  private final List<String> warnings = reporter.warnings();
  private SourceLocations sources;

  @BeforeEach
  void handover() throws Exception {
    out = Files.createDirectories(tmp.resolve("target/imagegate"));
    summary = tmp.resolve("step-summary.md");
    Files.writeString(out.resolve("image.json"), """
        {"schemaVersion":1,"name":"registry.example.com/myapp","tag":"sha-0123456","digest":"%s",
         "base":{"reference":"gcr.io/distroless/java17-debian12@sha256:aaaa","digest":"sha256:aaaa"},"commit":"0123456789abcdef0123456789abcdef01234567"}
        """.formatted(DIGEST));
    Files.writeString(out.resolve("scan.json"), """
        {"schemaVersion":1,"digest":"%s","policy":{"failOn":["HIGH","CRITICAL"]},
         "summary":{"critical":1,"high":1,"medium":0,"low":0,"unknown":2,"blocking":2,"suppressed":0,"passed":false,"secrets":1},
         "findings":[
          {"id":"CVE-2021-44228","title":"Remote code injection in Log4j","packageName":"org.apache.logging.log4j:log4j-core","ecosystem":"Maven",
           "installed":"2.14.1","fixed":"2.15.0","severity":"CRITICAL","blocking":true,"paths":["app/libs/log4j-core-2.14.1.jar"]},
          {"id":"CVE-2023-4911","packageName":"libc6","ecosystem":"Debian:12","installed":"2.36-9+deb12u1","fixed":"2.36-9+deb12u3",
           "severity":"HIGH","blocking":true,"paths":["var/lib/dpkg/status.d/libc6"]},
          {"id":"CVE-2010-4756","packageName":"libc6","ecosystem":"Debian:12","installed":"2.36-9+deb12u1","severity":"UNKNOWN","blocking":false}],
         "secrets":[{"path":"/app/resources/app.properties","line":3,"type":"AWS Access Key","hashedSecret":"x","blocking":true}]}
        """.formatted(DIGEST));
    Files.createDirectories(tmp.resolve("src/main/resources"));
    Files.writeString(tmp.resolve("src/main/resources/app.properties"), "a\nb\nkey=…\n");
    sources = new SourceLocations(tmp, Map.of("org.apache.logging.log4j:log4j-core", new SourceLocation("pom.xml", 18)),
        new SourceLocation("pom.xml", 44), new SourceLocation("pom.xml", 30),
        List.of(new SourceLocations.CopiedDirectory("app/resources/", "src/main/resources/")));
  }

  private GithubActions github(Map<String, String> env) {
    return new GithubActions(env, new PrintStream(stdout, true, StandardCharsets.UTF_8), reporter);
  }

  private List<String> commands() {
    return stdout.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aBlockedScanAnnotatesTheDependencyLineTheBaseImageLineTheSourceFileAndTheFailure() throws Exception {
    ScanException failure = new ScanException("2 vulnerabilities block the image.", "Upgrade log4j-core to 2.15.0.");
    github(Map.of("GITHUB_ACTIONS", "true")).afterGoal("imagegate:scan", out, () -> sources, failure);
    List<String> lines = commands();
    assertEquals(List.of(
        "::error file=pom.xml,line=18,title=CVE-2021-44228 CRITICAL in org.apache.logging.log4j%3Alog4j-core 2.14.1::"
            + "CVE-2021-44228 CRITICAL in org.apache.logging.log4j:log4j-core 2.14.1 (fixed in 2.15.0): Remote code injection in Log4j"
            + "%0AImage path: app/libs/log4j-core-2.14.1.jar",
        "::error file=pom.xml,line=44,title=CVE-2023-4911 HIGH in libc6 2.36-9+deb12u1::"
            + "CVE-2023-4911 HIGH in libc6 2.36-9+deb12u1 (fixed in 2.36-9+deb12u3)%0AImage path: var/lib/dpkg/status.d/libc6",
        "::error file=src/main/resources/app.properties,line=3,title=Secret in the image%3A AWS Access Key::"
            + "AWS Access Key in the image at /app/resources/app.properties:3. Remove it from the files the image is built from and rotate it.",
        "::error file=pom.xml,line=30,title=imagegate%3Ascan failed::2 vulnerabilities block the image.%0AFix: Upgrade log4j-core to 2.15.0."),
        lines);
    assertFalse(Files.exists(summary), "no GITHUB_STEP_SUMMARY: no summary");
  }

  @Test
  void aCommittedSecretIsAnnotatedOnItsFileAndLine() {
    SecretsException failure = new SecretsException("1 secret found", "Remove it.",
        List.of(new SecretFinding(SecretType.AWS_ACCESS_KEY, "config/dev.env", 7, "0123456789abcdef0123456789abcdef01234567")));
    github(Map.of("GITHUB_ACTIONS", "true")).afterGoal("imagegate:detect-secrets", out, () -> sources, failure);
    assertTrue(commands().get(0).startsWith("::error file=config/dev.env,line=7,title=Secret%3A "), commands().toString());
    assertTrue(commands().get(1).startsWith("::error file=pom.xml,line=30,title=imagegate%3Adetect-secrets failed::1 secret found%0AFix: Remove it."),
        commands().toString());
  }

  @Test
  void theSummaryHasTheCountsAndTheBlockingVulnerabilitiesAsATableLinkedToTheLines() throws Exception {
    Map<String, String> env = Map.of("GITHUB_STEP_SUMMARY", summary.toString(), "GITHUB_SERVER_URL", "https://github.com", "GITHUB_REPOSITORY",
        "example/myapp", "GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    github(env).afterGoal("imagegate:build", out, () -> sources, null);
    github(env).afterGoal("imagegate:scan", out, () -> sources, new ScanException("2 vulnerabilities block the image.", "Upgrade."));
    String md = Files.readString(summary);
    assertTrue(md.startsWith("### imagegate:build passed\n"), md);
    assertTrue(md.contains("| `registry.example.com/myapp:sha-0123456` | `" + DIGEST + "` |"), md);
    assertTrue(md.contains("### imagegate:scan failed\n"), md);
    assertTrue(md.contains("| 1 | 1 | 0 | 0 | 2 | 2 | 0 | 1 |"), md);
    assertTrue(md.contains("| [CVE-2021-44228](https://osv.dev/vulnerability/CVE-2021-44228) | CRITICAL | org.apache.logging.log4j:log4j-core | 2.14.1 | 2.15.0 | "
        + "[`pom.xml:18`](https://github.com/example/myapp/blob/0123456789abcdef0123456789abcdef01234567/pom.xml#L18) |"), md);
    assertTrue(md.contains("| [CVE-2023-4911]"), md);
    assertFalse(md.contains("CVE-2010-4756"), "only blocking ones are listed: " + md);
    assertTrue(md.contains("**Fix:** Upgrade."), md);
    assertEquals("", stdout.toString(StandardCharsets.UTF_8), "no GITHUB_ACTIONS=true: no workflow commands");
  }

  @Test
  void pushSignAuditAndGitopsSectionsSayWhereTheImageWent() throws Exception {
    Files.writeString(out.resolve("push.json"), """
        {"schemaVersion":1,"digest":"%s","tag":"sha-0123456","pushedBy":"arn:aws:sts::123456789012:assumed-role/ci/run",
         "targets":[{"registry":"123456789012.dkr.ecr.us-east-1.amazonaws.com","repository":"myapp","region":"us-east-1"},
                    {"registry":"123456789012.dkr.ecr.us-west-2.amazonaws.com","repository":"myapp","region":"us-west-2"}]}
        """.formatted(DIGEST));
    Files.writeString(out.resolve("sign.json"), """
        {"schemaVersion":1,"digest":"%s","key":{"reference":"awskms:///alias/imagegate","fingerprint":"ab12"},
         "signatures":[{"reference":"r/myapp@%s","signatureTag":"sha256-cf7d.sig","attestationTag":"sha256-cf7d.att",
                        "predicateTypes":["https://cyclonedx.org/bom"]}]}
        """.formatted(DIGEST, DIGEST));
    Files.writeString(out.resolve("audit.json"), """
        {"digest":"%s","pushed_by":"arn:aws:sts::123456789012:assumed-role/ci/run","s3_uri":"s3://audit/ci-push-audit/0123.json"}
        """.formatted(DIGEST));
    Files.writeString(out.resolve("gitops.json"), """
        {"schemaVersion":1,"repository":"https://github.com/example/gitops.git","branch":"main","commit":"fedcba9876543210fedcba9876543210fedcba98",
         "changed":true,"files":["apps/myapp/values-dev.yaml"],"attempts":1,"tag":"sha-0123456","digest":"%s","changes":[]}
        """.formatted(DIGEST));
    Map<String, String> env = Map.of("GITHUB_STEP_SUMMARY", summary.toString());
    for (String goal : List.of("push", "sign", "audit", "gitops-update")) {
      github(env).afterGoal("imagegate:" + goal, out, () -> sources, null);
    }
    String md = Files.readString(summary);
    assertTrue(md.contains("| us-west-2 | `123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp` | `" + DIGEST + "` |"), md);
    assertTrue(md.contains("| `r/myapp@" + DIGEST + "` | `sha256-cf7d.sig` | `sha256-cf7d.att` https://cyclonedx.org/bom |"), md);
    assertTrue(md.contains("Audit record `s3://audit/ci-push-audit/0123.json`"), md);
    assertTrue(md.contains("[`fedcba9876543210fedcba9876543210fedcba98`](https://github.com/example/gitops/commit/fedcba9876543210fedcba9876543210fedcba98)"), md);
  }

  @Test
  void aSummaryFileThatCannotBeWrittenIsAWarningNotAFailure() throws Exception {
    Path directory = Files.createDirectories(tmp.resolve("a-directory"));
    github(Map.of("GITHUB_STEP_SUMMARY", directory.toString())).afterGoal("imagegate:build", out, () -> sources, null);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("GITHUB_STEP_SUMMARY"), warnings.toString());
  }

  @Test
  void outsideGithubActionsNothingIsAskedOrWritten() {
    github(Map.of()).afterGoal("imagegate:scan", out, () -> {
      throw new AssertionError("the locations are not needed");
    }, null);
    assertEquals("", stdout.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFileOfAnotherImageIsLeftOut() throws Exception {
    Files.writeString(out.resolve("push.json"), "{\"digest\":\"sha256:0000\",\"targets\":[{\"registry\":\"old.example\",\"repository\":\"x\"}]}");
    github(Map.of("GITHUB_STEP_SUMMARY", summary.toString())).afterGoal("imagegate:push", out, () -> sources, null);
    assertFalse(Files.readString(summary).contains("old.example"));
  }
}
