package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key loading, URL detection and host-key matching of {@link GitopsSsh}, without a server (keys made by ssh-keygen). */
class GitopsSshTest {
  @TempDir Path tmp;

  private static SshOptions options(Optional<String> passphrase) {
    return new SshOptions(Optional.empty(), Optional.empty(), null, passphrase, "$PASS", Path.of("/nonexistent/known_hosts"), true);
  }

  private Path keygen(String name, String type, String passphrase, String... extra) throws Exception {
    assumeTrue(new java.io.File("/usr/bin/ssh-keygen").canExecute(), "ssh-keygen not installed (scripts/peers install)");
    Path key = tmp.resolve(name);
    List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test", "-f", key.toString()));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    return key;
  }

  @Test
  void readsAnEncryptedPemRsaKeyWithItsPassphraseOnly() throws Exception {
    Path key = keygen("rsa_pem", "rsa", "s3cret pass", "-b", "2048", "-m", "PEM");
    String text = Files.readString(key);
    assertTrue(text.startsWith("-----BEGIN RSA PRIVATE KEY-----") && text.contains("ENCRYPTED"), text.lines().limit(3).toList().toString());

    List<KeyPair> pairs = GitopsSsh.parse(Files.readAllBytes(key), key.toString(), options(Optional.of("s3cret pass")));
    assertEquals(1, pairs.size());
    assertEquals("RSA", pairs.get(0).getPublic().getAlgorithm());

    GitopsException wrong =
        assertThrows(GitopsException.class, () -> GitopsSsh.parse(Files.readAllBytes(key), key.toString(), options(Optional.of("nope-xyz"))));
    assertTrue(wrong.getMessage().contains("passphrase from $PASS is wrong"), wrong.getMessage());
    assertFalse((wrong.getMessage() + wrong.suggestion()).contains("nope-xyz"));

    GitopsException none = assertThrows(GitopsException.class, () -> GitopsSsh.parse(Files.readAllBytes(key), key.toString(), options(Optional.empty())));
    assertTrue(none.getMessage().contains("protected by a passphrase, but none is set"), none.getMessage());
    assertTrue(none.suggestion().contains("$PASS"), none.suggestion());
  }

  @Test
  void readsAnOpenSshEd25519KeyFromText() throws Exception {
    Path key = keygen("ed", "ed25519", "");
    SshOptions text = new SshOptions(Optional.empty(), Optional.of(Files.readString(key)), "$KEY", Optional.empty(), null, tmp.resolve("kh"), true);
    try (GitopsSsh ssh = GitopsSsh.open(text)) {
      assertTrue(ssh.options().keyText().isPresent());
    }
    List<KeyPair> pairs = GitopsSsh.parse(Files.readAllBytes(key), "$KEY", text);
    assertEquals(1, pairs.size());
    assertFalse(text.toString().contains("PRIVATE KEY"), text.toString());
  }

  @Test
  void aMissingKeyFileOrAPublicKeyIsNamed() throws Exception {
    Path missing = tmp.resolve("nope");
    SshOptions opts = new SshOptions(Optional.of(missing), Optional.empty(), null, Optional.empty(), null, tmp.resolve("kh"), true);
    GitopsException e = assertThrows(GitopsException.class, () -> GitopsSsh.open(opts));
    assertTrue(e.getMessage().contains("The SSH key file " + missing + " does not exist"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.gitops.sshKey"), e.suggestion());

    Path key = keygen("ed2", "ed25519", "");
    Path pub = Path.of(key + ".pub");
    GitopsException notPrivate =
        assertThrows(GitopsException.class, () -> GitopsSsh.parse(Files.readAllBytes(pub), pub.toString(), options(Optional.empty())));
    assertTrue(notPrivate.getMessage().contains("is not a private key"), notPrivate.getMessage());
  }

  @Test
  void recognisesSshUrls() throws Exception {
    assertTrue(GitopsSsh.isSsh(new URIish("git@github.com:org/deploy.git")));
    assertTrue(GitopsSsh.isSsh(new URIish("ssh://git@host:2222/org/deploy.git")));
    assertTrue(SshOptions.isSshUrl("git+ssh://git@host/org/deploy.git"));
    assertFalse(SshOptions.isSshUrl("https://github.com/org/deploy.git"));
    assertFalse(SshOptions.isSshUrl("http://127.0.0.1:15020/git/x.git"));
    assertFalse(SshOptions.isSshUrl("/tmp/local/repo.git"));
    assertFalse(SshOptions.isSshUrl("file:///tmp/local/repo.git"));
  }

  @Test
  void hostAndPortOfAConnectAddress() {
    assertEquals(new GitopsSsh.HostPort("github.com", 22), GitopsSsh.HostPort.parse("github.com"));
    assertEquals(new GitopsSsh.HostPort("127.0.0.1", 15521), GitopsSsh.HostPort.parse("[127.0.0.1]:15521"));
    assertEquals("[127.0.0.1]:15521", GitopsSsh.HostPort.parse("[127.0.0.1]:15521").display());
    assertEquals("github.com", GitopsSsh.HostPort.parse("github.com").display());
  }

  @Test
  void knownHostsMatchesPlainAndHashedEntriesAndRecordsWhy() throws Exception {
    Path host = keygen("host", "ed25519", "");
    Path other = keygen("other", "ed25519", "");
    String hostPub = String.join(" ", List.of(Files.readString(Path.of(host + ".pub")).trim().split(" ")).subList(0, 2));
    String otherPub = String.join(" ", List.of(Files.readString(Path.of(other + ".pub")).trim().split(" ")).subList(0, 2));
    java.security.PublicKey serverKey = GitopsSsh.parse(Files.readAllBytes(host), "host", options(Optional.empty())).get(0).getPublic();

    Path file = Files.writeString(tmp.resolve("known_hosts"), "[gitops.example]:2222 " + hostPub + "\n");
    GitopsSsh.KnownHosts hosts = new GitopsSsh.KnownHosts(file, true);
    assertTrue(hosts.accept("[gitops.example]:2222", null, serverKey, null, null));
    assertFalse(hosts.accept("gitops.example", null, serverKey, null, null), "port 22 is another host entry");
    assertTrue(hosts.rejection.contains("gitops.example") && hosts.rejection.contains("is unknown"), hosts.rejection);
    assertTrue(hosts.fix.contains("ssh-keyscan -p 22 gitops.example >> " + file), hosts.fix);

    // hashed entry (ssh-keygen -H), as GitHub runners' known_hosts often are
    Path hashed = Files.writeString(tmp.resolve("hashed"), "gitops.example " + hostPub + "\n");
    Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", hashed.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
    assertTrue(Files.readString(hashed).startsWith("|1|"));
    assertTrue(new GitopsSsh.KnownHosts(hashed, true).accept("gitops.example", null, serverKey, null, null));

    Path changed = Files.writeString(tmp.resolve("changed"), "gitops.example " + otherPub + "\n");
    GitopsSsh.KnownHosts c = new GitopsSsh.KnownHosts(changed, true);
    assertFalse(c.accept("gitops.example", null, serverKey, null, null));
    assertTrue(c.rejection.contains("has CHANGED"), c.rejection);

    assertTrue(new GitopsSsh.KnownHosts(tmp.resolve("absent"), false).accept("x", null, serverKey, null, null), "opt-out accepts");
  }
}
