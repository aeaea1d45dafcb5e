package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagegate.Reporter;
import dev.imagegate.registry.Credential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real git smart-HTTP server of {@code scripts/peers} (lighttpd + git-http-backend, basic auth). The
 * results are checked with the git command line, not with JGit. Skipped (reported) when the peers' environment is
 * not exported: {@code eval "$(scripts/peers env)"}.
 */
class GitopsUpdaterPeerTest {
  private static final String OLD = "sha-" + "1".repeat(40);
  private static final String DIGEST = "sha256:" + "cd".repeat(32);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private static final String DEV =
      """
      # dev: every push to main lands here
      replicaCount: 1
      image:
        repository: 127.0.0.1:5000/myapp   # ECR in production
        tag: %s  # written by imagegate
        pullPolicy: IfNotPresent
      worker:
        image: {repository: 127.0.0.1:5000/myapp-worker, tag: "%s"}
      # a decoy that sed would rewrite:
      tag: %s
      """.formatted(OLD, OLD, OLD);
  private static final String STAGING = DEV.replace("# dev: every push to main lands here", "# staging").replace("\n", "\r\n");
  private static final String PRODUCTION =
      "---\n# production\nimage:\n  repository: r/myapp\n  tag: '" + OLD + "'\n---\nkind: Extra\ntag: " + OLD + "\n";

  @TempDir Path tmp;
  private String gitUrl;
  private String user;
  private String password;
  private String repoUrl;

  @BeforeEach
  void repository() throws Exception {
    gitUrl = System.getenv("IMAGEGATE_GIT_URL");
    user = System.getenv("IMAGEGATE_GIT_USER");
    password = System.getenv("IMAGEGATE_GIT_PASSWORD");
    assumeTrue(gitUrl != null && password != null, "git server peer not configured: eval \"$(scripts/peers env)\"");
    String name = "gitops-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + COUNTER.incrementAndGet();
    repoUrl = run(Path.of("."), "scripts/peers", "git-repo", name).trim();
    Path seed = tmp.resolve("seed");
    Files.createDirectories(seed.resolve("apps/myapp"));
    Files.writeString(seed.resolve("apps/myapp/values-dev.yaml"), DEV);
    Files.writeString(seed.resolve("apps/myapp/values-staging.yaml"), STAGING);
    Files.writeString(seed.resolve("apps/myapp/values-production.yaml"), PRODUCTION);
    Files.writeString(seed.resolve("README.md"), "gitops\n");
    git(seed, "init", "-q", "-b", "main");
    git(seed, "add", "-A");
    git(seed, "commit", "-q", "-m", "seed");
    git(seed, "push", "-q", authUrl(), "main");
  }

  private String authUrl() {
    return repoUrl.replace("http://", "http://" + user + ":" + password + "@");
  }

  private GitopsRequest request(String tag, List<ValuesFile> files, Optional<String> pushBranch, Credential credential) {
    ImageRelease release =
        new ImageRelease(tag, DIGEST, Optional.of("127.0.0.1:5000/myapp"), Optional.of("f".repeat(40)), tmp.resolve("push.json"));
    return new GitopsRequest(
        repoUrl,
        "main",
        pushBranch,
        files,
        release,
        GitopsRequest.DEFAULT_MESSAGE,
        "imagegate-bot",
        "bot@imagegate.dev",
        Optional.of(credential),
        5,
        Duration.ofMillis(50),
        Duration.ofSeconds(30),
        tmp.resolve("work"),
        false,
        true,
        SshOptions.defaults());
  }

  private GitopsRequest request(String tag, List<ValuesFile> files) {
    return request(tag, files, Optional.empty(), new Credential(user, password));
  }

  private static List<ValuesFile> threeFiles() {
    return List.of(
        ValuesFile.of("apps/myapp/values-dev.yaml", "image.tag"),
        ValuesFile.of("apps/myapp/values-staging.yaml", "image.tag"),
        ValuesFile.of("apps/myapp/values-production.yaml", "image.tag"));
  }

