package dev.imagegate.scan.secret;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.image.ImageDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a small OCI image archive and its image.json the way the build goal lays them out: gzipped layers, a config
 * whose history has one entry per layer ({@code created_by: imagegate:…} for the layers "the build" added).
 */
final class TestImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One layer: its files and whether the build added it (else it is a base layer). */
  record Layer(Map<String, byte[]> files, boolean application) {}

  private TestImage() {}

  static Layer base(Map<String, byte[]> files) {
    return new Layer(files, false);
  }

  static Layer app(Map<String, byte[]> files) {
    return new Layer(files, true);
  }

  /** Writes image.tar and image.json into {@code out}; returns the manifest digest. */
  static String write(Path out, List<Layer> layers) throws Exception {
    return write(out, layers, true);
  }

  static String write(Path out, List<Layer> layers, boolean withHistory) throws Exception {
    Files.createDirectories(out);
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    List<Descriptor> layerDescriptors = new ArrayList<>();
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "amd64").put("os", "linux");
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    ArrayNode history = JSON.createArrayNode();
    history.addObject().put("created_by", "/bin/sh -c #(nop) CMD [\"sh\"]").put("empty_layer", true);
    for (Layer l : layers) {
      byte[] tar = tar(l.files());
      byte[] gz = gzip(tar);
      String digest = sha256(gz);
      blobs.put(digest, gz);
      diffIds.add(sha256(tar));
      layerDescriptors.add(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", digest, gz.length, null));
      ObjectNode h = history.addObject();
      if (l.application()) {
        h.put("author", "Jib").put("created_by", "imagegate:0.1.0-SNAPSHOT").put("comment", "resources");
      } else {
        h.put("created_by", "/bin/sh -c #(nop) ADD file:abc in /");
      }
    }
    if (withHistory) {
      config.set("history", history);
    }
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configDigest = sha256(configBytes);
    blobs.put(configDigest, configBytes);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json").put("digest", configDigest).put("size", configBytes.length);
    ArrayNode ml = manifest.putArray("layers");
    for (Descriptor d : layerDescriptors) {
      ml.addObject().put("mediaType", d.mediaType()).put("digest", d.digest()).put("size", d.size());
    }
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    String manifestDigest = sha256(manifestBytes);
    blobs.put(manifestDigest, manifestBytes);
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json").put("digest", manifestDigest)
        .put("size", manifestBytes.length);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    entries.put("index.json", JSON.writeValueAsBytes(index));
    for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
      entries.put("blobs/sha256/" + b.getKey().substring("sha256:".length()), b.getValue());
    }
    try (OutputStream o = Files.newOutputStream(out.resolve("image.tar"))) {
      o.write(tar(entries));
    }
    new ImageDescriptor(ImageDescriptor.SCHEMA_VERSION, "orders", "sha-" + "0".repeat(40), manifestDigest,
        "application/vnd.oci.image.manifest.v1+json", configDigest, "image.tar",
        new ImageDescriptor.BaseImage("localhost/base@sha256:" + "1".repeat(64), "sha256:" + "1".repeat(64)), layerDescriptors,
        "65532", "2026-01-01T00:00:00Z", "0".repeat(40), false, "test").write(out);
    return manifestDigest;
  }

  static byte[] tar(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(in);
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
