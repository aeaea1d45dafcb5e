package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** DSSE (Dead Simple Signing Envelope) v1: the pre-authentication encoding and the envelope cosign attests with. */
public final class Dsse {
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  private Dsse() {}

  /** {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths as ASCII decimal byte counts. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** {@code {"payloadType":…,"payload":"<b64>","signatures":[{"keyid":"","sig":"<b64 DER>"}]}} */
  public static byte[] envelope(String payloadType, byte[] payload, byte[] derSignature) {
    ObjectNode root = Json.object();
    root.put("payloadType", payloadType);
    root.put("payload", Base64.getEncoder().encodeToString(payload));
    ObjectNode sig = root.putArray("signatures").addObject();
    sig.put("keyid", "");
    sig.put("sig", Base64.getEncoder().encodeToString(derSignature));
    return Json.bytes(root);
  }

  /** A parsed envelope: its type, decoded payload and the DER signatures it carries. */
  public record Envelope(String payloadType, byte[] payload, List<byte[]> signatures) {}

  public static Envelope parse(byte[] envelope) throws IOException {
    JsonNode root = Json.parse(envelope);
    List<byte[]> sigs = new ArrayList<>();
    for (JsonNode s : root.path("signatures")) {
      sigs.add(Base64.getDecoder().decode(s.path("sig").asText("")));
    }
    try {
      return new Envelope(
          root.path("payloadType").asText(""), Base64.getDecoder().decode(root.path("payload").asText("")), sigs);
    } catch (IllegalArgumentException e) {
      throw new IOException("DSSE payload is not base64: " + e.getMessage(), e);
    }
  }
}
