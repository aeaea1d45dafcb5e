package dev.imagegate.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes the OCI image archive of a multi-platform image: the blobs of one single-platform archive per platform (as
 * jib-core writes them: jib cannot write several platforms to one tar) and an OCI image index over their manifests.
 *
 * <p>The archive's {@code index.json} lists one entry, the image index, so {@link OciArchive} reads the index digest as
 * the image's identity; {@code skopeo copy --all oci-archive:…} reads the same layout.
 */
public final class IndexArchive {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FileTime EPOCH = FileTime.from(Instant.EPOCH);

  private IndexArchive() {}

  /**
   * One platform's image.
   *
   * @param platform the platform it was built for
   * @param archive its single-manifest OCI archive
   */
  public record Part(Platform platform, Path archive) {}

  /**
   * Merges the parts into {@code target}, in their order, and returns the index written.
   *
   * @param refName the {@code org.opencontainers.image.ref.name} annotation of the index ({@code name:tag})
   */
  public static ImageIndex write(List<Part> parts, String refName, Path target) throws OciArchiveException, IOException {
    List<OciArchive> opened = new ArrayList<>();
    try {
      List<ImageIndex.Entry> entries = new ArrayList<>();
      Map<String, OciArchive> blobOwner = new TreeMap<>();
      for (Part part : parts) {
        OciArchive archive = OciArchive.open(part.archive());
        opened.add(archive);
        if (archive.isIndex()) {
          throw new OciArchiveException("The archive " + part.archive() + " of " + part.platform() + " already holds an index.",
              "This is a bug in imagegate; please report it.", null);
        }
        var config = archive.config();
        if (!part.platform().matchesConfig(config.path("os").asText(""), config.path("architecture").asText(""), config.path("variant").asText(null))) {
          throw new OciArchiveException(
              "The image built for " + part.platform() + " has the configuration of " + config.path("os").asText("?") + "/"
                  + config.path("architecture").asText("?") + ": the base image has no " + part.platform() + " image.",
              "Use a base image whose index lists " + part.platform() + " (skopeo inspect --raw docker://<base>), or leave that platform out of"
                  + " <platforms> (imagegate.build.platforms).",
              null);
        }
        Descriptor m = archive.manifestDescriptor();
        entries.add(new ImageIndex.Entry(part.platform(), new Descriptor(m.mediaType() == null ? OciManifest.OCI_MANIFEST : m.mediaType(), m.digest(), m.size())));
        blobOwner.putIfAbsent(m.digest(), archive);
        blobOwner.putIfAbsent(archive.manifest().config().digest(), archive);
        for (Descriptor layer : archive.layers()) {
          blobOwner.putIfAbsent(layer.digest(), archive);
        }
      }
      ImageIndex index = new ImageIndex(entries);
      byte[] indexBytes = index.toBytes();
      String indexDigest = Digests.sha256(indexBytes);
      ObjectNode top = JSON.createObjectNode();
      top.put("schemaVersion", 2);
      top.put("mediaType", ImageIndex.MEDIA_TYPE);
      ObjectNode entry = top.putArray("manifests").addObject();
      entry.put("mediaType", ImageIndex.MEDIA_TYPE);
      entry.put("digest", indexDigest);
      entry.put("size", indexBytes.length);
      entry.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
      try (OutputStream file = Files.newOutputStream(target);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(file, StandardCharsets.UTF_8.name())) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        add(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        add(tar, "index.json", JSON.writeValueAsBytes(top));
        add(tar, "blobs/sha256/" + Digests.hex(indexDigest), indexBytes);
        for (Map.Entry<String, OciArchive> blob : blobOwner.entrySet()) {
          long size = blob.getValue().blobSize(blob.getKey());
          try (InputStream in = blob.getValue().openBlob(blob.getKey())) {
            add(tar, "blobs/sha256/" + Digests.hex(blob.getKey()), size, in);
          }
        }
        tar.finish();
      }
      return index;
    } finally {
      for (OciArchive a : opened) {
        a.close();
      }
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    add(tar, name, content.length, new ByteArrayInputStream(content));
  }

  private static void add(TarArchiveOutputStream tar, String name, long size, InputStream content) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    e.setLastModifiedTime(EPOCH);
    e.setMode(0644);
    tar.putArchiveEntry(e);
    content.transferTo(tar);
    tar.closeArchiveEntry();
  }
}
