package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.oci.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void simpleSigningPayloadIsCosignsExactBytes() throws Exception {
    byte[] payload = SimpleSigningPayload.create("127.0.0.1:5000/myapp", DIGEST, Map.of());
    assertEquals(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/myapp\"},\"image\":{\"docker-manifest-digest\":\""
            + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
        new String(payload, StandardCharsets.UTF_8));
    SimpleSigningPayload.Claims claims = SimpleSigningPayload.parse(payload);
    assertEquals(DIGEST, claims.digest());
    assertEquals(SimpleSigningPayload.TYPE, claims.type());
  }

  @Test
  void annotationsAreSortedIntoOptional() {
    byte[] payload = SimpleSigningPayload.create("r/x", DIGEST, Map.of("z", "1", "a", "2"));
    assertTrue(new String(payload, StandardCharsets.UTF_8).endsWith(",\"optional\":{\"a\":\"2\",\"z\":\"1\"}}"));
  }

  @Test
  void paeCountsBytes() {
    byte[] pae = Dsse.pae("application/vnd.in-toto+json", "hé".getBytes(StandardCharsets.UTF_8));
    assertEquals("DSSEv1 28 application/vnd.in-toto+json 3 hé", new String(pae, StandardCharsets.UTF_8));
  }

  @Test
  void envelopeRoundTrips() throws Exception {
    byte[] env = Dsse.envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, "{}".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2});
    assertEquals(
        "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"AQI=\"}]}",
        new String(env, StandardCharsets.UTF_8));
    Dsse.Envelope parsed = Dsse.parse(env);
    assertArrayEquals(new byte[] {1, 2}, parsed.signatures().get(0));
    assertEquals("{}", new String(parsed.payload(), StandardCharsets.UTF_8));
  }

  @Test
  void statementHasCosignsShape() throws Exception {
    JsonNode predicate = Json.parse("{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8));
    byte[] st = InTotoStatement.create(InTotoStatement.CYCLONEDX, "r/x", DIGEST, predicate);
    assertEquals(
        "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://cyclonedx.org/bom\",\"subject\":[{\"name\":\"r/x\",\"digest\":{\"sha256\":\""
            + Digests.hex(DIGEST) + "\"}}],\"predicate\":{\"bomFormat\":\"CycloneDX\"}}",
        new String(st, StandardCharsets.UTF_8));
    assertEquals(java.util.List.of(DIGEST), InTotoStatement.parse(st).subjectDigests());
    assertEquals(InTotoStatement.VULN, InTotoStatement.predicateTypeOf("vuln"));
  }

  @Test
  void aPredicateSerializedOnceGivesTheBytesOfTheWholeTree() throws Exception {
    JsonNode predicate = Json.parse("{\"components\":[{\"name\":\"\u00e9t\u00e9 \\\"q\\\"\",\"n\":[1,2.5,null,true]}],\"metadata\":{}}".getBytes(StandardCharsets.UTF_8));
    com.fasterxml.jackson.databind.node.ObjectNode root = Json.object();
    root.put("_type", InTotoStatement.TYPE);
    root.put("predicateType", InTotoStatement.CYCLONEDX);
    com.fasterxml.jackson.databind.node.ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", "r/x");
    subject.putObject("digest").put("sha256", Digests.hex(DIGEST));
    root.set("predicate", predicate);
    assertArrayEquals(Json.bytes(root), InTotoStatement.create(InTotoStatement.CYCLONEDX, "r/x", DIGEST, Json.bytes(predicate)));
  }

  @Test
  void manifestAndConfigMatchCosign() throws Exception {
    byte[] payload = SimpleSigningPayload.create("r/x", DIGEST, Map.of());
    CosignManifest m = CosignManifest.empty().append(CosignManifest.Layer.signature(payload, "MEUCsig"));
    String config = new String(m.configBytes(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + Digests.sha256(payload) + "\"]},\"config\":{}}",
        config);
    String manifest = new String(m.manifestBytes(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":"
            + m.configBytes().length + ",\"digest\":\"" + Digests.sha256(m.configBytes()) + "\"},\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":"
            + payload.length + ",\"digest\":\"" + Digests.sha256(payload) + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCsig\"}}]}",
        manifest);
    CosignManifest parsed = CosignManifest.parse(m.manifestBytes());
    assertEquals(m, parsed);
    assertTrue(parsed.contains(CosignManifest.Layer.signature(payload, "MEUCsig")));
    assertFalse(parsed.contains(CosignManifest.Layer.signature(payload, "MEYCother")));
    CosignManifest two = parsed.append(CosignManifest.Layer.attestation(new byte[] {1}, InTotoStatement.CYCLONEDX));
    assertEquals(2, Json.parse(two.configBytes()).path("history").size());
    assertTrue(new String(two.manifestBytes(), StandardCharsets.UTF_8)
        .contains("\"annotations\":{\"dev.cosignproject.cosign/signature\":\"\",\"predicateType\":\"https://cyclonedx.org/bom\"}"));
    assertEquals("sha256-" + "ab".repeat(32) + ".att", CosignManifest.attestationTag(DIGEST));
  }

  @Test
  void kmsReferences() throws Exception {
    KmsKeyReference arn = KmsKeyReference.parse("awskms:///arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    assertEquals("us-west-2", arn.region().orElseThrow());
    assertEquals("arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", arn.keyId());
    KmsKeyReference alias = KmsKeyReference.parse("alias/imagegate");
    assertTrue(alias.region().isEmpty());
    assertEquals("awskms:///alias/imagegate", alias.cosignReference());
    KmsKeyReference host = KmsKeyReference.parse("awskms://kms.example.com/alias/x");
    assertEquals("https://kms.example.com", host.endpoint().orElseThrow().toString());
    assertTrue(KmsKeyReference.isKms("arn:aws:kms:us-east-1:123456789012:alias/x"));
    assertFalse(KmsKeyReference.isKms("/home/me/cosign.key"));
    org.junit.jupiter.api.Assertions.assertThrows(SigningException.class, () -> KmsKeyReference.parse("awskms:///not a key"));
    assertEquals(software.amazon.awssdk.services.kms.model.MessageType.RAW, KmsSigner.messageTypeFor(new byte[4096]));
    assertEquals(software.amazon.awssdk.services.kms.model.MessageType.DIGEST, KmsSigner.messageTypeFor(new byte[4097]));
    assertEquals("MEUC", Base64.getEncoder().encodeToString(new byte[] {0x30, 0x45, 0x02}).substring(0, 4));
  }
}
