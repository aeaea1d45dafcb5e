package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures written by {@link ImageSigner} into the two local "ECR regions" (scripts/peers), checked by the real
 * cosign CLI; and signatures written by cosign checked by {@link SignatureVerifier}.
 */
class SigningInteropTest {
  @TempDir Path dir;
  String us;
  String eu;
  String password;
  Map<String, String> cosignEnv;
  String repo;
  String digest;

  @BeforeEach
  void image() throws Exception {
    us = System.getenv("IMAGEGATE_REGISTRY_US_EAST_1");
    eu = System.getenv("IMAGEGATE_REGISTRY_US_WEST_2");
    password = System.getenv("IMAGEGATE_ECR_PASSWORD");
    String base = System.getenv("IMAGEGATE_BASE_IMAGE");
    assumeTrue(us != null && eu != null && password != null && base != null, "needs the peers: eval \"$(scripts/peers env)\"");
    String auth = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir.resolve("docker"));
    Files.writeString(dir.resolve("docker/config.json"),
        "{\"auths\":{\"" + us + "\":{\"auth\":\"" + auth + "\"},\"" + eu + "\":{\"auth\":\"" + auth + "\"}}}");
    cosignEnv = new HashMap<>(Map.of("DOCKER_CONFIG", dir.resolve("docker").toString(), "COSIGN_PASSWORD", "pw", "COSIGN_YES", "true"));
    repo = "signtest/app" + System.nanoTime();
    for (String reg : List.of(us, eu)) {
      Tools.ok(dir, cosignEnv, "skopeo", "copy", "-q", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
          "--dest-creds", "AWS:" + password, "--digestfile", "digest-" + reg.replace(':', '_'), "docker://" + base, "docker://" + reg + "/" + repo + ":v1");
    }
    digest = Files.readString(dir.resolve("digest-" + us.replace(':', '_'))).trim();
    assertEquals(digest, Files.readString(dir.resolve("digest-" + eu.replace(':', '_'))).trim());
    Tools.ok(dir, cosignEnv, "cosign", "generate-key-pair");
  }

  SignatureStore store(String registry) {
    return new RegistrySignatureStore(new RegistryClient(registry, repo,
        host -> Optional.of(new Credential("AWS", password)), RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT));
  }

  Tools.Result cosign(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("cosign"));
    cmd.addAll(List.of(args));
    return Tools.run(dir, cosignEnv, cmd);
  }

  static final String SBOM = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[{\"type\":\"library\",\"name\":\"x<y>\",\"version\":\"1\"}]}";

  @Test
  void cosignVerifiesWhatThePluginWroteInBothRegions() throws Exception {
    KeyFileSigner signer = KeyFileSigner.load(dir.resolve("cosign.key"), "pw".toCharArray());
    JsonNode sbom = Json.parse(SBOM.getBytes(StandardCharsets.UTF_8));
    List<ImageSigner.Attestation> atts = List.of(
        new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, sbom),
        new ImageSigner.Attestation(InTotoStatement.VULN, SignRun.vulnPredicate(Json.parse("{\"findings\":[],\"database\":{\"source\":\"osv\",\"version\":\"1\"}}".getBytes(StandardCharsets.UTF_8)), "test")));
    List<ImageSigner.Result> results =
        new ImageSigner(signer, Reporter.SILENT).sign(digest, List.of(store(us), store(eu)), Map.of(), atts);
    assertEquals(2, results.size());
    for (String reg : List.of(us, eu)) {
      String ref = reg + "/" + repo + "@" + digest;
      Tools.Result v = cosign("verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref);
      assertEquals(0, v.exit(), v.output());
      assertTrue(v.output().contains(digest), v.output());
      Tools.Result a = cosign("verify-attestation", "--key", "cosign.pub", "--type", "cyclonedx", "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref);
      assertEquals(0, a.exit(), a.output());
      Tools.Result vuln = cosign("verify-attestation", "--key", "cosign.pub", "--type", "vuln", "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref);
      assertEquals(0, vuln.exit(), vuln.output());
    }
    // a wrong key fails cosign
    Files.createDirectories(dir.resolve("other"));
    Tools.ok(dir.resolve("other"), cosignEnv, "cosign", "generate-key-pair");
    assertNotEquals(0, cosign("verify", "--key", "other/cosign.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", us + "/" + repo + "@" + digest).exit());

    // a re-run adds nothing: same manifests
    List<ImageSigner.Result> again = new ImageSigner(signer, Reporter.SILENT).sign(digest, List.of(store(us), store(eu)), Map.of(), atts);
    assertEquals(results.get(0).signatureManifestDigest(), again.get(0).signatureManifestDigest());
    assertEquals(results.get(1).attestationManifestDigest(), again.get(1).attestationManifestDigest());
    assertFalse(again.get(0).signatureAdded());
    assertEquals(0, again.get(0).attestationsAdded());

    // cosign appends its own signature after ours; we keep both when signing with a new key
    Tools.ok(dir.resolve("other"), cosignEnv, "cosign", "sign", "--key", "cosign.key", "--tlog-upload=false", "--allow-insecure-registry", us + "/" + repo + "@" + digest);
    KeyFileSigner third = KeyFileSigner.fromPem("third", thirdKey(), null);
    new ImageSigner(third, Reporter.SILENT).sign(digest, List.of(store(us)), Map.of(), List.of());
    CosignManifest sig = CosignManifest.parse(store(us).manifest(CosignManifest.signatureTag(digest)).orElseThrow());
    assertEquals(3, sig.layers().size());
    assertEquals(0, cosign("verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", us + "/" + repo + "@" + digest).exit());
    assertEquals(0, cosign("verify", "--key", "other/cosign.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", us + "/" + repo + "@" + digest).exit());
    new SignatureVerifier(third.publicKey()).verify(store(us), digest, Optional.empty());
    new SignatureVerifier(signer.publicKey()).verify(store(eu), digest, Optional.of(InTotoStatement.CYCLONEDX));
  }

  String thirdKey() throws Exception {
    Tools.ok(dir, Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "third.pem");
    return Files.readString(dir.resolve("third.pem"));
  }

  @Test
  void verifierAcceptsCosignSignaturesAndRejectsWrongKeyTamperedPayloadAndOtherDigest() throws Exception {
    String ref = us + "/" + repo + "@" + digest;
    Tools.ok(dir, cosignEnv, "cosign", "sign", "--key", "cosign.key", "--tlog-upload=false", "--allow-insecure-registry", ref);
    Tools.ok(dir, cosignEnv, "cosign", "attest", "--key", "cosign.key", "--tlog-upload=false", "--allow-insecure-registry",
        "--type", "cyclonedx", "--predicate", write("sbom.json", SBOM).toString(), ref);
    SignatureStore store = store(us);
    java.security.PublicKey pub = PublicKeys.read(dir.resolve("cosign.pub"));
    SignatureVerifier.Report ok = new SignatureVerifier(pub).verify(store, digest, Optional.of(InTotoStatement.CYCLONEDX));
    assertEquals(1, ok.validSignatures());
    assertEquals(1, ok.validAttestations());

    // wrong key
    Files.createDirectories(dir.resolve("other"));
    Tools.ok(dir.resolve("other"), cosignEnv, "cosign", "generate-key-pair");
    SigningException wrong = assertThrows(SigningException.class,
        () -> new SignatureVerifier(PublicKeys.read(dir.resolve("other/cosign.pub"))).verify(store, digest, Optional.empty()));
    assertTrue(wrong.getMessage().contains("INVALID"), wrong.getMessage());

    // a signature for another digest: cosign's .sig of this image copied under another digest's tag
    byte[] sigManifest = store.manifest(CosignManifest.signatureTag(digest)).orElseThrow();
    String other = "sha256:" + "0".repeat(64);
    store.putManifest(CosignManifest.signatureTag(other), sigManifest, CosignManifest.MANIFEST_MEDIA_TYPE);
    SigningException otherDigest = assertThrows(SigningException.class, () -> new SignatureVerifier(pub).verify(store, other, Optional.empty()));
    assertTrue(otherDigest.getMessage().contains("ANOTHER digest"), otherDigest.getMessage());
    assertNotEquals(0, cosign("verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", us + "/" + repo + "@" + other).exit());

    // a tampered payload: same signature annotation, payload naming a different docker-reference
    CosignManifest m = CosignManifest.parse(sigManifest);
    CosignManifest.Layer layer = m.layers().get(0);
    String original = new String(store.blob(layer.digest()), StandardCharsets.UTF_8);
    byte[] tampered = original.replace("\"optional\":null", "\"optional\":{\"x\":\"y\"}").getBytes(StandardCharsets.UTF_8);
    assertNotEquals(original, new String(tampered, StandardCharsets.UTF_8));
    CosignManifest bad = CosignManifest.empty().append(CosignManifest.Layer.signature(tampered, layer.signature()));
    store.putBlob(tampered);
    store.putBlob(bad.configBytes());
    store.putManifest(CosignManifest.signatureTag(digest), bad.manifestBytes(), CosignManifest.MANIFEST_MEDIA_TYPE);
    SigningException tamperedEx = assertThrows(SigningException.class, () -> new SignatureVerifier(pub).verify(store, digest, Optional.empty()));
    assertTrue(tamperedEx.getMessage().contains("INVALID"), tamperedEx.getMessage());
    assertNotEquals(0, cosign("verify", "--key", "cosign.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref).exit());
  }

  @Test
  void kmsKeyOnMotoSignsInBothRegionsAndCosignVerifies() throws Exception {
    String motoUrl = System.getenv("IMAGEGATE_MOTO_URL");
    assumeTrue(motoUrl != null);
    URI moto = URI.create(motoUrl);
    software.amazon.awssdk.services.kms.KmsClient kms = software.amazon.awssdk.services.kms.KmsClient.builder()
        .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(moto).credentialsProvider(KmsSignerTest.CREDS)
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
    String arn = kms.createKey(r -> r.keySpec("ECC_NIST_P256").keyUsage("SIGN_VERIFY")).keyMetadata().arn();
    try (KmsSigner signer = KmsSigner.open("awskms:///" + arn, Optional.empty(), KmsSignerTest.CREDS, Optional.of(moto))) {
      // a small attestation (statement PAE <= 4096 bytes) goes RAW and is valid on moto too
      JsonNode sbom = Json.parse(SBOM.getBytes(StandardCharsets.UTF_8));
      new ImageSigner(signer, Reporter.SILENT).sign(digest, List.of(store(us), store(eu)), Map.of(),
          List.of(new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, sbom)));
      Files.writeString(dir.resolve("kms.pub"), PublicKeys.toPem(signer.publicKey()));
    }
    Map<String, String> awsEnv = new HashMap<>(cosignEnv);
    awsEnv.putAll(Map.of("AWS_ENDPOINT_URL", motoUrl, "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
    for (String reg : List.of(us, eu)) {
      String ref = reg + "/" + repo + "@" + digest;
      Tools.ok(dir, cosignEnv, "cosign", "verify", "--key", "kms.pub", "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref);
      Tools.ok(dir, cosignEnv, "cosign", "verify-attestation", "--key", "kms.pub", "--type", "cyclonedx", "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref);
      // cosign resolving the key through KMS itself (GetPublicKey on moto)
      Tools.ok(dir, awsEnv, "cosign", "verify", "--key", "awskms:///" + arn, "--insecure-ignore-tlog=true", "--allow-insecure-registry", ref);
    }
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  static String sha(String s) {
    return Digests.sha256(s.getBytes(StandardCharsets.UTF_8));
  }
}
