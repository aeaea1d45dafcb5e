package dev.imagegate.scan.osv;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The local vulnerability index: {@code data.bin} holds one small JSON document per key, {@code keys.bin} maps each
 * key ({@code Debian:12/openssl}, {@code Maven/org.yaml:snakeyaml}, {@code sev/CVE-…}, {@code nvd/CVE-…}) to its offset and length,
 * {@code meta.json} says where it came from and when. Opening reads only the key table (see {@link KeyTable}); a lookup is
 * a binary search in it and one positioned read.
 */
public final class OsvIndex implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyTable keys;
  private final FileChannel data;
  private final Map<String, String> meta;

  private OsvIndex(KeyTable keys, FileChannel data, Map<String, String> meta) {
    this.keys = keys;
    this.data = data;
    this.meta = meta;
  }

  static void write(Path dir, SortedMap<String, byte[]> entries, Map<String, String> meta) throws IOException {
    Files.createDirectories(dir);
    long offset = 0;
    try (OutputStream data = new BufferedOutputStream(Files.newOutputStream(dir.resolve("data.bin")), 1 << 16);
        DataOutputStream keys = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve("keys.bin")), 1 << 16))) {
      keys.writeInt(KeyTable.MAGIC);
      keys.writeInt(entries.size());
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        data.write(e.getValue());
        keys.writeUTF(e.getKey());
        keys.writeLong(offset);
        keys.writeInt(e.getValue().length);
        offset += e.getValue().length;
      }
    }
    // meta.json last: an index without it is incomplete and never opened
    JSON.writeValue(dir.resolve("meta.json").toFile(), meta);
  }

  public static boolean isComplete(Path dir) {
    return Files.isRegularFile(dir.resolve("meta.json")) && Files.isRegularFile(dir.resolve("keys.bin")) && Files.isRegularFile(dir.resolve("data.bin"));
  }

  public static Map<String, String> readMeta(Path dir) throws IOException {
    return JSON.readValue(dir.resolve("meta.json").toFile(), new TypeReference<Map<String, String>>() {});
  }

  public static OsvIndex open(Path dir) throws IOException {
    Map<String, String> meta = readMeta(dir);
    KeyTable keys = KeyTable.read(Files.readAllBytes(dir.resolve("keys.bin")));
    return new OsvIndex(keys, FileChannel.open(dir.resolve("data.bin"), StandardOpenOption.READ), meta);
  }

  public Map<String, String> meta() {
    return meta;
  }

  public int keyCount() {
    return keys.size();
  }

  /** Records imported from each source ({@code Debian}, {@code Maven}, {@code NVD-2024}…); empty for an index written before they were kept. */
  public Map<String, Integer> recordCounts() {
    return UpdatePlausibility.counts(meta);
  }

  /** The advisories for a package of an ecosystem ({@code Debian:12}, {@code Maven}). */
  public List<Advisory> advisories(String ecosystem, String name) throws IOException {
    byte[] b = read(ecosystem + "/" + name);
    return b == null ? List.of() : JSON.readValue(b, new TypeReference<List<Advisory>>() {});
  }

  /**
   * Builds (and keeps in this class's mapper) the readers of what a lookup returns, so that a scan's first lookups do
   * not pay for them: run on a spare thread at the scan's start. Reads nothing.
   */
  public static void warmUp() {
    JSON.readerFor(new TypeReference<List<Advisory>>() {});
    JSON.readerFor(OsvImporter.Sev.class);
    JSON.readerFor(NvdCvss.class);
    JSON.readerFor(new TypeReference<Map<String, String>>() {});
  }

  /** Severity data known for an id (CVE, GHSA…) from any imported source, or null. */
  public OsvImporter.Sev severity(String id) throws IOException {
    byte[] b = read("sev/" + id);
    return b == null ? null : JSON.readValue(b, OsvImporter.Sev.class);
  }

  /** NVD's CVSS vectors for a CVE, or null when the NVD feeds were not imported or do not score it. */
  public NvdCvss nvd(String cve) throws IOException {
    byte[] b = read("nvd/" + cve);
    return b == null ? null : JSON.readValue(b, NvdCvss.class);
  }

  /** The stored bytes of a key, or null. */
  byte[] read(String key) throws IOException {
    long[] loc = keys.find(key);
    if (loc == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) loc[1]);
    long pos = loc[0];
    while (buf.hasRemaining()) {
      int n = data.read(buf, pos + buf.position());
      if (n < 0) {
        throw new IOException("data.bin is truncated");
      }
    }
    return buf.array();
  }

  @Override
  public void close() throws IOException {
    data.close();
  }
}
