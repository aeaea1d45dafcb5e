package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.HandoverException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.PushRecord;
import dev.imagegate.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sign attests only what is about the digest it signs, read from the output directory it is given: a scan.json or
 * sbom.cdx.json an earlier image left is refused before any registry is asked (the push.json target is unreachable,
 * so reaching it would fail differently).
 */
class SignRunHandoverTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String EARLIER = "sha256:" + "b".repeat(64);

  @TempDir Path dir;

  private Path handover(String pushed) throws Exception {
    // not target/imagegate: a custom imagegate.outputDirectory
    Path out = Files.createDirectories(dir.resolve("build/custom-handover"));
    new ImageDescriptor(1, "myapp", "sha-" + SHA, DIGEST, "application/vnd.oci.image.manifest.v1+json", "sha256:" + "c".repeat(64),
        "image.tar", null, List.of(), "65532", "2026-03-01T12:00:00Z", SHA, false, "test").write(out);
    new PushRecord(1, pushed, "sha-" + SHA, SHA, "2026-03-01T12:05:00Z", "anonymous", List.of(
        new PushRecord.Target("127.0.0.1:1", "myapp", null, false, "127.0.0.1:1/myapp@" + pushed, List.of("sha-" + SHA), 0, 0))).write(out);
    return out;
  }

  private Signer signer() throws Exception {
    return Tools.jdkKeySigner(dir);
  }

  private HandoverException refused(Path out) throws Exception {
    try (RegistryAuth auth = new RegistryAuth(CredentialProvider.NONE, CredentialProvider.NONE, null)) {
      SignRun.Request request = new SignRun.Request(out, signer(), auth, RegistryOptions.DEFAULTS.withAllowInsecure(true), Map.of(), true, true, "test", "p");
      return assertThrows(HandoverException.class, () -> SignRun.execute(request, Reporter.SILENT));
    }
  }

  @Test
  void aScanOfAnEarlierImageIsNeverAttestedToThisOne() throws Exception {
    Path out = handover(DIGEST);
    Files.writeString(out.resolve("scan.json"), "{\"schemaVersion\":1,\"digest\":\"" + EARLIER + "\",\"scannedAt\":\"2026-03-01T12:02:00Z\",\"findings\":[]}");
    HandoverException e = refused(out);
    assertTrue(e.getMessage().contains(out.resolve("scan.json") + " is about image " + EARLIER + ", but this build's image is " + DIGEST), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate:scan"), e.suggestion());
    assertFalse(Files.exists(out.resolve("sign.json")));
  }

  @Test
  void anSbomOfAnEarlierImageIsNeverAttestedToThisOne() throws Exception {
    Path out = handover(DIGEST);
    Files.writeString(out.resolve("sbom.cdx.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"component\":"
        + "{\"type\":\"container\",\"name\":\"myapp\",\"version\":\"" + EARLIER + "\",\"bom-ref\":\"" + EARLIER + "\"}},\"components\":[]}");
    HandoverException e = refused(out);
    assertTrue(e.getMessage().contains("sbom.cdx.json is about image " + EARLIER + ", but this build's image is " + DIGEST), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate:scan"), e.suggestion());
  }

  @Test
  void aPushOfAnotherImageThanTheOneBuiltIsNotSigned() throws Exception {
    Path out = handover(EARLIER);
    HandoverException e = refused(out);
    assertTrue(e.getMessage().contains("push.json is about image " + EARLIER + ", but this build's image is " + DIGEST), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate:push"), e.suggestion());
  }
}