  @Test
  void threeFilesChangeOnlyOnTheTagLineAndRerunIsANoOp() throws Exception {
    String tag = "sha-" + "a".repeat(40);
    GitopsUpdater updater = new GitopsUpdater(Reporter.SILENT);
    GitopsResult result = updater.update(request(tag, threeFiles()));
    updater.awaitCleanup();

    assertTrue(result.changed());
    assertEquals(1, result.attempts());
    assertEquals(3, result.files().size());
    Path clone = cloneWithGit();
    assertEquals(result.commit(), git(clone, "rev-parse", "HEAD").trim());
    String dev = DEV.replaceFirst("tag: " + OLD + "  #", "tag: " + tag + "  #");
    assertEquals(dev, read(clone, "apps/myapp/values-dev.yaml"));
    assertEquals(
        STAGING.replaceFirst("tag: " + OLD + "  #", "tag: " + tag + "  #"), read(clone, "apps/myapp/values-staging.yaml"));
    assertEquals(PRODUCTION.replaceFirst("tag: '" + OLD + "'", "tag: '" + tag + "'"), read(clone, "apps/myapp/values-production.yaml"));
    // git's own view: one changed line per file, nothing else
    String numstat = git(clone, "diff", "--numstat", "HEAD~1", "HEAD");
    assertEquals(
        "1\t1\tapps/myapp/values-dev.yaml\n1\t1\tapps/myapp/values-production.yaml\n1\t1\tapps/myapp/values-staging.yaml\n",
        numstat);
    assertEquals("imagegate-bot <bot@imagegate.dev>", git(clone, "log", "-1", "--format=%an <%ae>").trim());
    String message = git(clone, "log", "-1", "--format=%B");
    assertTrue(message.startsWith("ci: update image tag to " + tag + "\n"), message);
    assertTrue(message.contains("127.0.0.1:5000/myapp@" + DIGEST), message);
    assertTrue(message.contains("source commit: " + "f".repeat(40)), message);
    // the temporary clone is gone, so no config with the server in it is left behind
    assertEquals(List.of(), list(tmp.resolve("work")));

    GitopsResult again = new GitopsUpdater(Reporter.SILENT).update(request(tag, threeFiles()));
    assertFalse(again.changed());
    assertEquals(result.commit(), again.commit());
    assertEquals(List.of(), again.files());
    assertEquals(result.commit(), lsRemote("main"));
  }

  @Test
  void aWrongTokenFailsClearlyAndIsNotShown() {
    GitopsException e =
        assertThrows(
            GitopsException.class,
            () ->
                new GitopsUpdater(Reporter.SILENT)
                    .update(request("sha-" + "b".repeat(40), threeFiles(), Optional.empty(), new Credential(user, "wrong-token-123"))));
    assertTrue(e.getMessage().contains("refused the credentials of user " + user), e.getMessage());
    assertTrue(e.suggestion().contains("GITOPS_TOKEN"), e.suggestion());
    assertFalse(e.getMessage().contains("wrong-token-123"), e.getMessage());
    assertFalse(e.suggestion().contains("wrong-token-123"));
  }

  @Test
  void credentialsOverPlainHttpNeedAnOptIn() {
    GitopsRequest r = request("sha-" + "b".repeat(40), threeFiles());
    GitopsRequest strict =
        new GitopsRequest(r.url(), r.branch(), r.pushBranch(), r.files(), r.release(), r.messageTemplate(), r.authorName(),
            r.authorEmail(), r.credential(), r.maxAttempts(), r.backoff(), r.timeout(), r.workDirectory(), false, false, r.ssh());
    GitopsException e = assertThrows(GitopsException.class, () -> new GitopsUpdater(Reporter.SILENT).update(strict));
    assertTrue(e.getMessage().contains("plain HTTP"), e.getMessage());
  }

