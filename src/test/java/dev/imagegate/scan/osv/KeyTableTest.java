package dev.imagegate.scan.osv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index's key table: every key written is found with its value, nothing else is, whatever the keys hold. */
class KeyTableTest {
  @TempDir Path tmp;

  @Test
  void everyKeyIsFoundAndNoOtherKey() throws IOException {
    TreeMap<String, byte[]> entries = new TreeMap<>();
    for (String k : List.of("Debian:12/openssl", "Debian:12/openssl-provider-legacy", "Maven/org.yaml:snakeyaml", "sev/CVE-2022-1471",
        "nvd/CVE-2022-1471", "a", "a/b", "ab", "", "é", "日本語", "\uD83D\uDE00", "\uFFFF", "\uE000", "x".repeat(1000))) {
      entries.put(k, ("value of " + k).getBytes(StandardCharsets.UTF_8));
    }
    try (OsvIndex index = write("kinds", entries)) {
      assertEquals(entries.size(), index.keyCount());
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        assertArrayEquals(e.getValue(), index.read(e.getKey()), e.getKey());
      }
      for (String absent : List.of("0", "zzz", "a/", "aa", "Debian:12/openss", "Debian:12/openssl1", "Debian:12/", "\u0000", "\uD83D", "é ",
          "x".repeat(999), "x".repeat(1001), "y".repeat(70_000))) {
        assertNull(index.read(absent), absent);
      }
    }
  }

  @Test
  void randomKeysAgreeWithAMap() throws IOException {
    Random random = new Random(20261206);
    TreeMap<String, byte[]> entries = new TreeMap<>();
    while (entries.size() < 5000) {
      entries.put(randomKey(random), new byte[] {(byte) random.nextInt(), (byte) entries.size()});
    }
    try (OsvIndex index = write("random", entries)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        assertArrayEquals(e.getValue(), index.read(e.getKey()), e.getKey());
      }
      int probed = 0;
      while (probed < 5000) {
        String k = randomKey(random);
        if (!entries.containsKey(k)) {
          assertNull(index.read(k), k);
          probed++;
        }
      }
    }
  }

  @Test
  void aKeyWithNulOrATableOutOfOrderIsStillFound() throws IOException {
    // U+0000 sorts first as a String but is written as C0 80: the table is not in byte order
    TreeMap<String, byte[]> withNul = new TreeMap<>();
    for (String k : List.of("\u0000", "a\u0000b", "a", "ab", "b", "\u0080")) {
      withNul.put(k, k.getBytes(StandardCharsets.UTF_8));
    }
    try (OsvIndex index = write("nul", withNul)) {
      for (String k : withNul.keySet()) {
        assertArrayEquals(withNul.get(k), index.read(k), k);
      }
      assertNull(index.read("a\u0000"));
    }
    // a file written in another order than the importer's
    byte[] file = keysBin(List.of("sev/CVE-2", "Maven/b", "Debian:12/a"), new long[] {0, 3, 6}, new int[] {3, 3, 3});
    KeyTable table = KeyTable.read(file);
    assertArrayEquals(new long[] {3, 3}, table.find("Maven/b"));
    assertArrayEquals(new long[] {6, 3}, table.find("Debian:12/a"));
    assertArrayEquals(new long[] {0, 3}, table.find("sev/CVE-2"));
    assertNull(table.find("Maven/a"));
  }

  @Test
  void aDamagedTableIsAnErrorThatSaysSo() throws IOException {
    byte[] whole = keysBin(List.of("Maven/a", "Maven/b"), new long[] {0, 1}, new int[] {1, 1});
    assertEquals(2, KeyTable.read(whole).size());
    IOException cut = assertThrows(IOException.class, () -> KeyTable.read(Arrays.copyOf(whole, whole.length - 1)));
    assertTrue(cut.getMessage().contains("keys.bin is damaged: it ends inside entry 1 of 2"), cut.getMessage());
    byte[] notOurs = whole.clone();
    notOurs[0] = 'P';
    assertTrue(assertThrows(IOException.class, () -> KeyTable.read(notOurs)).getMessage().contains("not an imagegate OSV index"));
    assertThrows(IOException.class, () -> KeyTable.read(new byte[3]));
  }

  private OsvIndex write(String name, TreeMap<String, byte[]> entries) throws IOException {
    Path dir = tmp.resolve(name);
    OsvIndex.write(dir, entries, Map.of("source", "test"));
    assertTrue(Files.size(dir.resolve("keys.bin")) > 8);
    return OsvIndex.open(dir);
  }

  private static String randomKey(Random random) {
    String[] prefixes = {"Debian:12/", "Maven/org.", "sev/CVE-", "nvd/CVE-", "", "é"};
    StringBuilder b = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      b.append(kind < 7 ? (char) ('a' + random.nextInt(4)) : kind < 9 ? (char) (0xe0 + random.nextInt(3)) : '\u4e00');
    }
    return b.toString();
  }

  private static byte[] keysBin(List<String> keys, long[] offsets, int[] lengths) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(KeyTable.MAGIC);
      out.writeInt(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        out.writeUTF(keys.get(i));
        out.writeLong(offsets[i]);
        out.writeInt(lengths[i]);
      }
    }
    return bytes.toByteArray();
  }
}
