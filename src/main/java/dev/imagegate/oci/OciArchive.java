package dev.imagegate.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.JsonStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Random-access reader of an OCI image archive: a tar holding an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/<hex>}) whose {@code index.json} lists exactly one entry: an image manifest,
 * as jib-core's {@code TarImage} writes it in {@code ImageFormat.OCI}, or an OCI image index over one manifest per
 * platform, as {@link IndexArchive} writes it for a multi-platform build. The entry's digest is the image's identity.
 * An index archive has no manifest, config or layers of its own: {@link #images()} gives one view per platform.
 *
 * <p>Nothing is extracted to disk: blobs are streamed from the tar, each with positional reads of its own region of
 * the file, so several threads may read blobs at the same time (the scan verifies layers in parallel). Every goal
 * after {@code build} reads the image through this class, so the bytes scanned, pushed and signed are the bytes built.
 */
public final class OciArchive implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final TarFile tar;
  /** The archive file, read with positional reads only (thread-safe, unlike the tar reader's channel). */
  private final FileChannel channel;
  private final Map<String, TarArchiveEntry> blobs = new HashMap<>();
  private final Descriptor manifestDescriptor;
  private final byte[] manifestBytes;
  private final OciManifest manifest;
  private final ImageIndex index;
  private final List<OciArchive> images;
  private final Platform platform;
  private final boolean owner;

  /** One platform's image of an index archive: shares the tar, which its parent closes. */
  private OciArchive(OciArchive parent, ImageIndex.Entry entry) throws OciArchiveException {
    this.path = parent.path;
    this.tar = parent.tar;
    this.channel = parent.channel;
    this.blobs.putAll(parent.blobs);
    this.manifestDescriptor = entry.manifest();
    this.manifestBytes = readVerified(entry.manifest().digest(), entry.manifest().size());
    try {
      this.manifest = OciManifest.parse(manifestBytes);
    } catch (IOException e) {
      throw invalid("the " + entry.platform() + " manifest " + entry.manifest().digest() + " is not an image manifest: " + e.getMessage());
    }
    this.index = null;
    this.images = List.of();
    this.platform = entry.platform();
    this.owner = false;
    JsonNode config = config();
    if (!platform.matchesConfig(config.path("os").asText(""), config.path("architecture").asText(""), config.path("variant").asText(null))) {
      throw invalid("the index says manifest " + entry.manifest().digest() + " is " + platform + ", but its configuration says "
          + config.path("os").asText("?") + "/" + config.path("architecture").asText("?"));
    }
  }

  private OciArchive(Path path, TarFile tar, FileChannel channel) throws OciArchiveException, IOException {
    this.path = path;
    this.tar = tar;
    this.channel = channel;
    this.owner = true;
    TarArchiveEntry layoutIndex = null;
    for (TarArchiveEntry entry : tar.getEntries()) {
      String name = normalize(entry.getName());
      if (name.equals("index.json")) {
        layoutIndex = entry;
      } else if (name.startsWith("blobs/sha256/") && entry.isFile()) {
        if (entry.isSparse()) {
          throw invalid("blob " + name + " is a sparse tar entry (no OCI image archive writer makes one)");
        }
        blobs.put("sha256:" + name.substring("blobs/sha256/".length()), entry);
      }
    }
    if (layoutIndex == null) {
      throw invalid("it has no index.json (not an OCI image layout)");
    }
    List<Descriptor> manifests;
    try (InputStream in = tar.getInputStream(layoutIndex)) {
      manifests = layoutManifests(in.readAllBytes());
    }
    if (manifests.size() != 1) {
      throw invalid("index.json must list exactly one manifest, found " + manifests.size());
    }
    manifestDescriptor = manifests.get(0);
    manifestBytes = readVerified(manifestDescriptor.digest(), manifestDescriptor.size());
    if (ImageIndex.isIndex(manifestDescriptor.mediaType())) {
      manifest = null;
      platform = null;
      try {
        index = ImageIndex.parse(manifestBytes);
      } catch (IOException e) {
        throw invalid("its image index " + manifestDescriptor.digest() + " cannot be read: " + e.getMessage());
      }
      List<OciArchive> views = new ArrayList<>();
      for (ImageIndex.Entry entry : index.manifests()) {
        views.add(new OciArchive(this, entry));
      }
      images = List.copyOf(views);
    } else {
      manifest = OciManifest.parse(manifestBytes);
      index = null;
      images = List.of();
      platform = null;
    }
  }

  /**
   * The descriptors an OCI layout's {@code index.json} lists (none when it lists none, or is {@code null}), streamed: the
   * first JSON the archive is opened with, read without data binding (see {@link JsonStream}).
   */
  public static List<Descriptor> layoutManifests(byte[] indexJson) throws IOException {
    List<Descriptor> manifests = JsonStream.parse(indexJson, p -> {
      List<List<Descriptor>> listed = new ArrayList<>(List.of(List.of()));
      JsonStream.object(p, (name, q) -> {
        if (name.equals("manifests")) {
          List<Descriptor> l = JsonStream.list(q, Descriptor::read);
          listed.set(0, l == null ? List.of() : l);
        } else {
          JsonStream.skip(q);
        }
      });
      return listed.get(0);
    });
    return manifests == null ? List.of() : manifests;
  }

  /** Opens an archive; the caller closes it. */
  public static OciArchive open(Path path) throws OciArchiveException {
    TarFile tar = null;
    FileChannel channel = null;
    try {
      tar = new TarFile(path);
      channel = FileChannel.open(path, StandardOpenOption.READ);
      return new OciArchive(path, tar, channel);
    } catch (IOException | RuntimeException e) {
      closeQuietly(tar, channel);
      throw new OciArchiveException(
          "Cannot read the OCI image archive " + path + ": " + e.getMessage(),
          "Run the build goal again (mvn package) to recreate it.",
          e);
    } catch (OciArchiveException e) {
      closeQuietly(tar, channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** The descriptor of the image manifest: its digest is the image's identity. */
  public Descriptor manifestDescriptor() {
    return manifestDescriptor;
  }

  /** The manifest exactly as stored (the bytes that must be pushed unchanged). */
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  /** The image manifest; an index archive has none (see {@link #images()}). */
  public OciManifest manifest() {
    requireImage();
    return manifest;
  }

  /** Whether the archive holds an image index (a multi-platform image) rather than one image manifest. */
  public boolean isIndex() {
    return index != null;
  }

  /** The image index of a multi-platform archive. */
  public java.util.Optional<ImageIndex> index() {
    return java.util.Optional.ofNullable(index);
  }

  /**
   * The images to scan and push: one view per platform of an index archive (in the index's order, each checked against
   * its configuration's os and architecture), or this archive itself.
   */
  public List<OciArchive> images() {
    return index == null ? List.of(this) : images;
  }

  /** The platform of one image of an index archive; empty for a single-image archive. */
  public java.util.Optional<Platform> platform() {
    return java.util.Optional.ofNullable(platform);
  }

  /** The image configuration blob, parsed. */
  public JsonNode config() throws OciArchiveException {
    requireImage();
    return readJson(manifest.config());
  }

  private void requireImage() {
    if (index != null) {
      throw new IllegalStateException(path + " holds an image index: read each platform's image through images()");
    }
  }

  /** Whether the archive holds a blob with this digest. */
  public boolean hasBlob(String digest) {
    return blobs.containsKey(digest);
  }

  /** The stored size of a blob. */
  public long blobSize(String digest) throws OciArchiveException {
    return entry(digest).getSize();
  }

  /**
   * Streams a blob without checking its digest (a registry checks it on upload); the scan reads through
   * {@link #openVerified}. Streams of several blobs may be read from several threads at once.
   */
  public InputStream openBlob(String digest) throws OciArchiveException {
    TarArchiveEntry entry = entry(digest);
    return new FileRegionInputStream(channel, entry.getDataOffset(), entry.getSize());
  }

  /**
   * Streams a blob checked against its descriptor as it is read (see {@link BlobStream}): a stored size other than
   * the descriptor's fails here, before a byte is read; other bytes fail the read that reaches their end.
   */
  public BlobStream openVerified(Descriptor descriptor) throws OciArchiveException {
    long stored = entry(descriptor.digest()).getSize();
    if (stored != descriptor.size()) {
      throw new OciArchiveException(
          "The OCI image archive " + path + " is not valid: blob " + descriptor.digest() + " is " + stored + " bytes in the archive but "
              + descriptor.size() + " bytes in the manifest: it does not match its digest.",
          BlobDigestException.suggestion(),
          null);
    }
    return new BlobStream(openBlob(descriptor.digest()), descriptor);
  }

  /** All layer descriptors, in order (lowest first). */
  public List<Descriptor> layers() {
    requireImage();
    return new ArrayList<>(manifest.layers());
  }

  private JsonNode readJson(Descriptor descriptor) throws OciArchiveException {
    try {
      return JSON.readTree(readVerified(descriptor.digest(), descriptor.size()));
    } catch (IOException e) {
      throw invalid("blob " + descriptor.digest() + " is not JSON: " + e.getMessage());
    }
  }

  /** Reads a small blob whole and checks its size and digest as it streams. */
  public byte[] readVerified(String digest, long size) throws OciArchiveException {
    if (size > 64L * 1024 * 1024) {
      throw invalid("blob " + digest + " is too large to read whole (" + size + " bytes)");
    }
    try (BlobStream in = openVerified(new Descriptor(null, digest, size))) {
      return in.readAllBytes(); // the read that reaches the end checks the digest
    } catch (BlobDigestException e) {
      throw new OciArchiveException("The OCI image archive " + path + " is not valid: " + e.getMessage() + ".", BlobDigestException.suggestion(), e);
    } catch (IOException e) {
      throw invalid("blob " + digest + " cannot be read: " + e.getMessage());
    }
  }

  private TarArchiveEntry entry(String digest) throws OciArchiveException {
    TarArchiveEntry entry = blobs.get(digest);
    if (entry == null) {
      throw invalid("blob " + digest + " is missing");
    }
    return entry;
  }

  private OciArchiveException invalid(String what) {
    return new OciArchiveException(
        "The OCI image archive " + path + " is not valid: " + what + ".",
        "Run the build goal again (mvn package) to recreate it; do not edit files under target/imagegate/.",
        null);
  }

  private static String normalize(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    return n;
  }

  private static void closeQuietly(TarFile tar, FileChannel channel) {
    try (FileChannel c = channel) {
      if (tar != null) {
        tar.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (owner) {
      try (FileChannel c = channel) {
        tar.close();
      }
    }
  }
}
