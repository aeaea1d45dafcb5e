package dev.imagegate.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An OCI image index over one image manifest per platform: what a multi-platform build produces and what its
 * digest (the image's identity) is computed over.
 *
 * <p>{@link #toBytes()} is deterministic (fixed field order, no whitespace, the manifests in the configured platform
 * order), so the same per-platform manifests always give the same index digest.
 *
 * @param manifests one entry per platform, in order
 */
public record ImageIndex(List<Entry> manifests) {
  public static final String MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  /** Docker's equivalent, accepted when reading a base image or an archive. */
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One platform's image.
   *
   * @param platform the platform
   * @param manifest the descriptor of its image manifest
   */
  public record Entry(Platform platform, Descriptor manifest) {}

  public ImageIndex {
    manifests = List.copyOf(manifests);
    Set<Platform> seen = new HashSet<>();
    for (Entry e : manifests) {
      if (e.platform() == null || !seen.add(e.platform())) {
        throw new IllegalArgumentException("an image index needs one manifest per platform, each with its platform");
      }
    }
  }

  /** Whether a media type names an image index (OCI) or a manifest list (Docker). */
  public static boolean isIndex(String mediaType) {
    return MEDIA_TYPE.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /** The platforms, in order. */
  public List<Platform> platforms() {
    return manifests.stream().map(Entry::platform).toList();
  }

  /** The index's canonical bytes. */
  public byte[] toBytes() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MEDIA_TYPE);
    ArrayNode list = root.putArray("manifests");
    for (Entry e : manifests) {
      ObjectNode m = list.addObject();
      m.put("mediaType", e.manifest().mediaType() == null ? OciManifest.OCI_MANIFEST : e.manifest().mediaType());
      m.put("digest", e.manifest().digest());
      m.put("size", e.manifest().size());
      ObjectNode p = m.putObject("platform");
      p.put("architecture", e.platform().architecture());
      p.put("os", e.platform().os());
      if (e.platform().variant() != null) {
        p.put("variant", e.platform().variant());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses an image index or manifest list; every entry must be an image manifest with a platform.
   *
   * @throws IOException when the bytes are not such an index
   */
  public static ImageIndex parse(byte[] bytes) throws IOException {
    JsonNode root = JSON.readTree(bytes);
    if (root == null || !root.isObject() || root.path("schemaVersion").asInt() != 2) {
      throw new IOException("not an image index (schemaVersion 2)");
    }
    String mediaType = root.path("mediaType").asText(MEDIA_TYPE);
    if (!isIndex(mediaType)) {
      throw new IOException("media type " + mediaType + " is not an image index");
    }
    JsonNode list = root.path("manifests");
    if (!list.isArray() || list.isEmpty()) {
      throw new IOException("the index lists no manifests");
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode m : list) {
      Descriptor d = new Descriptor(m.path("mediaType").asText(null), m.path("digest").asText(null), m.path("size").asLong(-1));
      if (d.digest() == null || !Digests.isSha256(d.digest()) || d.size() < 0) {
        throw new IOException("an index entry has no valid digest and size: " + m);
      }
      if (isIndex(d.mediaType())) {
        throw new IOException("nested indexes are not supported (entry " + d.digest() + ")");
      }
      JsonNode p = m.path("platform");
      if (!p.isObject() || !p.hasNonNull("os") || !p.hasNonNull("architecture")) {
        throw new IOException("the index entry " + d.digest() + " states no platform");
      }
      entries.add(new Entry(new Platform(p.get("os").asText(), p.get("architecture").asText(), p.path("variant").asText(null)), d));
    }
    try {
      return new ImageIndex(entries);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
