package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cosign simple-signing payload: the bytes a {@code .sig} layer carries and its signature covers.
 *
 * <p>{@code {"critical":{"identity":{"docker-reference":"<registry>/<repository>"},"image":{"docker-manifest-digest":"sha256:<hex>"},"type":"cosign container image signature"},"optional":null}}
 * — compact, that field order, no trailing newline; {@code optional} is an object with sorted keys when annotations are given.
 */
public final class SimpleSigningPayload {
  public static final String TYPE = "cosign container image signature";
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

  private SimpleSigningPayload() {}

  /**
   * @param dockerReference registry/repository without tag or digest
   * @param digest the image's manifest digest
   * @param annotations optional claims (cosign {@code -a k=v}); empty gives {@code "optional":null}
   */
  public static byte[] create(String dockerReference, String digest, Map<String, String> annotations) {
    if (!Digests.isSha256(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    ObjectNode root = Json.object();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", digest);
    critical.put("type", TYPE);
    if (annotations == null || annotations.isEmpty()) {
      root.putNull("optional");
    } else {
      ObjectNode optional = root.putObject("optional");
      new TreeMap<>(annotations).forEach(optional::put);
    }
    return Json.bytes(root);
  }

  /** What a verifier reads from a payload: the digest it names and whether its type is cosign's. */
  public record Claims(String digest, String type, String dockerReference) {}

  public static Claims parse(byte[] payload) throws IOException {
    JsonNode root = Json.parse(payload);
    JsonNode critical = root.path("critical");
    return new Claims(
        critical.path("image").path("docker-manifest-digest").asText(""),
        critical.path("type").asText(""),
        critical.path("identity").path("docker-reference").asText(""));
  }
}
