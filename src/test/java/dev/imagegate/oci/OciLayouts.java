package dev.imagegate.oci;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** OCI image layout tars for tests: one platform's image as jib writes it, or any entries as given. */
public final class OciLayouts {
  private OciLayouts() {}

  /** One image's blobs: manifest, config and layer, by digest. */
  record Image(byte[] manifest, byte[] config, byte[] layer) {
    String manifestDigest() {
      return Digests.sha256(manifest);
    }

    Map<String, byte[]> blobs() {
      Map<String, byte[]> blobs = new LinkedHashMap<>();
      blobs.put("blobs/sha256/" + Digests.hex(Digests.sha256(config)), config);
      blobs.put("blobs/sha256/" + Digests.hex(Digests.sha256(layer)), layer);
      blobs.put("blobs/sha256/" + Digests.hex(manifestDigest()), manifest);
      return blobs;
    }
  }

  /** An image whose configuration says {@code os/architecture}, with one layer of the given bytes. */
  static Image image(String os, String architecture, byte[] layer) {
    byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"" + os + "\",\"config\":{\"User\":\"65532\"}}")
        .getBytes(StandardCharsets.UTF_8);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
            + "\",\"size\":" + config.length + "},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digests.sha256(layer)
            + "\",\"size\":" + layer.length + "}]}";
    return new Image(manifest.getBytes(StandardCharsets.UTF_8), config, layer);
  }

  /** {@code index.json} listing one entry. */
  static byte[] layoutIndex(String mediaType, byte[] target) {
    return ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digests.sha256(target)
        + "\",\"size\":" + target.length + "}]}").getBytes(StandardCharsets.UTF_8);
  }

  /** A single-image archive, as jib-core's TarImage writes it in OCI format. */
  static Path singleImage(Path file, Image image) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    entries.put("index.json", layoutIndex(OciManifest.OCI_MANIFEST, image.manifest()));
    entries.putAll(image.blobs());
    return write(file, entries);
  }

  /** A tar of {@code entries} (name to bytes, in the map's order), as an OCI image layout archive holds them. */
  public static Path write(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
