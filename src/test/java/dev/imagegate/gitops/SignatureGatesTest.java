package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.KeyFileSigner;
import dev.imagegate.sign.PublicKeys;
import dev.imagegate.sign.Signers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The signature gate of gitops-update is on unless explicitly opted out: the configured key, else the key sign used
 * (sign.json), else a refusal. (The gate's check against the registries is {@link SignatureGatePeerTest}.)
 */
class SignatureGatesTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final StaticCredentialsProvider CREDS = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  @TempDir Path dir;
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<String> infos = new CopyOnWriteArrayList<>();
  final Reporter reporter = new Reporter() {
    @Override
    public void info(String message) {
      infos.add(message);
    }

    @Override
    public void warn(String message) {
      warnings.add(message);
    }
  };

  final Signers.Access noAccess = new Signers.Access() {
    @Override
    public char[] keyPassword() {
      throw new AssertionError("the gate never needs a key password");
    }

    @Override
    public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider awsCredentials() {
      return CREDS;
    }
  };

  SignatureGates.Settings settings(Optional<String> key, boolean allowUnsigned, Optional<URI> kmsEndpoint) {
    return new SignatureGates.Settings(DIGEST, key, allowUnsigned, dir.resolve("imagegate"), dir, Optional.of("us-west-2"), kmsEndpoint,
        RegistryOptions.DEFAULTS);
  }

  SignatureGate choose(SignatureGates.Settings s) throws Exception {
    try (RegistryAuth auth = new RegistryAuth(CredentialProvider.NONE, CredentialProvider.NONE, () -> {
      throw new AssertionError("no ECR here");
    })) {
      return SignatureGates.choose(s, noAccess, auth, reporter);
    }
  }

  @Test
  void withNoKeyAndNoSignJsonItRefusesAndSaysHowToConfigureOrOptOut() throws Exception {
    Files.createDirectories(dir.resolve("imagegate"));
    GitopsException e = assertThrows(GitopsException.class, () -> choose(settings(Optional.empty(), false, Optional.empty())));
    assertTrue(e.getMessage().startsWith("Refusing to write " + DIGEST + " into the GitOps repository: there is no key"), e.getMessage());
    assertTrue(e.getMessage().contains("sign.json"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.gitops.verifyKey"), e.suggestion());
    assertTrue(e.suggestion().contains("imagegate.gitops.allowUnsigned=true"), e.suggestion());
  }

  @Test
  void theOptOutIsExplicitAndLogsTheDigestWrittenUnchecked() throws Exception {
    SignatureGate gate = choose(settings(Optional.empty(), true, Optional.empty()));
    assertTrue(warnings.isEmpty());
    gate.check(new ImageRelease("sha-" + "1".repeat(40), DIGEST, Optional.empty(), Optional.of("1".repeat(40)), dir.resolve("push.json")));
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("imagegate.gitops.allowUnsigned=true") && warnings.get(0).contains(DIGEST), warnings.get(0));
  }

  @Test
  void byDefaultTheKeySignUsedIsTheKeyFromSignJson() throws Exception {
    Path key = dir.resolve("key.pem");
    dev.imagegate.sign.Tools.opensslKey(key);
    KeyFileSigner signer = KeyFileSigner.load(key, null);
    Path out = Files.createDirectories(dir.resolve("imagegate"));
    dev.imagegate.sign.SignRecord.of(DIGEST, signer, List.of()).write(out);

    SignatureGates.GateKey k = SignatureGates.key(settings(Optional.empty(), false, Optional.empty()), noAccess, reporter);
    assertEquals(key.toString(), k.reference());
    assertEquals(PublicKeys.fingerprint(signer.publicKey()), PublicKeys.fingerprint(k.key()));
    assertTrue(infos.stream().anyMatch(i -> i.contains("the key sign used")), infos.toString());
    assertInstanceOf(VerifiedSignatureGate.class, choose(settings(Optional.empty(), false, Optional.empty())));

    // a configured key wins over sign.json
    Files.writeString(dir.resolve("other.pub"), PublicKeys.toPem(KeyFileSigner.load(dev.imagegate.sign.Tools.opensslKey(dir.resolve("other.pem")), null).publicKey()));
    SignatureGates.GateKey configured = SignatureGates.key(settings(Optional.of("other.pub"), false, Optional.empty()), noAccess, reporter);
    assertEquals("other.pub", configured.reference());
    assertFalse(PublicKeys.fingerprint(signer.publicKey()).equals(PublicKeys.fingerprint(configured.key())));

    // sign.json of another image does not say which key signed this one
    dev.imagegate.sign.SignRecord.of("sha256:" + "cd".repeat(32), signer, List.of()).write(out);
    GitopsException other = assertThrows(GitopsException.class, () -> SignatureGates.key(settings(Optional.empty(), false, Optional.empty()), noAccess, reporter));
    assertTrue(other.getMessage().contains("is of another image"), other.getMessage());
  }

  @Test
  void aKmsKeyFromSignJsonIsAskedOfKmsAgainByItsArn() throws Exception {
    String moto = System.getenv("IMAGEGATE_MOTO_URL");
    assumeTrue(moto != null && !moto.isBlank(), "needs moto: eval \"$(scripts/peers env)\"");
    String arn;
    PublicKey pub;
    String alias = "alias/imagegate-gate-" + System.nanoTime();
    try (KmsClient kms = KmsClient.builder().region(Region.US_WEST_2).endpointOverride(URI.create(moto)).credentialsProvider(CREDS)
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      arn = kms.createKey(r -> r.keySpec("ECC_NIST_P256").keyUsage("SIGN_VERIFY")).keyMetadata().arn();
      kms.createAlias(r -> r.aliasName(alias).targetKeyId(arn));
      pub = PublicKeys.fromDer(kms.getPublicKey(r -> r.keyId(arn)).publicKey().asByteArray());
    }
    Path out = Files.createDirectories(dir.resolve("imagegate"));
    String signJson = "{\"schemaVersion\":1,\"digest\":\"" + DIGEST + "\",\"key\":{\"reference\":\"awskms:///" + alias + "\",\"keyId\":\"" + arn
        + "\",\"publicKeyPem\":\"" + PublicKeys.toPem(pub).replace("\n", "\\n") + "\",\"fingerprint\":\"%s\"},\"signatures\":[]}";
    Files.writeString(out.resolve("sign.json"), signJson.formatted(PublicKeys.fingerprint(pub)));
    // the region is the ARN's, not the one configured (us-east-1 has no such key)
    SignatureGates.Settings s = new SignatureGates.Settings(DIGEST, Optional.empty(), false, out, dir, Optional.of("us-east-1"),
        Optional.of(URI.create(moto)), RegistryOptions.DEFAULTS);
    SignatureGates.GateKey k = SignatureGates.key(s, noAccess, reporter);
    assertEquals("awskms:///" + arn, k.reference());
    assertEquals(PublicKeys.fingerprint(pub), PublicKeys.fingerprint(k.key()));

    // a sign.json whose recorded public key is not the KMS key's: refused
    Files.writeString(out.resolve("sign.json"), signJson.formatted("sha256:" + "00".repeat(32)));
    GitopsException e = assertThrows(GitopsException.class, () -> SignatureGates.key(s, noAccess, reporter));
    assertTrue(e.getMessage().contains("records sha256:" + "00".repeat(32)), e.getMessage());
  }

  @Test
  void aBrokenSignJsonIsNotSilentlySkipped() throws Exception {
    Path out = Files.createDirectories(dir.resolve("imagegate"));
    Files.writeString(out.resolve("sign.json"), "{\"digest\":\"" + DIGEST + "\"}");
    GitopsException e = assertThrows(GitopsException.class, () -> choose(settings(Optional.empty(), false, Optional.empty())));
    assertTrue(e.getMessage().contains("does not say which key signed"), e.getMessage());
    // not JSON at all: refused too, naming the file
    Files.writeString(out.resolve("sign.json"), "{not json");
    dev.imagegate.HandoverException broken = assertThrows(dev.imagegate.HandoverException.class,
        () -> choose(settings(Optional.empty(), false, Optional.empty())));
    assertTrue(broken.getMessage().contains("sign.json"), broken.getMessage());
  }
}
