package dev.imagegate.scan;

import dev.imagegate.oci.Digests;
import dev.imagegate.oci.OciLayouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Hand-made OCI archives, layers and jars for the scan tests (written with commons-compress, as build writes them). */
public final class ImageFixtures {
  private ImageFixtures() {}

  /** A layer under construction: regular files, symlinks, hard links and raw tar names (unsafe ones too). */
  public static final class Layer {
    private final List<Object[]> entries = new ArrayList<>();

    public Layer file(String name, byte[] content) {
      entries.add(new Object[] {"f", name, content});
      return this;
    }

    public Layer file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Layer symlink(String name, String target) {
      entries.add(new Object[] {"l", name, target});
      return this;
    }

    public Layer hardlink(String name, String target) {
      entries.add(new Object[] {"h", name, target});
      return this;
    }

    public Layer dir(String name) {
      entries.add(new Object[] {"d", name, null});
      return this;
    }

    /** A whiteout for {@code path} ({@code dir/.wh.name}). */
    public Layer whiteout(String path) {
      int slash = path.lastIndexOf('/');
      return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
    }

    /** The uncompressed tar. */
    public byte[] tar() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Object[] e : entries) {
          String kind = (String) e[0];
          String name = (String) e[1];
          TarArchiveEntry entry;
          switch (kind) {
            case "l" -> {
              entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
              entry.setLinkName((String) e[2]);
            }
            case "h" -> {
              entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
              entry.setLinkName((String) e[2]);
            }
            case "d" -> entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            default -> {
              entry = new TarArchiveEntry(name, true); // preserve the name as given (../, leading /)
              entry.setSize(((byte[]) e[2]).length);
            }
          }
          tar.putArchiveEntry(entry);
          if (kind.equals("f")) {
            tar.write((byte[]) e[2]);
          }
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    }

