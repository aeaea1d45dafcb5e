package dev.imagegate.scan;

import dev.imagegate.oci.Descriptor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The synthetic images of the scan benchmarks ({@code scripts/bench/scan}, {@code scripts/bench/scale}), written as
 * the build goal leaves them ({@code image.tar} + {@code image.json}): an OS layer (Debian os-release, dpkg stanzas in
 * {@code status.d} as a distroless image has them, filler files as a JDK's), a layer of jars that name themselves in
 * {@code pom.properties}, and the application's fat jar with nested jars. Package names come from
 * {@link ScanBench#debName} and {@link ScanBench#mvnName}'s name space, so the bench's OSV records match them.
 *
 * <p>The layers stream to disk as they are written (a 1 GB image needs no gigabyte of heap), then the OCI layout tar
 * is assembled from them.
 */
public final class SyntheticImage {
  private static final String[] WORDS = "the a of to and in is for on that with by this be are from at as an or it jvm class method lib native"
      .split(" ");

  private SyntheticImage() {}

  /**
   * What the image holds.
   *
   * @param dpkg dpkg packages (stanzas in {@code var/lib/dpkg/status.d}, each with its md5sums file)
   * @param jars jars in the dependency layer, each naming itself in pom.properties
   * @param nested jars nested in the application's fat jar (which names itself too)
   * @param fillerFiles files in the OS layer that no analyzer reads (a JDK's modules)
   * @param fillerFileBytes size of each filler file
   * @param randomFiller filler of random bytes (incompressible) instead of binary-like text (compresses about 2.5×)
   */
  public record Shape(int dpkg, int jars, int nested, int fillerFiles, int fillerFileBytes, boolean randomFiller) {
    /** The scan bench's image: 600 dpkg + 400 jars + a fat jar with 100 nested jars, 900 × 128 KiB of filler. */
    public static final Shape SCAN_BENCH = new Shape(600, 400, 100, 900, 128 << 10, false);

    private static final int FILLER_FILE = 1 << 20;
    /** What a jar of the dependency layer or of the fat jar takes in the archive, about (20 or 10 classes). */
    private static final int JAR_BYTES = 30_000;

    /**
     * About {@code megabytes} MB (10^6 bytes) of archive holding {@code packages} packages, in the scan bench's
     * proportions (half dpkg, 40 % jars, 10 % nested in the fat jar); the rest is random 1 MiB filler files.
     */
    public static Shape scale(long megabytes, int packages) {
      int dpkg = packages / 2;
      int nested = packages / 10;
      int jars = packages - dpkg - nested - 1;
      long filler = megabytes * 1_000_000L - (long) (jars + nested) * JAR_BYTES;
      return new Shape(dpkg, jars, nested, (int) Math.max(0, filler / FILLER_FILE), FILLER_FILE, true);
    }

    /** The packages a scan finds: dpkg, jars, nested jars and the fat jar itself. */
    public int packages() {
      return dpkg + jars + nested + 1;
    }
  }

  /** What was written: the archive's size and its layers. */
  public record Written(long archiveBytes, List<Descriptor> layers) {}

  /**
   * Writes {@code image.tar} and {@code image.json} into {@code outputDirectory}; {@code rnd} fills the files (a
   * fixed seed gives the same image).
   */
  public static Written write(Path outputDirectory, Shape shape, Random rnd) throws Exception {
    Files.createDirectories(outputDirectory);
    List<StreamedLayer.Blob> blobs = new ArrayList<>();
    try (StreamedLayer os = new StreamedLayer(outputDirectory.resolve("layer0.tgz"))) {
      os.file("etc/debian_version", "12.13\n".getBytes(StandardCharsets.UTF_8))
          .file("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n".getBytes(StandardCharsets.UTF_8))
          .symlink("etc/os-release", "../usr/lib/os-release");
      for (int p = 0; p < shape.dpkg(); p++) {
        int src = p % ScanBench.NAMES_PER_10_PERCENT;
        os.file("var/lib/dpkg/status.d/bin" + p, ImageFixtures.stanza("bin" + p, "1.0-" + (p % 9), ScanBench.debName(src) + " (1." + (p % 5) + "-1)")
            .getBytes(StandardCharsets.UTF_8));
        os.file("var/lib/dpkg/status.d/bin" + p + ".md5sums",
            ("d41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/bin" + p + ".so.1\n").getBytes(StandardCharsets.UTF_8));
      }
      byte[] chunk = new byte[shape.fillerFileBytes()];
      for (int f = 0; f < shape.fillerFiles(); f++) {
        if (shape.randomFiller()) {
          rnd.nextBytes(chunk);
        } else {
          fill(chunk, rnd);
        }
        os.file("usr/lib/jvm/java-17/lib/module" + f + ".bin", chunk, shape.randomFiller());
      }
      blobs.add(os.finish());
    }
    try (StreamedLayer deps = new StreamedLayer(outputDirectory.resolve("layer1.tgz"))) {
      for (int j = 0; j < shape.jars(); j++) {
        deps.file("app/libs/" + artifact(j) + "-1." + (j % 7) + ".jar", jar(j, rnd, 20));
      }
      blobs.add(deps.finish());
    }
    Map<String, byte[]> fat = new LinkedHashMap<>();
    fat.put("META-INF/maven/com.example/app/pom.properties", "groupId=com.example\nartifactId=app\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
    for (int j = shape.jars(); j < shape.jars() + shape.nested(); j++) {
      fat.put("BOOT-INF/lib/" + artifact(j) + "-1." + (j % 7) + ".jar", jar(j, rnd, 10));
    }
    try (StreamedLayer app = new StreamedLayer(outputDirectory.resolve("layer2.tgz"))) {
      app.file("app/app.jar", ImageFixtures.zip(fat, ZipEntry.STORED));
      blobs.add(app.finish());
    }
    ImageFixtures.LayoutDocuments docs = ImageFixtures.LayoutDocuments.of(blobs.stream().map(StreamedLayer.Blob::ref).toList());
    Path archive = outputDirectory.resolve("image.tar");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, byte[]> e : docs.entries().entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
      for (StreamedLayer.Blob b : blobs) {
        TarArchiveEntry entry = new TarArchiveEntry("blobs/sha256/" + b.ref().digest().substring("sha256:".length()));
        entry.setSize(b.ref().size());
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(b.file())) {
          in.transferTo(tar);
        }
        tar.closeArchiveEntry();
        Files.delete(b.file());
      }
    }
    List<Descriptor> layers = blobs.stream()
        .map(b -> new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", b.ref().digest(), b.ref().size())).toList();
    ImageFixtures.imageJson(outputDirectory, docs.manifestDigest(), layers);
    return new Written(Files.size(archive), layers);
  }

  private static String artifact(int j) {
    return "artifact" + (j % ScanBench.NAMES_PER_10_PERCENT);
  }

  private static byte[] jar(int j, Random rnd, int classes) throws Exception {
    int n = j % ScanBench.NAMES_PER_10_PERCENT;
    String g = "org.gen.g" + (n % 97);
    Map<String, byte[]> more = new LinkedHashMap<>();
    byte[] cls = new byte[2048];
    for (int c = 0; c < classes; c++) {
      fill(cls, rnd);
      more.put("org/gen/C" + c + ".class", cls.clone());
    }
    return ImageFixtures.mavenJar(g, "artifact" + n, "1." + (j % 7), more);
  }

  /** Binary-like text: random bytes and words, about 2.5× compressible, as class files and native code are. */
  private static void fill(byte[] b, Random rnd) {
    int i = 0;
    while (i < b.length) {
      if (rnd.nextInt(3) == 0) {
        b[i++] = (byte) rnd.nextInt(256);
      } else {
        for (byte c : WORDS[rnd.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII)) {
          if (i < b.length) {
            b[i++] = c;
          }
        }
      }
    }
  }

  /**
   * A layer written straight to a file as tar + gzip, hashing both as they pass (the blob's digest and the tar's diff
   * id), as {@link ImageFixtures.Layer} writes them in memory (the same entries for regular files and symlinks).
   */
  static final class StreamedLayer implements AutoCloseable {
    /** A finished layer: its file and how the manifest lists it. */
    record Blob(Path file, ImageFixtures.LayerRef ref) {}

    private final Path file;
    private final MessageDigest blobSha = sha256();
    private final MessageDigest tarSha = sha256();
    private final LeveledGzip gzip;
    private final TarArchiveOutputStream tar;
    private boolean finished;

    StreamedLayer(Path file) throws IOException {
      this.file = file;
      OutputStream blob = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), blobSha);
      gzip = new LeveledGzip(blob);
      tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, tarSha));
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    StreamedLayer file(String name, byte[] content) throws IOException {
      return file(name, content, false);
    }

    /**
     * A regular file; {@code incompressible} content (random bytes) is stored in the gzip stream without trying to
     * compress it, as deflate ends up storing it anyway, at the speed of a copy.
     */
    StreamedLayer file(String name, byte[] content, boolean incompressible) throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      gzip.level(incompressible ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION);
      tar.write(content);
      tar.closeArchiveEntry();
      return this;
    }

    StreamedLayer symlink(String name, String target) throws IOException {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      entry.setLinkName(target);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      return this;
    }

    Blob finish() throws IOException {
      tar.close();
      finished = true;
      return new Blob(file, new ImageFixtures.LayerRef("sha256:" + HexFormat.of().formatHex(blobSha.digest()), Files.size(file),
          "sha256:" + HexFormat.of().formatHex(tarSha.digest())));
    }

    @Override
    public void close() throws IOException {
      if (!finished) {
        tar.close();
        Files.deleteIfExists(file);
      }
    }

    /** gzip whose compression level can change between files. */
    private static final class LeveledGzip extends GZIPOutputStream {
      private int level = Deflater.DEFAULT_COMPRESSION;

      LeveledGzip(OutputStream out) throws IOException {
        super(out, 1 << 16);
      }

      void level(int wanted) {
        if (wanted != level) {
          def.setLevel(wanted);
          level = wanted;
        }
      }
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