  @Test
  void twoConcurrentUpdatesOfDifferentFilesBothLand() throws Exception {
    String a = "sha-" + "a".repeat(40);
    String b = "sha-" + "b".repeat(40);
    List<GitopsResult> results =
        race(
            request(a, List.of(ValuesFile.of("apps/myapp/values-dev.yaml", "image.tag"))),
            request(b, List.of(ValuesFile.of("apps/myapp/values-staging.yaml", "image.tag"))));
    Path clone = cloneWithGit();
    assertTrue(read(clone, "apps/myapp/values-dev.yaml").contains("tag: " + a + "  #"));
    assertTrue(read(clone, "apps/myapp/values-staging.yaml").contains("tag: " + b + "  #"));
    assertBothCommitsLanded(clone, results, a, b);
  }

  @Test
  void twoConcurrentUpdatesOfTheSameFileBothLand() throws Exception {
    String a = "sha-" + "a".repeat(40);
    String b = "sha-" + "b".repeat(40);
    List<GitopsResult> results =
        race(
            request(a, List.of(ValuesFile.of("apps/myapp/values-dev.yaml", "image.tag"))),
            request(b, List.of(ValuesFile.of("apps/myapp/values-dev.yaml", "worker.image.tag"))));
    Path clone = cloneWithGit();
    String dev = read(clone, "apps/myapp/values-dev.yaml");
    assertEquals(
        DEV.replaceFirst("tag: " + OLD + "  #", "tag: " + a + "  #").replace("tag: \"" + OLD + "\"", "tag: \"" + b + "\""), dev);
    assertBothCommitsLanded(clone, results, a, b);
  }

