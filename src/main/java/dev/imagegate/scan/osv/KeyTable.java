package dev.imagegate.scan.osv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The key table of an {@link OsvIndex}, {@code keys.bin}: a magic number, the number of entries, then per entry the key
 * in {@link java.io.DataOutput#writeUTF modified UTF-8}, the offset of its value in {@code data.bin} (long) and its
 * length (int), in the key order of the importer's {@code TreeMap}.
 *
 * <p>Reading it used to build a {@code HashMap} of every key: with a real database (hundreds of thousands of keys) that
 * was most of a warm scan, for the few thousand lookups a scan makes. Now the file's bytes are kept as they are, with
 * the position of each entry, and a lookup is a binary search over the keys' encoded bytes. Modified UTF-8 keeps
 * {@code String}'s order for every character but U+0000, so the order is checked on the bytes while the positions are
 * read: a table that is not strictly ascending there (a key with U+0000, a file written otherwise) is looked up through
 * a hash map instead, never answered wrongly.
 */
final class KeyTable {
  static final int MAGIC = 0x49474f31; // "IGO1"
  private static final int MAX_ENTRIES = 50_000_000;
  private static final int LOCATION_BYTES = Long.BYTES + Integer.BYTES;

  private final byte[] file;
  private final ByteBuffer bytes; // big-endian view of file, as DataOutputStream wrote it
  private final int[] entries; // position of each entry's 2-byte key length
  private final Map<String, long[]> unordered; // null when the entries are in byte order

  private KeyTable(byte[] file, int[] entries, Map<String, long[]> unordered) {
    this.file = file;
    this.bytes = ByteBuffer.wrap(file);
    this.entries = entries;
    this.unordered = unordered;
  }

  /** Reads {@code keys.bin}'s bytes; an IOException names what is wrong when they are not a whole key table. */
  static KeyTable read(byte[] file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(file);
    if (file.length < 8 || b.getInt(0) != MAGIC) {
      throw new IOException("keys.bin is not an imagegate OSV index");
    }
    int n = b.getInt(4);
    if (n < 0 || n > MAX_ENTRIES) {
      throw new IOException("keys.bin is damaged");
    }
    int[] entries = new int[n];
    boolean ascending = true;
    int pos = 8;
    int previous = -1;
    for (int i = 0; i < n; i++) {
      if (pos + 2 > file.length) {
        throw new IOException("keys.bin is damaged: it ends inside entry " + i + " of " + n);
      }
      int length = Short.toUnsignedInt(b.getShort(pos));
      if (pos + 2 + length + LOCATION_BYTES > file.length) {
        throw new IOException("keys.bin is damaged: it ends inside entry " + i + " of " + n);
      }
      entries[i] = pos;
      if (ascending && previous >= 0 && compare(file, previous, file, pos) >= 0) {
        ascending = false;
      }
      previous = pos;
      pos += 2 + length + LOCATION_BYTES;
    }
    KeyTable table = new KeyTable(file, entries, null);
    return ascending ? table : new KeyTable(file, entries, table.toMap());
  }

  int size() {
    return entries.length;
  }

  /** The offset and length in {@code data.bin} of a key's value, or null when the key is not in the table. */
  long[] find(String key) {
    if (unordered != null) {
      return unordered.get(key);
    }
    byte[] probe = encode(key);
    if (probe == null) {
      return null;
    }
    int lo = 0;
    int hi = entries.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compare(file, entries[mid], probe, 0);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return location(entries[mid]);
      }
    }
    return null;
  }

  private long[] location(int entry) {
    int at = entry + 2 + Short.toUnsignedInt(bytes.getShort(entry));
    return new long[] {bytes.getLong(at), bytes.getInt(at + Long.BYTES)};
  }

  private Map<String, long[]> toMap() throws IOException {
    Map<String, long[]> map = new HashMap<>(Math.max(16, entries.length * 4 / 3));
    for (int entry : entries) {
      int length = Short.toUnsignedInt(bytes.getShort(entry));
      map.put(decode(entry, length), location(entry));
    }
    return map;
  }

  private String decode(int entry, int length) throws IOException {
    return new DataInputStream(new ByteArrayInputStream(file, entry, 2 + length)).readUTF();
  }

  /** A key as {@code keys.bin} holds it: its 2-byte length, then its modified UTF-8. */
  private static byte[] encode(String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(key.length() + 2);
    try (DataOutputStream data = new DataOutputStream(out)) {
      data.writeUTF(key);
    } catch (IOException e) {
      // a key longer than writeUTF allows (65,535 bytes) cannot be in the table either
      return null;
    }
    return out.toByteArray();
  }

  /** Compares two encoded keys (2-byte length, then the bytes) as unsigned bytes, a shorter prefix first. */
  private static int compare(byte[] a, int at, byte[] b, int bt) {
    int la = ((a[at] & 0xff) << 8) | (a[at + 1] & 0xff);
    int lb = ((b[bt] & 0xff) << 8) | (b[bt + 1] & 0xff);
    return Arrays.compareUnsigned(a, at + 2, at + 2 + la, b, bt + 2, bt + 2 + lb);
  }
}
