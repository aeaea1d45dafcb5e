package dev.imagegate.scan.layer;

import dev.imagegate.AtomicWrite;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The storage of the per-layer cache, shared by builds: one file per layer digest (and variant, e.g. the format of
 * what is stored) holding what an analysis derived from that layer's bytes.
 *
 * <p>What makes it safe to share:
 * <ul>
 *   <li>An entry is written only for a layer whose bytes {@link LayerWalk.LayerState#verified matched its digest}, so
 *       an archive with tampered bytes under an honest digest cannot put its facts under that digest.</li>
 *   <li>An entry carries the SHA-256 and length of its content in a header line
 *       ({@code imagegate-layer-cache 1 <layer digest> <sha256 hex> <length>}); one that does not match (a disk error,
 *       a half-copied cache, an edit) is ignored with a warning and the layer is read again and the entry rewritten.
 *       It is never trusted.</li>
 *   <li>Entries are written to a temp file and moved into place atomically: parallel builds may write the same entry
 *       (same content), a crash leaves at worst a stray temp file.</li>
 * </ul>
 * The checksum detects damage, not a forger who can write the cache directory: that directory must be as private as
 * the build's other caches ({@code ~/.m2}).
 */
public final class LayerCache {
  private static final String MAGIC = "imagegate-layer-cache";
  private static final int VERSION = 1;
  /** An entry larger than this is not read (a layer's facts take a few MB at most). */
  private static final long MAX_ENTRY_BYTES = 256L << 20;
  private static final int MAX_HEADER = 256;

  private final Path directory;
  private final String variant;
  private final String redone;
  private final Reporter reporter;

  /**
   * @param directory where the entries are
   * @param variant what the entries hold (a format version, the settings they depend on), part of each file name
   * @param reporter where ignored entries are reported
   */
  public LayerCache(Path directory, String variant, Reporter reporter) {
    this(directory, variant, "the layer is read again and the entry rewritten", reporter);
  }

  /**
   * A store with the same entries and checks for something else derived from verified bytes (e.g. file digests).
   *
   * @param redone what the warning about an ignored entry says happens instead ("every file is hashed again …")
   */
  public LayerCache(Path directory, String variant, String redone, Reporter reporter) {
    this.directory = directory;
    this.variant = variant;
    this.redone = redone;
    this.reporter = reporter;
  }

  /** The entry file of a layer. */
  public Path file(String layerDigest) {
    return directory.resolve(variant + "-" + layerDigest.replace(':', '-') + ".entry");
  }

  /** The content stored for a layer, if there is an entry and it matches its checksum; else empty (with a warning). */
  public Optional<byte[]> read(String layerDigest) {
    Path f = file(layerDigest);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    byte[] entry;
    try {
      if (Files.size(f) > MAX_ENTRY_BYTES) {
        return ignore(f, "it is larger than " + MAX_ENTRY_BYTES + " bytes");
      }
      entry = Files.readAllBytes(f);
    } catch (IOException e) {
      return ignore(f, "it cannot be read: " + e.getMessage());
    }
    int eol = -1;
    for (int i = 0; i < Math.min(entry.length, MAX_HEADER); i++) {
      if (entry[i] == '\n') {
        eol = i;
        break;
      }
    }
    if (eol < 0) {
      return ignore(f, "it has no header (cut short, or written by another version)");
    }
    String[] header = new String(entry, 0, eol, StandardCharsets.US_ASCII).split(" ");
    if (header.length != 5 || !header[0].equals(MAGIC) || !header[1].equals(Integer.toString(VERSION))) {
      return ignore(f, "its header is not this version's");
    }
    if (!header[2].equals(layerDigest)) {
      return ignore(f, "it belongs to another layer (" + header[2] + ")");
    }
    byte[] content = Arrays.copyOfRange(entry, eol + 1, entry.length);
    if (!header[4].equals(Integer.toString(content.length)) || !header[3].equals(sha256Hex(content))) {
      return ignore(f, "its checksum does not match its content (damaged or changed since it was written)");
    }
    return Optional.of(content);
  }

  /**
   * Stores what was derived from a layer, atomically. Only a {@link LayerWalk.LayerState#verified verified} layer may
   * be stored; a failed write is a warning (the scan goes on without the cache).
   *
   * @throws IllegalStateException when the layer's bytes were not verified
   */
  public void write(LayerWalk.LayerState layer, byte[] content) {
    if (!layer.verified()) {
      throw new IllegalStateException("layer " + layer.digest() + " was not verified against its digest: it is not cached");
    }
    try {
      AtomicWrite.replace(file(layer.digest()), encode(layer.digest(), content));
    } catch (IOException e) {
      reporter.warn("Cannot write the layer cache in " + directory + " (" + e.getMessage() + "); scanning goes on without it.");
    }
  }

  /** An entry's bytes: the header line, then the content. */
  public static byte[] encode(String layerDigest, byte[] content) {
    byte[] header = (MAGIC + " " + VERSION + " " + layerDigest + " " + sha256Hex(content) + " " + content.length + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] entry = Arrays.copyOf(header, header.length + content.length);
    System.arraycopy(content, 0, entry, header.length, content.length);
    return entry;
  }

  private Optional<byte[]> ignore(Path f, String why) {
    reporter.warn("Ignoring the layer cache entry " + f + ": " + why + "; " + redone + ".");
    return Optional.empty();
  }

  private static String sha256Hex(byte[] content) {
    return Digests.hex(Digests.sha256(content));
  }
}
