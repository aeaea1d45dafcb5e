package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A build decrypts a key file once: push's check and the sign goal (and every module) share it while the file and the
 * password are the same; a changed file, another password, a failure: decrypted (and reported) again. Real cosign keys.
 */
class KeyFileCacheTest {
  @TempDir Path dir;

  @Test
  void theSameKeyAndPasswordDecryptOncePerBuild() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "pw"), "cosign", "generate-key-pair");
    Path key = dir.resolve("cosign.key");
    KeyFileCache build = KeyFileCache.forBuild();
    KeyFileSigner first = build.load(key, "pw".toCharArray());
    Files.createDirectories(dir.resolve("sub"));
    assertSame(first, build.load(dir.resolve("sub/../cosign.key"), "pw".toCharArray()), "the same file, the same password: not decrypted again");
    assertEquals(1, build.size());
    assertNotSame(first, KeyFileCache.forBuild().load(key, "pw".toCharArray()), "another build decrypts its own");
    assertNotSame(first, KeyFileCache.NONE.load(key, "pw".toCharArray()), "NONE keeps nothing");
    assertEquals(PublicKeys.fingerprint(PublicKeys.read(dir.resolve("cosign.pub"))), PublicKeys.fingerprint(first.publicKey()));

    // the file replaced by another key at the same path: that key, not the one decrypted before
    Path other = Files.createDirectories(dir.resolve("other"));
    Tools.ok(other, Map.of("COSIGN_PASSWORD", "pw"), "cosign", "generate-key-pair");
    Files.copy(other.resolve("cosign.key"), key, StandardCopyOption.REPLACE_EXISTING);
    KeyFileSigner replaced = build.load(key, "pw".toCharArray());
    assertEquals(PublicKeys.fingerprint(PublicKeys.read(other.resolve("cosign.pub"))), PublicKeys.fingerprint(replaced.publicKey()));
  }

  @Test
  void aWrongPasswordFailsEveryTimeAndIsNotKept() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "pw"), "cosign", "generate-key-pair");
    Path key = dir.resolve("cosign.key");
    KeyFileCache build = KeyFileCache.forBuild();
    build.load(key, "pw".toCharArray());
    for (int i = 0; i < 2; i++) {
      SigningException e = assertThrows(SigningException.class, () -> build.load(key, "nope".toCharArray()), "a right password before does not open it");
      assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }
    assertEquals(1, build.size(), "only the key that decrypted is kept");
  }

  @Test
  void aWarmUpDecryptsAheadForTheGoalsAfterIt() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "pw"), "cosign", "generate-key-pair");
    KeyFileCache build = KeyFileCache.forBuild();
    assertTrue(build.claimWarmUp());
    assertFalse(build.claimWarmUp(), "once per build");
    assertFalse(KeyFileCache.NONE.claimWarmUp());
    assertTrue(Signers.warmUp("cosign.key", dir, access("pw", build)));
    assertFalse(Signers.warmUp("awskms:///alias/imagegate", dir, access("pw", build)), "a KMS key has nothing to decrypt");
    assertFalse(Signers.warmUp("cosign.key", dir, access("pw", KeyFileCache.NONE)));
    // the sign goal's own open finds the key the warm-up decrypted (or waits for it), and push's check too
    try (Signer signer = Signers.open("cosign.key", Optional.empty(), Optional.empty(), dir, access("pw", build))) {
      signer.ready();
      assertSame(build.load(dir.resolve("cosign.key"), "pw".toCharArray()), signer.loaded());
    }
    assertTrue(Signers.check("cosign.key", Optional.empty(), Optional.empty(), dir, access("pw", build)).contains("is ready to sign"));
    assertEquals(1, build.size());
    // a warm-up with a wrong password leaves nothing behind, and the goal's own load says what is wrong
    KeyFileCache wrong = KeyFileCache.forBuild();
    assertTrue(Signers.warmUp("cosign.key", dir, access("nope", wrong)));
    try (Signer signer = Signers.open("cosign.key", Optional.empty(), Optional.empty(), dir, access("nope", wrong))) {
      assertTrue(assertThrows(SigningException.class, signer::ready).getMessage().contains("wrong password"));
    }
    assertEquals(0, wrong.size());
  }

  private static Signers.Access access(String password, KeyFileCache keyFiles) {
    return new Signers.Access() {
      @Override
      public char[] keyPassword() {
        return password.toCharArray();
      }

      @Override
      public AwsCredentialsProvider awsCredentials() {
        throw new AssertionError("no AWS for a key file");
      }

      @Override
      public KeyFileCache keyFiles() {
        return keyFiles;
      }
    };
  }
}