    /** The gzipped tar (a layer blob). */
    public byte[] tarGz() throws IOException {
      return gzip(tar());
    }
  }

  public static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /** Writes an OCI layout tar with one manifest whose layers are the given blobs (gzip media type). */
  public static Path archive(Path file, List<byte[]> layers) throws IOException {
    return archive(file, layers, layers);
  }

  /**
   * Writes an OCI layout tar whose manifest describes {@code layers} (their digests and sizes) but whose blobs hold
   * {@code stored}: a layer {@code stored} differently is a tampered (or damaged) blob under an honest digest.
   */
  public static Path archive(Path file, List<byte[]> layers, List<byte[]> stored) throws IOException {
    // rootfs.diff_ids as a real image has them (Trivy reads only the layers they list); none for a layer that is not
    // gzip or inflates past 256 MiB (a hostile-input test's layer)
    List<LayerRef> refs = new ArrayList<>();
    for (byte[] layer : layers) {
      refs.add(new LayerRef(Digests.sha256(layer), layer.length, diffId(layer, 256L << 20)));
    }
    Map<String, byte[]> entries = LayoutDocuments.of(refs).entries();
    for (int i = 0; i < layers.size(); i++) {
      entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(layers.get(i))), stored.get(i));
    }
    return OciLayouts.write(file, entries);
  }

  /**
   * A gzipped layer blob as the manifest lists it.
   *
   * @param diffId the sha256 of its tar ({@code rootfs.diff_ids}), or null to leave the config without diff ids
   */
  public record LayerRef(String digest, long size, String diffId) {}

  /**
   * The documents of a one-image OCI layout whose manifest lists {@code layers}: config, manifest and index.json. The
   * config has {@code rootfs.diff_ids} only when every layer has one.
   */
  public record LayoutDocuments(byte[] config, byte[] manifest, byte[] index) {
    public static LayoutDocuments of(List<LayerRef> layers) {
      boolean diffIds = layers.stream().allMatch(l -> l.diffId() != null);
      String ids = layers.stream().map(l -> '"' + l.diffId() + '"').collect(java.util.stream.Collectors.joining(","));
      byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"65532\"}"
          + (diffIds && !layers.isEmpty() ? ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}" : "") + "}").getBytes(StandardCharsets.UTF_8);
      StringBuilder layerJson = new StringBuilder();
      for (LayerRef layer : layers) {
        if (layerJson.length() > 0) {
          layerJson.append(',');
        }
        layerJson.append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"").append(layer.digest())
            .append("\",\"size\":").append(layer.size()).append('}');
      }
      String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
          + "\",\"size\":" + config.length + "},\"layers\":[" + layerJson + "]}";
      byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
      String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
          + Digests.sha256(manifestBytes) + "\",\"size\":" + manifestBytes.length + "}]}";
      return new LayoutDocuments(config, manifestBytes, index.getBytes(StandardCharsets.UTF_8));
    }

    /** The layout's entries up to the layer blobs (oci-layout, index.json, config, manifest), in a map to add them to. */
    public Map<String, byte[]> entries() {
      Map<String, byte[]> entries = new LinkedHashMap<>();
      entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      entries.put("index.json", index);
      entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(config)), config);
      entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(manifest)), manifest);
      return entries;
    }

    public String manifestDigest() {
      return Digests.sha256(manifest);
    }
  }

  /** The sha256 of a gzipped layer's tar, or null when it is not gzip or inflates past {@code max} bytes. */
  private static String diffId(byte[] gzipped, long max) {
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        total += n;
        if (total > max) {
          return null;
        }
      }
      return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return null;
    }
  }

  /** The manifest digest of an archive written by {@link #archive}. */
  public static String manifestDigest(Path archive) throws Exception {
    try (dev.imagegate.oci.OciArchive a = dev.imagegate.oci.OciArchive.open(archive)) {
      return a.manifestDescriptor().digest();
    }
  }

  /** Writes {@code image.tar} and {@code image.json} into {@code outputDirectory}, as the build goal leaves them. */
  public static String buildOutput(Path outputDirectory, List<byte[]> layers) throws Exception {
    return buildOutput(outputDirectory, layers, layers);
  }

  /** As {@link #buildOutput(Path, List)}, with the blobs holding {@code stored} (see {@link #archive(Path, List, List)}). */
  public static String buildOutput(Path outputDirectory, List<byte[]> layers, List<byte[]> stored) throws Exception {
    Files.createDirectories(outputDirectory);
    Path tar = archive(outputDirectory.resolve("image.tar"), layers, stored);
    String digest = manifestDigest(tar);
    List<dev.imagegate.oci.Descriptor> descriptors = new ArrayList<>();
    for (byte[] l : layers) {
      descriptors.add(new dev.imagegate.oci.Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digests.sha256(l), l.length));
    }
    imageJson(outputDirectory, digest, descriptors);
    return digest;
  }

  /** Writes {@code image.json} for the archive {@code image.tar} of {@code outputDirectory}, as the build goal does. */
  public static void imageJson(Path outputDirectory, String digest, List<dev.imagegate.oci.Descriptor> descriptors) throws Exception {
    new dev.imagegate.image.ImageDescriptor(1, "myapp", "1.0", digest, "application/vnd.oci.image.manifest.v1+json", "sha256:" + "d".repeat(64),
        "image.tar", new dev.imagegate.image.ImageDescriptor.BaseImage("base:1@sha256:" + "e".repeat(64), "sha256:" + "e".repeat(64)),
        descriptors, "65532", "2026-03-01T12:00:00Z", "c".repeat(40), false, "0.1.0").write(outputDirectory);
  }

  /** A jar: name to content; {@code pom(...)} and {@code manifest(...)} help fill it. */
  public static byte[] jar(Map<String, byte[]> entries) throws IOException {
    return zip(entries, ZipArchiveEntry.DEFLATED);
  }

  public static byte[] zip(Map<String, byte[]> entries, int method) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      zip.setMethod(method);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
        if (method == ZipArchiveEntry.STORED) {
          entry.setSize(e.getValue().length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(e.getValue());
          entry.setCrc(crc.getValue());
        }
        zip.putArchiveEntry(entry);
        zip.write(e.getValue());
        zip.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A jar identified by its pom.properties. */
  public static byte[] mavenJar(String groupId, String artifactId, String version, Map<String, byte[]> more) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
    entries.put("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties",
        ("groupId=" + groupId + "\nartifactId=" + artifactId + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
    entries.putAll(more);
    return jar(entries);
  }

  /** A dpkg status stanza. */
  public static String stanza(String pkg, String version, String source) {
    return "Package: " + pkg + "\nStatus: install ok installed\nPriority: optional\nSection: libs\nMaintainer: Debian <debian@example.org>\n"
        + "Architecture: amd64\n" + (source == null ? "" : "Source: " + source + "\n") + "Version: " + version + "\n"
        + "Description: " + pkg + " library\n a test package\n";
  }
}
