package dev.imagegate.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * An image manifest (OCI {@code application/vnd.oci.image.manifest.v1+json} or Docker schema 2).
 *
 * @param schemaVersion always 2
 * @param mediaType the manifest's media type
 * @param config the configuration blob
 * @param layers the layer blobs, lowest first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OciManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public OciManifest {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** Parses manifest bytes; an OCI manifest may omit its media type, which then defaults to the OCI one. */
  public static OciManifest parse(byte[] bytes) throws IOException {
    OciManifest m = JSON.readValue(bytes, OciManifest.class);
    if (m.config() == null) {
      throw new IOException("manifest has no config descriptor");
    }
    return m.mediaType() == null ? new OciManifest(m.schemaVersion(), OCI_MANIFEST, m.config(), m.layers()) : m;
  }
}
