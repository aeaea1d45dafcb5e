package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagegate.oci.Digests;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The KMS signer against moto (scripts/peers; IMAGEGATE_MOTO_URL). moto implements MessageType=RAW correctly and
 * hashes DIGEST messages again, so here only the RAW path (≤ 4096 bytes) is shown to produce valid signatures; for the
 * DIGEST path this test shows that the request is made and that the local check refuses the (moto-broken) result.
 */
class KmsSignerTest {
  static final StaticCredentialsProvider CREDS = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  @TempDir Path dir;
  URI moto;
  KmsClient kms;

  @BeforeEach
  void moto() {
    String url = System.getenv("IMAGEGATE_MOTO_URL");
    assumeTrue(url != null && !url.isBlank(), "needs moto: eval \"$(scripts/peers env)\"");
    moto = URI.create(url);
    kms = KmsClient.builder().region(Region.US_WEST_2).endpointOverride(moto).credentialsProvider(CREDS)
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  String createKey(String alias) {
    String arn = kms.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().arn();
    kms.createAlias(r -> r.aliasName(alias).targetKeyId(arn));
    return arn;
  }

  @Test
  void signsRawAndCosignVerifiesWithTheExportedPublicKey() throws Exception {
    String arn = createKey("alias/imagegate-unit-" + System.nanoTime());
    assertTrue(arn.startsWith("arn:aws:kms:us-west-2:"), arn);
    // region from the ARN, although the caller says us-east-1
    try (KmsSigner signer = KmsSigner.open("awskms:///" + arn, Optional.of("us-east-1"), CREDS, Optional.of(moto))) {
      assertEquals(arn, signer.keyId());
      byte[] payload = SimpleSigningPayload.create("r/x", FormatTest.DIGEST, Map.of());
      byte[] sig = signer.signVerified(payload);
      Files.write(dir.resolve("payload.json"), payload);
      Files.write(dir.resolve("payload.sig"), java.util.Base64.getEncoder().encode(sig));
      Files.writeString(dir.resolve("kms.pub"), PublicKeys.toPem(signer.publicKey()));
      // real cosign verify-blob with the exported public key
      String out = Tools.ok(dir, Map.of(), "cosign", "verify-blob", "--key", "kms.pub", "--signature", "payload.sig",
          "--insecure-ignore-tlog=true", "payload.json");
      assertTrue(out.contains("Verified OK"), out);
      // and cosign itself reads the same public key from moto through the awskms:// reference
      String pub = Tools.ok(dir, Map.of("AWS_ENDPOINT_URL", moto.toString(), "AWS_REGION", "us-west-2",
          "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"), "cosign", "public-key", "--key", "awskms:///" + arn);
      assertEquals(PublicKeys.fingerprint(signer.publicKey()), PublicKeys.fingerprint(PublicKeys.fromPem(pub.substring(pub.indexOf("-----BEGIN")))));
    }
  }

  @Test
  void anAliasIsHandedToVerifiersAsTheKeyArnWithItsRegion() throws Exception {
    // awskms:///alias/x in the Kyverno policy would be resolved in the cluster's region, where the alias can name
    // another key (or none): verifiers get the key ARN that sign.json records
    String alias = "alias/imagegate-unit-" + System.nanoTime();
    String arn = createKey(alias);
    try (KmsSigner signer = KmsSigner.open("awskms:///" + alias, Optional.of("us-west-2"), CREDS, Optional.of(moto))) {
      assertEquals("awskms:///" + alias, signer.reference());
      assertEquals("awskms:///" + arn, signer.keyArnReference());
      assertTrue(signer.keyArnReference().matches("awskms:///arn:aws:kms:us-west-2:\\d{12}:key/.+"), signer.keyArnReference());
    }
    // the endpoint of an awskms://<host>/ reference is kept
    assertEquals("awskms://kms.example:4566/" + arn, KmsKeyReference.parse("awskms://kms.example:4566/" + alias).keyArnReference(arn));
    // a key id is not an ARN: refused rather than written without its region
    SigningException e = assertThrows(SigningException.class, () -> KmsKeyReference.parse(alias).keyArnReference(arn.substring(arn.indexOf("key/") + 4)));
    assertTrue(e.getMessage().contains("did not name the key ARN"), e.getMessage());
  }

  @Test
  void aliasWithoutRegionUsesTheGivenRegion() throws Exception {
    String alias = "alias/imagegate-unit-" + System.nanoTime();
    String arn = createKey(alias);
    try (KmsSigner signer = KmsSigner.open(alias, Optional.of("us-west-2"), CREDS, Optional.of(moto))) {
      assertEquals(arn, signer.keyId());
      byte[] m = new byte[KmsSigner.RAW_LIMIT];
      assertTrue(PublicKeys.verify(signer.publicKey(), m, signer.signVerified(m)));
    }
    // the alias does not exist in us-east-1: a clear error
    SigningException e = assertThrows(SigningException.class, () -> KmsSigner.open(alias, Optional.of("us-east-1"), CREDS, Optional.of(moto)));
    assertTrue(e.getMessage().startsWith("KMS GetPublicKey for awskms:///" + alias + " failed: NotFoundException"), e.getMessage());
    assertTrue(e.suggestion().contains("us-east-1"), e.suggestion());
  }

  @Test
  void overFourKilobytesUsesDigestWhichMotoGetsWrongAndTheLocalCheckCatches() throws Exception {
    String arn = createKey("alias/imagegate-unit-" + System.nanoTime());
    try (KmsSigner signer = KmsSigner.open(arn, Optional.empty(), CREDS, Optional.of(moto))) {
      byte[] big = new byte[KmsSigner.RAW_LIMIT + 1];
      // What real KMS returns for DIGEST is a signature over the message; moto signs SHA-256(SHA-256(message)).
      byte[] sig = signer.sign(big);
      assertFalse(PublicKeys.verify(signer.publicKey(), big, sig), "moto fixed DIGEST? then this test should assert it verifies");
      assertTrue(PublicKeys.verify(signer.publicKey(), Digests.newSha256().digest(big), sig),
          "the signer sent MessageType=DIGEST with SHA-256(message) (moto hashed it once more)");
      SigningException e = assertThrows(SigningException.class, () -> signer.signVerified(big));
      assertTrue(e.getMessage().contains("nothing was uploaded"), e.getMessage());
    }
  }

  @Test
  void refusesNonSigningKeys() {
    String arn = kms.createKey(r -> r.keySpec(KeySpec.SYMMETRIC_DEFAULT).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)).keyMetadata().arn();
    SigningException e = assertThrows(SigningException.class, () -> KmsSigner.open(arn, Optional.empty(), CREDS, Optional.of(moto)));
    assertTrue(e.getMessage().contains("ECC_NIST_P256"), e.getMessage());
  }

