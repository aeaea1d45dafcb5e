package dev.imagegate.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.imagegate.JsonStream;
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

  public OciManifest {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /**
   * Parses manifest bytes (streamed, no data binding: see {@link JsonStream}); an OCI manifest may omit its media type,
   * which then defaults to the OCI one.
   */
  public static OciManifest parse(byte[] bytes) throws IOException {
    OciManifest m = JsonStream.parse(bytes, p -> {
      int[] schemaVersion = new int[1];
      String[] mediaType = new String[1];
      Descriptor[] config = new Descriptor[1];
      @SuppressWarnings("unchecked")
      List<Descriptor>[] layers = new List[1];
      JsonStream.object(p, (name, q) -> {
        switch (name) {
          case "schemaVersion" -> schemaVersion[0] = JsonStream.intValue(q);
          case "mediaType" -> mediaType[0] = JsonStream.string(q);
          case "config" -> config[0] = JsonStream.nullable(q, Descriptor::read);
          case "layers" -> layers[0] = JsonStream.list(q, Descriptor::read);
          default -> JsonStream.skip(q);
        }
      });
      return new OciManifest(schemaVersion[0], mediaType[0], config[0], layers[0]);
    });
    if (m == null || m.config() == null) {
      throw new IOException("manifest has no config descriptor");
    }
    return m.mediaType() == null ? new OciManifest(m.schemaVersion(), OCI_MANIFEST, m.config(), m.layers()) : m;
  }
}