  /** Runs both at once; both fetch the same tip before either pushes, so one push must lose and retry. */
  private List<GitopsResult> race(GitopsRequest first, GitopsRequest second) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(2);
    GitopsUpdater.PushHook hook =
        attempt -> {
          if (attempt == 1) {
            try {
              barrier.await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("the other update never reached its push", e);
            }
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<GitopsResult> f1 = pool.submit(() -> new GitopsUpdater(Reporter.SILENT, hook).update(first));
      Future<GitopsResult> f2 = pool.submit(() -> new GitopsUpdater(Reporter.SILENT, hook).update(second));
      return List.of(f1.get(120, TimeUnit.SECONDS), f2.get(120, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  private void assertBothCommitsLanded(Path clone, List<GitopsResult> results, String a, String b) throws Exception {
    List<Integer> attempts = new ArrayList<>(results.stream().map(GitopsResult::attempts).toList());
    Collections.sort(attempts);
    assertEquals(List.of(1, 2), attempts, "one push must have lost the race and been re-applied");
    List<String> subjects = List.of(git(clone, "log", "--format=%s").split("\n"));
    assertEquals(List.of("seed"), subjects.subList(2, subjects.size()));
    assertTrue(subjects.contains("ci: update image tag to " + a), subjects.toString());
    assertTrue(subjects.contains("ci: update image tag to " + b), subjects.toString());
    List<String> history = List.of(git(clone, "log", "--format=%H").split("\n"));
    assertTrue(history.contains(results.get(0).commit()));
    assertTrue(history.contains(results.get(1).commit()));
  }

  @Test
  void pushBranchModeLeavesMainAloneAndIsRepeatable() throws Exception {
    String tag = "sha-" + "c".repeat(40);
    String mainBefore = lsRemote("main");
    List<ValuesFile> prod = List.of(ValuesFile.of("apps/myapp/values-production.yaml", "image.tag"));
    Optional<String> branch = Optional.of("imagegate/myapp-sha-cccccccccccc");
    GitopsResult result = new GitopsUpdater(Reporter.SILENT).update(request(tag, prod, branch, new Credential(user, password)));
    assertTrue(result.changed());
    assertEquals("imagegate/myapp-sha-cccccccccccc", result.branch());
    assertEquals(mainBefore, lsRemote("main"));
    assertEquals(result.commit(), lsRemote("imagegate/myapp-sha-cccccccccccc"));
    GitopsResult again = new GitopsUpdater(Reporter.SILENT).update(request(tag, prod, branch, new Credential(user, password)));
    assertFalse(again.changed());
    assertEquals(result.commit(), again.commit());
  }

  @Test
  void aMissingBranchOrFileIsNamed() {
    GitopsRequest r = request("sha-" + "d".repeat(40), threeFiles());
    GitopsRequest noBranch =
        new GitopsRequest(r.url(), "release", r.pushBranch(), r.files(), r.release(), r.messageTemplate(), r.authorName(),
            r.authorEmail(), r.credential(), r.maxAttempts(), r.backoff(), r.timeout(), r.workDirectory(), false, true, r.ssh());
    GitopsException e = assertThrows(GitopsException.class, () -> new GitopsUpdater(Reporter.SILENT).update(noBranch));
    assertTrue(e.getMessage().contains("has no branch release"), e.getMessage());
    GitopsException f =
        assertThrows(
            GitopsException.class,
            () -> new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "d".repeat(40), List.of(ValuesFile.of("apps/other/values.yaml", "image.tag")))));
    assertTrue(f.getMessage().contains("apps/other/values.yaml is not in branch main"), f.getMessage());
  }

  @Test
  void aPushRefusedByAServerHookIsReportedInTheServersWordsAndNotRetried() throws Exception {
    // a real pre-receive hook in the peer's bare repository, as a protected-branch rule of a forge would be
    String name = repoUrl.substring(repoUrl.lastIndexOf('/') + 1);
    Path bare = Path.of(System.getenv("IMAGEGATE_PEERS_DIR"), "git", name);
    assumeTrue(Files.isDirectory(bare), "the bare repository of the git peer is not at " + bare);
    Path hook = bare.resolve("hooks/pre-receive");
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, "#!/bin/sh\necho 'GL-HOOK-ERR: main is protected: changes need a reviewed merge request (policy CHG-42)' >&2\nexit 1\n");
    hook.toFile().setExecutable(true);
    String before = lsRemote("main");
    AtomicInteger pushes = new AtomicInteger();
    GitopsUpdater updater = new GitopsUpdater(Reporter.SILENT, attempt -> pushes.incrementAndGet());
    GitopsException e = assertThrows(GitopsException.class, () -> updater.update(request("sha-" + "e".repeat(40), threeFiles())));
    updater.awaitCleanup();
    assertEquals(1, pushes.get(), "a rule of the server is not a race: pushed once, not retried");
    assertTrue(e.getMessage().contains("main is protected: changes need a reviewed merge request (policy CHG-42)"), e.getMessage());
    assertTrue(e.getMessage().contains("rejected"), e.getMessage());
    assertFalse(e.suggestion().contains("maxAttempts"), e.suggestion());
    assertEquals(before, lsRemote("main"));
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private Path cloneWithGit() throws Exception {
    Path clone = tmp.resolve("check-" + System.nanoTime());
    run(tmp, "git", "clone", "-q", authUrl(), clone.toString());
    return clone;
  }

  private String lsRemote(String branch) throws Exception {
    String out = run(tmp, "git", "ls-remote", authUrl(), "refs/heads/" + branch);
    return out.isBlank() ? null : out.split("\\s+")[0];
  }

  private static String read(Path clone, String file) throws IOException {
    return Files.readString(clone.resolve(file), StandardCharsets.UTF_8);
  }

  private static List<String> list(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@imagegate.dev", "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    return run(dir, cmd.toArray(String[]::new));
  }

  static String run(Path dir, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("GIT_TERMINAL_PROMPT", "0"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd).replace(String.valueOf(System.getenv("IMAGEGATE_GIT_PASSWORD")), "****") + " failed: " + out);
    }
    return out;
  }
}
