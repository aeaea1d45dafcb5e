package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagegate.Reporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real OpenSSH {@code sshd} of {@code scripts/peers} (BASE+21, key authentication only), which serves the
 * same bare repositories as the smart-HTTP git peer. What landed is read back with the git command line over the same
 * SSH server (OpenSSH's client, not JGit). Skipped (reported) when the peers' environment is not exported:
 * {@code eval "$(scripts/peers env)"}.
 */
class GitopsSshPeerTest {
  private static final String OLD = "sha-" + "1".repeat(40);
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String DEV = "# dev\nimage:\n  repository: r/myapp\n  tag: " + OLD + "  # written by imagegate\n";

  @TempDir Path tmp;
  private String port;
  private Path key;
  private Path knownHosts;
  private Path bare;
  private String sshUrl;

  @BeforeEach
  void repository() throws Exception {
    port = System.getenv("IMAGEGATE_GIT_SSH_PORT");
    String user = System.getenv("IMAGEGATE_GIT_SSH_USER");
    String root = System.getenv("IMAGEGATE_GIT_SSH_ROOT");
    String keyEnv = System.getenv("IMAGEGATE_GIT_SSH_KEY");
    String hostsEnv = System.getenv("IMAGEGATE_GIT_SSH_KNOWN_HOSTS");
    assumeTrue(
        port != null && user != null && root != null && keyEnv != null && hostsEnv != null,
        "git-over-ssh peer not configured (IMAGEGATE_GIT_SSH_*): scripts/peers start && eval \"$(scripts/peers env)\"");
    key = Path.of(keyEnv);
    knownHosts = Path.of(hostsEnv);
    String name = "gitops-ssh-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-" + COUNTER.incrementAndGet();
    run(Path.of("."), Map.of(), "scripts/peers", "git-repo", name);
    bare = Path.of(root, name + ".git");
    assertTrue(Files.isRegularFile(bare.resolve("HEAD")), "scripts/peers git-repo made no repository at " + bare);
    sshUrl = "ssh://" + user + "@127.0.0.1:" + port + bare;
    Path seed = tmp.resolve("seed");
    Files.createDirectories(seed.resolve("apps/myapp"));
    Files.writeString(seed.resolve("apps/myapp/values-dev.yaml"), DEV);
    git(seed, "init", "-q", "-b", "main");
    git(seed, "add", "-A");
    git(seed, "commit", "-q", "-m", "seed");
    git(seed, "push", "-q", bare.toString(), "main");
  }

  private SshOptions keyFile(Path file, Optional<String> passphrase, Path hosts) {
    return new SshOptions(Optional.of(file), Optional.empty(), null, passphrase, "$TEST_PASSPHRASE", hosts, true);
  }

  private GitopsRequest request(String url, String tag, SshOptions ssh) {
    ImageRelease release = new ImageRelease(tag, DIGEST, Optional.of("r/myapp"), Optional.of("f".repeat(40)), tmp.resolve("push.json"));
    return new GitopsRequest(
        url, "main", Optional.empty(), List.of(ValuesFile.of("apps/myapp/values-dev.yaml", "image.tag")), release,
        GitopsRequest.DEFAULT_MESSAGE, "imagegate-bot", "bot@imagegate.dev", Optional.empty(), 3, Duration.ofMillis(50),
        Duration.ofSeconds(30), tmp.resolve("work"), false, false, ssh);
  }

  private GitopsRequest request(String tag, SshOptions ssh) {
    return request(sshUrl, tag, ssh);
  }

  @Test
  void anUpdateOverSshLandsOneCommitWithTheNewTag() throws Exception {
    String seedHead = git(bare, "rev-parse", "main").trim();
    String tag = "sha-" + "a".repeat(40);
    GitopsUpdater updater = new GitopsUpdater(Reporter.SILENT);
    GitopsResult result = updater.update(request(tag, keyFile(key, Optional.empty(), knownHosts)));
    updater.awaitCleanup();
    assertTrue(result.changed());
    assertEquals(List.of("apps/myapp/values-dev.yaml"), result.files());

    // read back with OpenSSH + git over the same server
    Path clone = tmp.resolve("check");
    run(tmp, Map.of("GIT_SSH_COMMAND", sshCommand(key)), "git", "clone", "-q", sshUrl, clone.toString());
    assertEquals(result.commit(), git(clone, "rev-parse", "HEAD").trim());
    assertEquals(seedHead, git(clone, "rev-parse", "HEAD~1").trim());
    assertEquals("2", git(clone, "rev-list", "--count", "HEAD").trim());
    assertEquals(DEV.replace(OLD, tag), Files.readString(clone.resolve("apps/myapp/values-dev.yaml")));

    // the key as text (what an environment variable holds), scp-like URL form is not usable with a port, so ssh:// again
    String tag2 = "sha-" + "b".repeat(40);
    SshOptions fromText =
        new SshOptions(Optional.empty(), Optional.of(Files.readString(key)), "$IMAGEGATE_GITOPS_SSH_KEY", Optional.empty(), null, knownHosts, true);
    GitopsResult second = updater.update(request(tag2, fromText));
    updater.awaitCleanup();
    assertTrue(second.changed());
    assertEquals(second.commit(), git(bare, "rev-parse", "main").trim());
    assertEquals(result.commit(), git(bare, "rev-parse", "main~1").trim());
    assertEquals(DEV.replace(OLD, tag2), git(bare, "show", "main:apps/myapp/values-dev.yaml"));
  }

  @Test
  void aKeyTheServerDoesNotKnowIsPermissionDenied() throws Exception {
    Path other = tmp.resolve("other_ed25519");
    run(tmp, Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "not-authorized", "-f", other.toString());
    String before = git(bare, "rev-parse", "main").trim();
    GitopsException e =
        assertThrows(
            GitopsException.class,
            () -> new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "c".repeat(40), keyFile(other, Optional.empty(), knownHosts))));
    assertTrue(e.getMessage().contains("refused the key " + other), e.getMessage());
    assertTrue(e.suggestion().contains("deploy key with write access"), e.suggestion());
    assertEquals(before, git(bare, "rev-parse", "main").trim());
  }

  @Test
  void anUnknownHostKeyIsRefusedWithTheKeyscanFix() throws Exception {
    Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
    String before = git(bare, "rev-parse", "main").trim();
    GitopsException e =
        assertThrows(
            GitopsException.class,
            () -> new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "d".repeat(40), keyFile(key, Optional.empty(), empty))));
    assertTrue(e.getMessage().contains("[127.0.0.1]:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("is unknown"), e.getMessage());
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
    assertTrue(e.suggestion().contains("ssh-keyscan -p " + port + " 127.0.0.1 >> " + empty), e.suggestion());
    assertEquals(before, git(bare, "rev-parse", "main").trim());

    // the fix from the message works: ssh-keyscan's line is accepted
    String scanned = run(tmp, Map.of(), "ssh-keyscan", "-p", port, "-t", "ed25519", "127.0.0.1");
    Files.writeString(empty, scanned);
    assertTrue(new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "d".repeat(40), keyFile(key, Optional.empty(), empty))).changed());
  }

  @Test
  void aChangedHostKeyIsRefused() throws Exception {
    Path impostor = tmp.resolve("impostor");
    run(tmp, Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", impostor.toString());
    String pub = Files.readString(Path.of(impostor + ".pub")).trim().split(" ")[0] + " " + Files.readString(Path.of(impostor + ".pub")).trim().split(" ")[1];
    Path hosts = Files.writeString(tmp.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + pub + "\n");
    GitopsException e =
        assertThrows(
            GitopsException.class,
            () -> new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "e".repeat(40), keyFile(key, Optional.empty(), hosts))));
    assertTrue(e.getMessage().contains("has CHANGED"), e.getMessage());
    assertTrue(e.suggestion().contains("ssh-keygen -R '[127.0.0.1]:" + port + "'"), e.suggestion());
  }

  @Test
  void hostKeyCheckingCanBeTurnedOffExplicitly() throws Exception {
    Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
    SshOptions off = new SshOptions(Optional.of(key), Optional.empty(), null, Optional.empty(), null, empty, false);
    assertTrue(new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "9".repeat(40), off)).changed());
  }

  @Test
  void aPassphraseProtectedKeyWorksWithTheRightPassphraseAndFailsClearlyWithAWrongOne() throws Exception {
    // the peer's authorized key, re-encrypted with a passphrase (same key pair: the server needs no change)
    Path locked = tmp.resolve("locked_ed25519");
    Files.copy(key, locked);
    run(tmp, Map.of(), "ssh-keygen", "-q", "-p", "-P", "", "-N", "correct horse", "-f", locked.toString());
    assertTrue(Files.readString(locked).contains("OPENSSH PRIVATE KEY"));

    GitopsException wrong =
        assertThrows(
            GitopsException.class,
            () -> new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "7".repeat(40), keyFile(locked, Optional.of("battery staple"), knownHosts))));
    assertTrue(wrong.getMessage().contains("passphrase from $TEST_PASSPHRASE is wrong"), wrong.getMessage());
    assertFalse((wrong.getMessage() + wrong.suggestion()).contains("battery staple"));

    GitopsException none =
        assertThrows(
            GitopsException.class,
            () -> new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "7".repeat(40), keyFile(locked, Optional.empty(), knownHosts))));
    assertTrue(none.getMessage().contains("protected by a passphrase, but none is set"), none.getMessage());

    GitopsResult ok = new GitopsUpdater(Reporter.SILENT).update(request("sha-" + "7".repeat(40), keyFile(locked, Optional.of("correct horse"), knownHosts)));
    assertTrue(ok.changed());
    assertEquals(ok.commit(), git(bare, "rev-parse", "main").trim());
  }

  private String sshCommand(Path identity) {
    return "ssh -F /dev/null -i " + identity + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="
        + knownHosts;
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@imagegate.dev", "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    return run(dir, Map.of(), cmd.toArray(String[]::new));
  }

  private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }
}
