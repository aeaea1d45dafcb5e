package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running mvn deploy on the same commit scans again (new timestamps in the SBOM and the scan result) and signs
 * again: that adds no attestation (it used to pile up: 4 in .att after two runs); new content does.
 */
class AttestationRerunTest {
  @TempDir Path dir;

  /** One repository in memory. */
  static final class MemoryStore implements SignatureStore {
    final Map<String, byte[]> blobs = new HashMap<>();
    final Map<String, byte[]> tags = new HashMap<>();

    @Override
    public String name() {
      return "127.0.0.1:1/app";
    }

    @Override
    public Optional<byte[]> manifest(String tag) {
      return Optional.ofNullable(tags.get(tag));
    }

    @Override
    public byte[] blob(String digest) {
      return blobs.get(digest);
    }

    @Override
    public void putBlob(byte[] content) {
      blobs.put(Digests.sha256(content), content);
    }

    @Override
    public String putManifest(String tag, byte[] manifest, String mediaType) {
      tags.put(tag, manifest);
      return Digests.sha256(manifest);
    }
  }

  static JsonNode json(String s) throws Exception {
    return Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  static List<ImageSigner.Attestation> run(String at, String components) throws Exception {
    return List.of(
        new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, json(
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"timestamp\":\"" + at + "\"},\"components\":" + components + "}")),
        new ImageSigner.Attestation(InTotoStatement.VULN, json(
            "{\"scanner\":{\"uri\":\"u\",\"version\":\"1\",\"result\":{\"scannedAt\":\"" + at + "\",\"findings\":[]}},"
                + "\"metadata\":{\"scanStartedOn\":\"" + at + "\",\"scanFinishedOn\":\"" + at + "\"}}")));
  }

  @Test
  void aRerunAddsNoAttestationNewContentDoes() throws Exception {
    KeyFileSigner signer = KeyFileSigner.load(Tools.opensslKey(dir.resolve("key.pem")), null);
    MemoryStore store = new MemoryStore();
    String digest = "sha256:" + "ab".repeat(32);
    String att = CosignManifest.attestationTag(digest);
    String sig = CosignManifest.signatureTag(digest);

    ImageSigner.Result first = new ImageSigner(signer, Reporter.SILENT)
        .sign(digest, List.of(store), Map.of(), run("2026-12-05T08:00:00Z", "[]")).get(0);
    assertEquals(2, first.attestationsAdded());
    assertEquals(2, CosignManifest.parse(store.tags.get(att)).layers().size());

    // the same commit again: scanned again an hour later, same content
    ImageSigner.Result again = new ImageSigner(signer, Reporter.SILENT)
        .sign(digest, List.of(store), Map.of(), run("2026-12-05T09:00:00Z", "[]")).get(0);
    assertEquals(0, again.attestationsAdded());
    assertEquals(false, again.signatureAdded());
    assertEquals(2, CosignManifest.parse(store.tags.get(att)).layers().size());
    assertEquals(1, CosignManifest.parse(store.tags.get(sig)).layers().size());

    // new content (a component more in the SBOM) is a new claim: attested once more
    ImageSigner.Result changed = new ImageSigner(signer, Reporter.SILENT)
        .sign(digest, List.of(store), Map.of(), run("2026-12-05T10:00:00Z", "[{\"type\":\"library\",\"name\":\"x\",\"version\":\"1\"}]")).get(0);
    assertEquals(1, changed.attestationsAdded());
    assertEquals(3, CosignManifest.parse(store.tags.get(att)).layers().size());
  }
}
