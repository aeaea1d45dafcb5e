package dev.imagegate.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Random-access reader of an OCI image archive: a tar holding an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/<hex>}) with exactly one image manifest, as jib-core's
 * {@code TarImage} writes it in {@code ImageFormat.OCI}.
 *
 * <p>Nothing is extracted to disk: blobs are streamed from the tar. Every goal after {@code build} reads the
 * image through this class, so the bytes scanned, pushed and signed are the bytes built.
 */
public final class OciArchive implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final TarFile tar;
  private final Map<String, TarArchiveEntry> blobs = new HashMap<>();
  private final Descriptor manifestDescriptor;
  private final byte[] manifestBytes;
  private final OciManifest manifest;

  private OciArchive(Path path, TarFile tar) throws OciArchiveException, IOException {
    this.path = path;
    this.tar = tar;
    TarArchiveEntry index = null;
    for (TarArchiveEntry entry : tar.getEntries()) {
      String name = normalize(entry.getName());
      if (name.equals("index.json")) {
        index = entry;
      } else if (name.startsWith("blobs/sha256/") && entry.isFile()) {
        blobs.put("sha256:" + name.substring("blobs/sha256/".length()), entry);
      }
    }
    if (index == null) {
      throw invalid("it has no index.json (not an OCI image layout)");
    }
    JsonNode indexJson;
    try (InputStream in = tar.getInputStream(index)) {
      indexJson = JSON.readTree(in);
    }
    JsonNode manifests = indexJson.path("manifests");
    if (!manifests.isArray() || manifests.size() != 1) {
      throw invalid("index.json must list exactly one manifest, found " + manifests.size());
    }
    manifestDescriptor = JSON.treeToValue(manifests.get(0), Descriptor.class);
    manifestBytes = readVerified(manifestDescriptor.digest(), manifestDescriptor.size());
    manifest = OciManifest.parse(manifestBytes);
  }

  /** Opens an archive; the caller closes it. */
  public static OciArchive open(Path path) throws OciArchiveException {
    TarFile tar = null;
    try {
      tar = new TarFile(path);
      return new OciArchive(path, tar);
    } catch (IOException | RuntimeException e) {
      closeQuietly(tar);
      throw new OciArchiveException(
          "Cannot read the OCI image archive " + path + ": " + e.getMessage(),
          "Run the build goal again (mvn package) to recreate it.",
          e);
    } catch (OciArchiveException e) {
      closeQuietly(tar);
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

  public OciManifest manifest() {
    return manifest;
  }

  /** The image configuration blob, parsed. */
  public JsonNode config() throws OciArchiveException {
    return readJson(manifest.config());
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
   * {@link #openVerified}.
   */
  public InputStream openBlob(String digest) throws OciArchiveException {
    try {
      return tar.getInputStream(entry(digest));
    } catch (IOException e) {
      throw new OciArchiveException(
          "Cannot read blob " + digest + " of " + path + ": " + e.getMessage(),
          "Run the build goal again (mvn package) to recreate the archive.",
          e);
    }
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

  private static void closeQuietly(TarFile tar) {
    if (tar != null) {
      try {
        tar.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
