package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-toto v0.1 statement as {@code cosign attest} writes it:
 * {@code {"_type":"https://in-toto.io/Statement/v0.1","predicateType":…,"subject":[{"name":…,"digest":{"sha256":…}}],"predicate":{…}}}.
 */
public final class InTotoStatement {
  public static final String TYPE = "https://in-toto.io/Statement/v0.1";
  public static final String CYCLONEDX = "https://cyclonedx.org/bom";
  public static final String SPDX = "https://spdx.dev/Document";
  public static final String VULN = "https://cosign.sigstore.dev/attestation/vuln/v1";
  public static final String SLSA_PROVENANCE = "https://slsa.dev/provenance/v1";

  private InTotoStatement() {}

  public static byte[] create(String predicateType, String subjectName, String digest, JsonNode predicate) {
    return create(predicateType, subjectName, digest, Json.bytes(predicate));
  }

  /**
   * The same statement around a predicate already serialized ({@link Json#bytes}): set as Jackson's raw value, so its
   * bytes are written as they are and a predicate attested in several repositories is serialized once.
   */
  static byte[] create(String predicateType, String subjectName, String digest, byte[] predicateJson) {
    ObjectNode root = Json.object();
    root.put("_type", TYPE);
    root.put("predicateType", predicateType);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put("sha256", Digests.hex(digest));
    root.putRawValue("predicate", new RawValue(new String(predicateJson, StandardCharsets.UTF_8)));
    return Json.bytes(root);
  }

  /** The predicate type and the sha256 digests ({@code sha256:<hex>}) of the subjects a statement names. */
  public record Parsed(String predicateType, List<String> subjectDigests) {}

  public static Parsed parse(byte[] statement) throws IOException {
    JsonNode root = Json.parse(statement);
    List<String> digests = new ArrayList<>();
    for (JsonNode s : root.path("subject")) {
      String hex = s.path("digest").path("sha256").asText("");
      if (!hex.isEmpty()) {
        digests.add("sha256:" + hex);
      }
    }
    return new Parsed(root.path("predicateType").asText(""), digests);
  }

  /** The short names cosign's {@code --type} accepts, mapped to predicate type URIs; anything else is taken as a URI. */
  public static String predicateTypeOf(String type) {
    return switch (type) {
      case "cyclonedx" -> CYCLONEDX;
      case "spdx", "spdxjson" -> SPDX;
      case "vuln" -> VULN;
      case "slsaprovenance1" -> SLSA_PROVENANCE;
      case "slsaprovenance", "slsaprovenance02" -> "https://slsa.dev/provenance/v0.2";
      case "custom" -> "https://cosign.sigstore.dev/attestation/v1";
      default -> type;
    };
  }
}
