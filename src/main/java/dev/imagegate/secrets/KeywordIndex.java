package dev.imagegate.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every keyword of a rule table in one pass over a text, case-insensitively: the prefilter that lets most files
 * through without a single regular expression (Trivy checks each rule's keywords before its regex; this does it for
 * all rules at once).
 *
 * <p>The text is the scanner's bytes (one char per byte, as {@link TextLayout#bytes} gives them), searched where they
 * lie: no string is made of a file that holds no keyword. Each position costs one lookup in an 8 KB bit table of the
 * hashes of the keywords' first three bytes (case folded); only where it hits are the keywords with that hash compared.
 * Immutable and thread-safe.
 */
final class KeywordIndex {

  private static final byte[] LOWER = new byte[256];

  static {
    for (int c = 0; c < 256; c++) {
      LOWER[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  }

  private final byte[][] keywords;
  /** One bit per hash of a keyword's first three bytes, folded ({@link #fold}). */
  private final long[] triples = new long[TABLE_BITS / 64];
  /** Per hash: the ids of the keywords whose folded first three bytes have it, null for none. */
  private final int[][] byTriple = new int[TABLE_BITS][];

  private static final int TABLE_BITS = 1 << 16;

  KeywordIndex(List<String> keywords) {
    this.keywords = new byte[keywords.size()][];
    for (int k = 0; k < keywords.size(); k++) {
      String keyword = keywords.get(k);
      if (keyword.length() < 3) {
        throw new IllegalArgumentException("keywords have three chars at least: " + keyword);
      }
      for (char c : keyword.toCharArray()) {
        if (c >= 256 || LOWER[c] != (byte) c) {
          throw new IllegalArgumentException("keywords are lower-case Latin-1: " + keyword);
        }
      }
      byte[] bytes = keyword.getBytes(StandardCharsets.ISO_8859_1);
      this.keywords[k] = bytes;
      int h = hash((fold(bytes[0]) << 24) | (fold(bytes[1]) << 16) | (fold(bytes[2]) << 8));
      triples[h >>> 6] |= 1L << h;
      int[] ids = byTriple[h] == null ? new int[1] : Arrays.copyOf(byTriple[h], byTriple[h].length + 1);
      ids[ids.length - 1] = k;
      byTriple[h] = ids;
    }
  }

  /**
   * A byte with its 0x20 bit set: a-z and A-Z fold to the same, as any case-insensitive match needs; some other bytes
   * fold together too ({@code _} and DEL), which only lets a position through to the exact comparison.
   */
  private static int fold(byte b) {
    return (b | 0x20) & 0xff;
  }

  /** 16 bits of three bytes, {@code (b0 << 24) | (b1 << 16) | (b2 << 8)}. */
  private static int hash(int triple) {
    return (triple * 0x9E3779B1) >>> 16;
  }

  int size() {
    return keywords.length;
  }

  /**
   * Where each keyword occurs in {@code text[from, to)} (overlapping occurrences included), in text order; positions
   * are counted from {@code from}.
   */
  Hits find(byte[] text, int from, int to) {
    Hits hits = null;
    if (to - from < 3) {
      return Hits.NONE;
    }
    int window = (fold(text[from]) << 8) | fold(text[from + 1]); // the last bytes read; the hash takes three
    for (int i = from + 2; i < to; i++) {
      window = (window << 8) | fold(text[i]);
      int h = hash(window << 8);
      if ((triples[h >>> 6] & (1L << h)) == 0) {
        continue;
      }
      int at = i - 2;
      for (int k : byTriple[h]) {
        if (matchesAt(text, at, to, keywords[k])) {
          if (hits == null) {
            hits = new Hits(keywords.length);
          }
          hits.add(k, at - from);
        }
      }
    }
    return hits == null ? Hits.NONE : hits;
  }

  /** Whether the keyword is at {@code at}, in any case. */
  private static boolean matchesAt(byte[] text, int at, int to, byte[] keyword) {
    if (at + keyword.length > to) {
      return false;
    }
    for (int j = 0; j < keyword.length; j++) {
      if (LOWER[text[at + j] & 0xff] != keyword[j]) {
        return false;
      }
    }
    return true;
  }

  /** The occurrences found in one text. */
  static final class Hits {
    static final Hits NONE = new Hits(0);
    private final int[][] positions;
    private final int[] counts;

    private Hits(int keywords) {
      positions = new int[keywords][];
      counts = new int[keywords];
    }

    private void add(int keyword, int at) {
      int[] list = positions[keyword];
      if (list == null) {
        list = positions[keyword] = new int[4];
      } else if (counts[keyword] == list.length) {
        list = positions[keyword] = Arrays.copyOf(list, list.length * 2);
      }
      list[counts[keyword]++] = at;
    }

    boolean none() {
      return this == NONE;
    }

    boolean contains(int keyword) {
      return counts.length > 0 && counts[keyword] > 0;
    }

    /** Positions of a keyword, ascending. */
    int[] positions(int keyword) {
      return counts.length == 0 || counts[keyword] == 0 ? new int[0] : Arrays.copyOf(positions[keyword], counts[keyword]);
    }
  }
}
