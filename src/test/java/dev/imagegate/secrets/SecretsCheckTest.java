package dev.imagegate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsCheckTest {

  @TempDir Path dir;

  private static final String KEY = "AKIAZ3MH7QKPC2WX4RTB";
  private final List<String> warnings = new ArrayList<>();
  private final Reporter reporter =
      new Reporter() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      };
  private final SecretsCheck check =
      new SecretsCheck(reporter, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));

  private SecretsRequest request(Path project, boolean update) {
    return new SecretsRequest(project, false, Optional.empty(), update, List.of(), SecretScanner.DEFAULT_MAX_FILE_SIZE);
  }

  private void write(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void commitAll() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("c").setAuthor("t", "t@t").setCommitter("t", "t@t").setSign(false).call();
    }
  }

  @Test
  void failsOnTrackedAndUnignoredFilesNamingFileLineAndType() throws Exception {
    write(".gitignore", "ignored/\n*.log\n");
    write("app/src/main/resources/app.properties", "name=x\naws.key.id=" + KEY + "\n");
    write("ignored/key.txt", KEY + "\n");
    write("build.log", KEY + "\n");
    commitAll();
    write("app/untracked.txt", "\n\n" + KEY + "\n"); // untracked, not ignored: scanned
    SecretsException e = assertThrows(SecretsException.class, () -> check.run(request(dir, false)));
    assertTrue(e.getMessage().contains("app/src/main/resources/app.properties:2: AWS Access Key"), e.getMessage());
    assertTrue(e.getMessage().contains("app/untracked.txt:3: AWS Access Key"), e.getMessage());
    assertTrue(e.getMessage().startsWith("2 secrets found"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
    assertFalse(e.getMessage().contains("ignored/"));
    assertFalse(e.getMessage().contains("build.log"));
    assertTrue(e.suggestion().contains("imagegate:secrets-baseline"));
  }

  @Test
  void aFileOverTheSizeLimitIsNamedInAWarningAndCounted() throws Exception {
    write("src/main/resources/small.properties", "name=x\n");
    write("src/main/resources/huge.json", "{\"k\": \"" + "a".repeat(200) + "\"}\n");
    write("src/main/resources/blob.bin", "\u007fELF\2\1\1\0\0\0\0\0\0\0\0\0");
    commitAll();
    SecretsReport report = check.run(new SecretsRequest(dir, false, Optional.empty(), false, List.of(), 100));
    assertEquals(List.of("src/main/resources/huge.json"), report.tooLarge());
    assertEquals(1, report.binary());
    assertEquals(2, report.filesSkipped());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("src/main/resources/huge.json") && w.contains("not searched for secrets")
        && w.contains("imagegate.secrets.maxFileSize")), warnings.toString());
  }

  @Test
  void aFileWhoseNameIsNotUtf8IsNamedInAWarningAndCountedNotDropped() throws Exception {
    write("ok.txt", "nothing here\n");
    commitAll();
    Process p = new ProcessBuilder("bash", "-c", "printf 'x\\n' > $'caf\\xe9.txt'").directory(dir.toFile()).start();
    assertEquals(0, p.waitFor());
    SecretsReport report = check.run(request(dir, false));
    assertEquals(1, report.filesSkipped());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("could not read \"caf\\351.txt\"") && w.contains("not valid UTF-8")
        && w.contains("Fix: rename")), warnings.toString());
  }

  @Test
  void scansOnlyTheProjectSubTreeUnlessAskedForTheWholeRepository() throws Exception {
    write("app/pom.xml", "<project/>\n");
    write("app/ok.txt", "nothing here\n");
    write("other/key.txt", KEY + "\n");
    commitAll();
    SecretsReport report = check.run(request(dir.resolve("app"), false));
    assertEquals(2, report.filesScanned());
    SecretsException e =
        assertThrows(
            SecretsException.class,
            () ->
                check.run(
                    new SecretsRequest(dir.resolve("app"), true, Optional.empty(), false, List.of(), 1 << 20)));
    assertTrue(e.getMessage().contains("other/key.txt:1: AWS Access Key"));
    // excludes
    SecretsReport excluded =
        check.run(new SecretsRequest(dir.resolve("app"), true, Optional.empty(), false, List.of("other/**"), 1 << 20));
    assertEquals(0, excluded.newFindings().size());
  }

  @Test
  void honoursADetectSecretsBaselineAndUpdatesIt() throws Exception {
    Path corpus = SecretScannerTest.CORPUS;
    try (Stream<Path> files = Files.walk(corpus)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = dir.resolve(corpus.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    commitAll();
    SecretsException e = assertThrows(SecretsException.class, () -> check.run(request(dir, false)));
    Set<String> reported =
        e.getMessage().lines().skip(1).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = SecretScannerTest.expected();
    Set<String> notAccepted =
        expected.stream()
            .filter(l -> !l.startsWith("secrets/aws/") && !l.startsWith("secrets/slack/"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(notAccepted, reported, "the baseline accepts exactly the aws and slack secrets");
    assertEquals(expected.size() - 6, reported.size());

    SecretsReport written = check.run(request(dir, true));
    assertTrue(written.baselineWritten());
    assertEquals(expected.size(), written.accepted().size());
    String json = Files.readString(dir.resolve(".secrets.baseline"));
    assertTrue(json.startsWith("{\n  \"version\": \"1.5.0\",\n  \"plugins_used\": [\n    {\n      \"name\": "), json);
    assertTrue(json.contains("\"is_verified\": false"));
    // the audit label of the entry that had one is kept
    assertTrue(json.contains("\"is_secret\": false"));
    assertTrue(json.endsWith("\"generated_at\": \"2026-03-01T12:00:00Z\"\n}\n"), json);

    SecretsReport clean = check.run(request(dir, false));
    assertEquals(List.of(), clean.newFindings());
    assertEquals(expected.size(), clean.accepted().size());
    assertEquals(
        SecretsBaseline.read(dir.resolve(".secrets.baseline")).entries().size(), expected.size());
  }

  @Test
  void baselineHashesAgreeWithPythonHashlib() throws Exception {
    SecretsBaseline baseline = SecretsBaseline.read(SecretScannerTest.CORPUS.resolve(".secrets.baseline"));
    assertEquals(6, baseline.entries().size());
    SecretScanner scanner = new SecretScanner();
    for (String file : List.of("secrets/aws/credentials", "secrets/aws/Deploy.java", "secrets/slack/notify.py")) {
      for (SecretFinding f : scanner.scan(file, Files.readAllBytes(SecretScannerTest.CORPUS.resolve(file)))) {
        SecretsBaseline.Entry entry = baseline.accepting(f).orElseThrow(() -> new AssertionError("not accepted: " + f));
        assertEquals(f.line(), entry.lineNumber());
        assertEquals(f.type().label(), entry.type());
      }
    }
  }

  @Test
  void rejectsABaselineThatIsNotOne() throws Exception {
    write("bad.json", "{\"version\": \"1.5.0\"}");
    SecretsException e = assertThrows(SecretsException.class, () -> SecretsBaseline.read(dir.resolve("bad.json")));
    assertTrue(e.getMessage().contains("no \"results\""));
  }

  private SecretsRequest staged() {
    return new SecretsRequest(dir, false, Optional.empty(), false, List.of(), SecretScanner.DEFAULT_MAX_FILE_SIZE, SecretsSource.STAGED);
  }

  private void stage(String... paths) throws Exception {
    try (Git git = Git.open(dir.toFile())) {
      for (String p : paths) {
        git.add().addFilepattern(p).call();
      }
    }
  }

  @Test
  void stagedModeReadsOnlyTheStagedBlobs() throws Exception {
    write("committed.properties", "aws.key.id=" + KEY + "\n"); // committed before: not part of the next commit
    write(".secrets.baseline", "{\"version\": \"1.5.0\", \"results\": {}}\n");
    commitAll();
    // a key only in the working tree, not staged: the commit does not carry it
    write("unstaged.properties", "clean=1\n");
    stage("unstaged.properties");
    write("unstaged.properties", "clean=1\nid=" + KEY + "\n");
    SecretsReport clean = check.run(staged());
    assertEquals(1, clean.filesScanned());
    assertEquals(List.of(), clean.newFindings());

    // a key staged, then removed from the working tree: the commit carries it
    write("staged.properties", "a=1\nb=2\nid=" + KEY + "\n");
    stage("staged.properties");
    write("staged.properties", "a=1\n");
    SecretsException e = assertThrows(SecretsException.class, () -> check.run(staged()));
    assertTrue(e.getMessage().startsWith("1 secret found in the staged files that the baseline .secrets.baseline does not accept:"), e.getMessage());
    assertTrue(e.getMessage().contains("staged.properties:3: AWS Access Key"), e.getMessage());
    assertFalse(e.getMessage().contains("unstaged.properties"), e.getMessage());
    assertFalse(e.getMessage().contains("committed.properties"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
    // the working tree mode sees the opposite
    SecretsException worktree = assertThrows(SecretsException.class, () -> check.run(request(dir, false)));
    assertTrue(worktree.getMessage().contains("unstaged.properties:2: AWS Access Key"), worktree.getMessage());
    assertFalse(worktree.getMessage().contains("staged.properties:3"), worktree.getMessage());
  }

  @Test
  void stagedModeAppliesTheBaselineAndRefusesToWriteIt() throws Exception {
    write("a.properties", "x=1\n");
    commitAll();
    write("a.properties", "x=1\nid=" + KEY + "\n");
    stage("a.properties");
    assertThrows(SecretsException.class, () -> check.run(staged()));
    check.run(request(dir, true)); // accept it into the baseline (working tree = index here)
    assertEquals(List.of(), check.run(staged()).newFindings());
    assertEquals(1, check.run(staged()).accepted().size());
    SecretsException e =
        assertThrows(
            SecretsException.class,
            () -> check.run(new SecretsRequest(dir, false, Optional.empty(), true, List.of(), 1 << 20, SecretsSource.STAGED)));
    assertTrue(e.getMessage().contains("not from the staged files"), e.getMessage());
  }

  @Test
  void stagedModeOutsideGitFailsClosed() throws Exception {
    write("a.txt", "x\n");
    SecretsException e = assertThrows(SecretsException.class, () -> check.run(staged()));
    assertTrue(e.getMessage().contains("not in a git working tree"), e.getMessage());
    assertEquals(SecretsSource.STAGED, SecretsSource.parse("Staged"));
    assertThrows(SecretsException.class, () -> SecretsSource.parse("index"));
  }
}
