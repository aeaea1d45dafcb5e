package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-checks with the real cosign and openssl CLIs. */
class KeyFileSignerTest {
  @TempDir Path dir;

  @Test
  void cosignGeneratedEncryptedKeyDecryptsAndSignsVerifiablyByOpenssl() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "s3cret pässword"), "cosign", "generate-key-pair");
    assertTrue(Files.readString(dir.resolve("cosign.key")).contains("ENCRYPTED"));
    KeyFileSigner signer = KeyFileSigner.load(dir.resolve("cosign.key"), "s3cret pässword".toCharArray());
    // the public key we derive is the one cosign wrote
    assertEquals(
        PublicKeys.fingerprint(PublicKeys.read(dir.resolve("cosign.pub"))), PublicKeys.fingerprint(signer.publicKey()));

    byte[] payload = SimpleSigningPayload.create("r/x", FormatTest.DIGEST, Map.of());
    byte[] sig = signer.signVerified(payload);
    byte[] again = signer.sign(payload);
    assertFalse(java.util.Arrays.equals(sig, again), "ECDSA with a random k, like cosign's own signatures");
    assertTrue(PublicKeys.verify(signer.publicKey(), payload, again));
    Files.write(dir.resolve("payload.json"), payload);
    Files.write(dir.resolve("payload.sig"), sig);
    String out = Tools.ok(dir, Map.of(), "openssl", "dgst", "-sha256", "-verify", "cosign.pub", "-signature", "payload.sig", "payload.json");
    assertTrue(out.contains("Verified OK"), out);

    // and openssl rejects the signature over other bytes
    Files.write(dir.resolve("other.json"), SimpleSigningPayload.create("r/x", "sha256:" + "cd".repeat(32), Map.of()));
    assertFalse(Tools.run(dir, Map.of(), java.util.List.of("openssl", "dgst", "-sha256", "-verify", "cosign.pub", "-signature", "payload.sig", "other.json")).exit() == 0);

    SigningException wrong = assertThrows(SigningException.class, () -> KeyFileSigner.load(dir.resolve("cosign.key"), "nope".toCharArray()));
    assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
  }

  @Test
  void cosignKeyWithEmptyPassword() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", ""), "cosign", "generate-key-pair");
    KeyFileSigner signer = KeyFileSigner.load(dir.resolve("cosign.key"), new char[0]);
    assertTrue(PublicKeys.verify(PublicKeys.read(dir.resolve("cosign.pub")), "x".getBytes(StandardCharsets.UTF_8), signer.sign("x".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void opensslPkcs8AndSec1KeysSignAndCosignSignaturesVerify() throws Exception {
    Tools.ok(dir, Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "pkcs8.pem");
    Tools.ok(dir, Map.of(), "openssl", "ec", "-in", "pkcs8.pem", "-out", "sec1.pem");
    Tools.ok(dir, Map.of(), "openssl", "ec", "-in", "pkcs8.pem", "-pubout", "-out", "pub.pem");
    assertTrue(Files.readString(dir.resolve("pkcs8.pem")).contains("BEGIN PRIVATE KEY"));
    assertTrue(Files.readString(dir.resolve("sec1.pem")).contains("BEGIN EC PRIVATE KEY"));
    KeyFileSigner a = KeyFileSigner.load(dir.resolve("pkcs8.pem"), null);
    KeyFileSigner b = KeyFileSigner.load(dir.resolve("sec1.pem"), null);
    assertEquals(PublicKeys.fingerprint(PublicKeys.read(dir.resolve("pub.pem"))), a.keyId());
    assertEquals(a.keyId(), b.keyId());

    // a signature made by openssl verifies with our verifier; a flipped byte does not
    Files.writeString(dir.resolve("m.txt"), "message");
    Tools.ok(dir, Map.of(), "openssl", "dgst", "-sha256", "-sign", "pkcs8.pem", "-out", "m.sig", "m.txt");
    byte[] sig = Files.readAllBytes(dir.resolve("m.sig"));
    assertTrue(PublicKeys.verify(a.publicKey(), "message".getBytes(StandardCharsets.UTF_8), sig));
    assertFalse(PublicKeys.verify(a.publicKey(), "messagE".getBytes(StandardCharsets.UTF_8), sig));
  }

  @Test
  void aPublicKeyIsNotASigningKey() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", ""), "cosign", "generate-key-pair");
    SigningException e = assertThrows(SigningException.class, () -> KeyFileSigner.load(dir.resolve("cosign.pub"), null));
    assertTrue(e.getMessage().contains("is a public key"), e.getMessage());
    assertTrue(e.suggestion().contains("signingKey (imagegate.sign.key)") && e.suggestion().contains("publicKey (imagegate.verify.key)"), e.suggestion());
  }

  @Test
  void aPrivateKeyIsNotAVerificationKey() throws Exception {
    // what -Dimagegate.verify.key=cosign.key (or a shared <key>) used to answer with "ENCRYPTED SIGSTORE PRIVATE KEY"
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "pw"), "cosign", "generate-key-pair");
    Tools.ok(dir, Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "pkcs8.pem");
    for (String file : java.util.List.of("cosign.key", "pkcs8.pem")) {
      SigningException e = assertThrows(SigningException.class, () -> PublicKeys.read(dir.resolve(file)));
      assertTrue(e.getMessage().startsWith("The key " + dir.resolve(file) + " is a private key"), e.getMessage());
      assertTrue(e.suggestion().contains("cosign.pub") && e.suggestion().contains("publicKey (imagegate.verify.key)"), e.suggestion());
    }
    assertEquals(PublicKeys.fingerprint(PublicKeys.read(dir.resolve("cosign.pub"))),
        PublicKeys.fingerprint(KeyFileSigner.load(dir.resolve("cosign.key"), "pw".toCharArray()).publicKey()));
  }

  @Test
  void publicKeyIsReadFromThePkcs8WhenThereElseDerivedAndAWrongOneIsRefused() throws Exception {
    // the JDK's own PKCS#8 encoding leaves the public key out: it is derived (Bouncy Castle) and matches
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair jdk = g.generateKeyPair();
    assertTrue(KeyFileSigner.publicPoint(jdk.getPrivate().getEncoded()).isEmpty());
    assertEquals(PublicKeys.fingerprint(jdk.getPublic()), PublicKeys.fingerprint(KeyFileSigner.fromPkcs8("jdk", jdk.getPrivate().getEncoded()).publicKey()));

    // OpenSSL's (like Go's) carries it: it is read from there, and must belong to the private key
    Tools.ok(dir, Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "a.pem");
    Tools.ok(dir, Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "b.pem");
    Tools.ok(dir, Map.of(), "openssl", "ec", "-in", "a.pem", "-pubout", "-out", "a.pub");
    byte[] a = PrivateKeyFile.pkcs8("a", Files.readString(dir.resolve("a.pem")), null);
    byte[] b = PrivateKeyFile.pkcs8("b", Files.readString(dir.resolve("b.pem")), null);
    byte[] pointA = KeyFileSigner.publicPoint(a).orElseThrow();
    byte[] pointB = KeyFileSigner.publicPoint(b).orElseThrow();
    assertEquals(65, pointA.length);
    assertEquals(PublicKeys.fingerprint(PublicKeys.read(dir.resolve("a.pub"))), PublicKeys.fingerprint(KeyFileSigner.fromPkcs8("a", a).publicKey()));
    String hexA = java.util.HexFormat.of().formatHex(a);
    byte[] swapped = java.util.HexFormat.of().parseHex(hexA.replace(java.util.HexFormat.of().formatHex(pointA), java.util.HexFormat.of().formatHex(pointB)));
    assertFalse(java.util.Arrays.equals(a, swapped));
    SigningException e = assertThrows(SigningException.class, () -> KeyFileSigner.fromPkcs8("swapped", swapped));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }

  @Test
  void signersOpenDecryptsInTheBackgroundAndAWrongPasswordFailsAtReady() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "pw"), "cosign", "generate-key-pair");
    try (Signer signer = Signers.open("cosign.key", java.util.Optional.empty(), java.util.Optional.empty(), dir, password("pw"))) {
      assertTrue(signer instanceof PendingSigner);
      signer.ready();
      assertEquals(PublicKeys.fingerprint(PublicKeys.read(dir.resolve("cosign.pub"))), PublicKeys.fingerprint(signer.publicKey()));
      byte[] m = "x".getBytes(StandardCharsets.UTF_8);
      assertTrue(PublicKeys.verify(signer.publicKey(), m, signer.signVerified(m)));
    }
    try (Signer signer = Signers.open("cosign.key", java.util.Optional.empty(), java.util.Optional.empty(), dir, password("nope"))) {
      SigningException e = assertThrows(SigningException.class, signer::ready);
      assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
      assertThrows(SigningException.class, () -> signer.sign("x".getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static Signers.Access password(String password) {
    return new Signers.Access() {
      @Override
      public char[] keyPassword() {
        return password.toCharArray();
      }

      @Override
      public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider awsCredentials() {
        throw new AssertionError("a key file needs no AWS");
      }
    };
  }
}