  @Test
  void checkUsableRefusesADisabledKeyAndAcceptsAnEnabledSigningKey() throws Exception {
    String arn = createKey("alias/imagegate-unit-" + System.nanoTime());
    try (KmsSigner signer = KmsSigner.open(arn, Optional.empty(), CREDS, Optional.of(moto))) {
      signer.checkUsable();
      String id = kms.describeKey(r -> r.keyId(arn)).keyMetadata().keyId();
      kms.disableKey(r -> r.keyId(id));
      SigningException e = assertThrows(SigningException.class, signer::checkUsable);
      assertTrue(e.getMessage().contains("is Disabled, not Enabled"), e.getMessage());
      assertTrue(e.suggestion().contains("aws kms enable-key"), e.suggestion());
    }
  }

  @Test
  void deterministicLocalSignaturesAreStableButKmsOnesNeedNotBe() throws Exception {
    String arn = createKey("alias/imagegate-unit-" + System.nanoTime());
    try (KmsSigner signer = KmsSigner.open(arn, Optional.empty(), CREDS, Optional.of(moto))) {
      byte[] m = "x".getBytes();
      byte[] a = signer.signVerified(m);
      byte[] b = signer.signVerified(m);
      assertTrue(PublicKeys.verify(signer.publicKey(), m, a) && PublicKeys.verify(signer.publicKey(), m, b));
      assertFalse(java.util.Arrays.equals(a, new byte[a.length]));
      assertArrayEquals(a, a.clone());
    }
  }
}
