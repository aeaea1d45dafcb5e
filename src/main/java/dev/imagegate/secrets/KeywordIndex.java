package dev.imagegate.secrets;

import java.util.Arrays;
import java.util.List;

/**
 * Finds every keyword of a rule table in one pass over a text, case-insensitively: the prefilter that lets most files
 * through without a single regular expression (Trivy checks each rule's keywords before its regex; this does it for
 * all rules at once). A two-character table rejects almost every position with one lookup.
 *
 * <p>Texts are the scanner's one-char-per-byte strings (every char below 256). Immutable and thread-safe.
 */
final class KeywordIndex {

  private static final char[] LOWER = new char[256];

  static {
    for (int c = 0; c < 256; c++) {
      LOWER[c] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : (char) c;
    }
  }

  private final char[][] keywords;
  /** first two chars (lower case) of some keyword: (c0 << 8) | c1 */
  private final boolean[] pairs = new boolean[1 << 16];
  /** keyword ids by their first char */
  private final int[][] byFirst = new int[256][];

  KeywordIndex(List<String> keywords) {
    this.keywords = new char[keywords.size()][];
    for (int k = 0; k < keywords.size(); k++) {
      char[] chars = keywords.get(k).toCharArray();
      if (chars.length < 2) {
        throw new IllegalArgumentException("keywords have two chars at least: " + keywords.get(k));
      }
      for (char c : chars) {
        if (c >= 256 || LOWER[c] != c) {
          throw new IllegalArgumentException("keywords are lower-case Latin-1: " + keywords.get(k));
        }
      }
      this.keywords[k] = chars;
      pairs[(chars[0] << 8) | chars[1]] = true;
      int[] list = byFirst[chars[0]];
      list = list == null ? new int[1] : Arrays.copyOf(list, list.length + 1);
      list[list.length - 1] = k;
      byFirst[chars[0]] = list;
    }
  }

  int size() {
    return keywords.length;
  }

  /** Where each keyword occurs in the text (overlapping occurrences included), in text order. */
  Hits find(String text) {
    Hits hits = null;
    int n = text.length() - 1;
    char next = n >= 0 ? LOWER[text.charAt(0) & 0xff] : 0;
    for (int i = 0; i < n; i++) {
      char c = next;
      next = LOWER[text.charAt(i + 1) & 0xff];
      if (!pairs[(c << 8) | next]) {
        continue;
      }
      for (int k : byFirst[c]) {
        if (matchesAt(text, i, keywords[k])) {
          if (hits == null) {
            hits = new Hits(keywords.length);
          }
          hits.add(k, i);
        }
      }
    }
    return hits == null ? Hits.NONE : hits;
  }

  private static boolean matchesAt(String text, int at, char[] keyword) {
    if (at + keyword.length > text.length()) {
      return false;
    }
    for (int j = 1; j < keyword.length; j++) {
      if (LOWER[text.charAt(at + j) & 0xff] != keyword[j]) {
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
