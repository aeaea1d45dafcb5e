package dev.imagegate.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import dev.imagegate.JsonStream;
import java.io.IOException;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest or index says about one blob.
 *
 * @param mediaType the blob's media type
 * @param digest {@code sha256:<64 hex>}
 * @param size the blob's size in bytes
 * @param annotations optional annotations, empty when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {

  public Descriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public Descriptor(String mediaType, String digest, long size) {
    this(mediaType, digest, size, Map.of());
  }

  /** The descriptor object at the parser's current token, streamed (see {@link JsonStream}); other fields are skipped. */
  public static Descriptor read(JsonParser p) throws IOException {
    String[] text = new String[2];
    long[] size = new long[1];
    @SuppressWarnings("unchecked")
    Map<String, String>[] annotations = new Map[1];
    JsonStream.object(p, (name, q) -> {
      switch (name) {
        case "mediaType" -> text[0] = JsonStream.string(q);
        case "digest" -> text[1] = JsonStream.string(q);
        case "size" -> size[0] = JsonStream.longValue(q);
        case "annotations" -> annotations[0] = JsonStream.stringMap(q);
        default -> JsonStream.skip(q);
      }
    });
    return new Descriptor(text[0], text[1], size[0], annotations[0]);
  }
}
