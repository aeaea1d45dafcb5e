package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OCI manifest cosign keeps at tag {@code sha256-<hex>.sig} (or {@code .att}): one layer per signature
 * (or attestation), and a config whose {@code rootfs.diff_ids} and {@code history} have one entry per layer.
 *
 * @param layers the layers, oldest first
 */
public record CosignManifest(List<Layer> layers) {
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  public CosignManifest {
    layers = List.copyOf(layers);
  }

  public static CosignManifest empty() {
    return new CosignManifest(List.of());
  }

  /**
   * One layer: a blob (simple-signing payload or DSSE envelope) and its annotations, kept in the order read so that
   * layers written by other tools round-trip unchanged (their annotations are written back sorted, as Go does).
   */
  public record Layer(String mediaType, long size, String digest, Map<String, String> annotations) {
    public Layer {
      annotations = new TreeMap<>(annotations);
    }

    public static Layer of(String mediaType, byte[] blob, Map<String, String> annotations) {
      return new Layer(mediaType, blob.length, Digests.sha256(blob), annotations);
    }

    /** A {@code .sig} layer: the payload and its base64 DER signature. */
    public static Layer signature(byte[] payload, String base64Signature) {
      return of(SimpleSigningPayload.MEDIA_TYPE, payload, Map.of(SIGNATURE_ANNOTATION, base64Signature));
    }

    /** An {@code .att} layer: the DSSE envelope, an empty signature annotation and the predicate type. */
    public static Layer attestation(byte[] envelope, String predicateType) {
      return of(Dsse.ENVELOPE_MEDIA_TYPE, envelope, Map.of(SIGNATURE_ANNOTATION, "", PREDICATE_TYPE_ANNOTATION, predicateType));
    }

    public String signature() {
      return annotations.getOrDefault(SIGNATURE_ANNOTATION, "");
    }
  }

  public CosignManifest append(Layer layer) {
    List<Layer> all = new ArrayList<>(layers);
    all.add(layer);
    return new CosignManifest(all);
  }

  public boolean contains(Layer layer) {
    return layers.contains(layer);
  }

  /** {@code {"architecture":"","created":"0001-01-01T00:00:00Z","history":[…],"os":"","rootfs":{"type":"layers","diff_ids":[…]},"config":{}}} */
  public byte[] configBytes() {
    ObjectNode root = Json.object();
    root.put("architecture", "");
    root.put("created", ZERO_TIME);
    ArrayNode history = root.putArray("history");
    ObjectNode rootfs = Json.object();
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    for (Layer layer : layers) {
      history.addObject().put("created", ZERO_TIME);
      diffIds.add(layer.digest());
    }
    root.put("os", "");
    root.set("rootfs", rootfs);
    root.putObject("config");
    return Json.bytes(root);
  }

  public byte[] manifestBytes() {
    byte[] config = configBytes();
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MANIFEST_MEDIA_TYPE);
    ObjectNode cfg = root.putObject("config");
    cfg.put("mediaType", CONFIG_MEDIA_TYPE);
    cfg.put("size", config.length);
    cfg.put("digest", Digests.sha256(config));
    ArrayNode array = root.putArray("layers");
    for (Layer layer : layers) {
      ObjectNode l = array.addObject();
      l.put("mediaType", layer.mediaType());
      l.put("size", layer.size());
      l.put("digest", layer.digest());
      if (!layer.annotations().isEmpty()) {
        ObjectNode a = l.putObject("annotations");
        layer.annotations().forEach(a::put);
      }
    }
    return Json.bytes(root);
  }

  public static CosignManifest parse(byte[] manifest) throws IOException {
    JsonNode root = Json.parse(manifest);
    List<Layer> layers = new ArrayList<>();
    for (JsonNode l : root.path("layers")) {
      Map<String, String> annotations = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = l.path("annotations").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        annotations.put(e.getKey(), e.getValue().asText(""));
      }
      layers.add(new Layer(l.path("mediaType").asText(""), l.path("size").asLong(), l.path("digest").asText(""), annotations));
    }
    return new CosignManifest(layers);
  }

  /** {@code sha256-<hex>.sig} */
  public static String signatureTag(String digest) {
    return "sha256-" + Digests.hex(digest) + ".sig";
  }

  /** {@code sha256-<hex>.att} */
  public static String attestationTag(String digest) {
    return "sha256-" + Digests.hex(digest) + ".att";
  }
}
