package dev.imagegate.scan.version;

import java.util.Comparator;

/**
 * Alpine package version ordering, as apk-tools' {@code apk_version_compare} (src/version.c):
 * {@code digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}}, compared token by token. Numbers compare
 * numerically, except a number with a leading zero after a dot, which compares as a string; a letter by its character;
 * a suffix by its rank ({@code alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p}); a commit hash as a
 * string. When one version runs out first, it is the smaller one unless the other continues with a pre-release suffix
 * ({@code 1.0_rc1 < 1.0 < 1.0.1 < 1.0_p1 < 1.0-r1}). Past an invalid token both sides compare equal, as in apk.
 */
public final class AlpineVersion {
  /** Compares two version strings; never throws. */
  public static final Comparator<String> ORDER = AlpineVersion::compare;

  private AlpineVersion() {}

  private static final int INITIAL_DIGIT = 0;
  private static final int DIGIT = 1;
  private static final int LETTER = 2;
  private static final int SUFFIX = 3;
  private static final int SUFFIX_NO = 4;
  private static final int COMMIT_HASH = 5;
  private static final int REVISION_NO = 6;
  private static final int END = 7;
  private static final int INVALID = 8;

  /** Suffixes by rank; {@code ""} is "no suffix" (between the pre-release and the post-release ones). */
  private static final String[] SUFFIXES = {"alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"};
  private static final int SUFFIX_NONE = 4;

  /** The tokenizer of one version string. */
  private static final class Tokens {
    private final String s;
    private int pos;
    int token = INITIAL_DIGIT;
    int suffix;
    String value = "";

    Tokens(String s) {
      this.s = s == null ? "" : s;
      digits();
    }

    private void digits() {
      int start = pos;
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
      value = s.substring(start, pos);
      if (value.isEmpty()) {
        token = INVALID;
      }
    }

    void next() {
      if (pos >= s.length()) {
        token = END;
        return;
      }
      char c = s.charAt(pos);
      if (c >= 'a' && c <= 'z') {
        if (token > DIGIT) {
          token = INVALID;
          return;
        }
        value = String.valueOf(c);
        token = LETTER;
        pos++;
      } else if (c == '.' || isDigit(c)) {
        if (c == '.') {
          if (token > DIGIT) {
            token = INVALID;
            return;
          }
          pos++;
        }
        switch (token) {
          case INITIAL_DIGIT, DIGIT -> token = DIGIT;
          case SUFFIX -> token = SUFFIX_NO;
          default -> {
            token = INVALID;
            return;
          }
        }
        digits();
      } else if (c == '_') {
        if (token > SUFFIX_NO) {
          token = INVALID;
          return;
        }
        pos++;
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= 'a' && s.charAt(pos) <= 'z') {
          pos++;
        }
        value = s.substring(start, pos);
        suffix = suffixRank(value);
        token = suffix < 0 ? INVALID : SUFFIX;
      } else if (c == '~') {
        if (token >= COMMIT_HASH) {
          token = INVALID;
          return;
        }
        pos++;
        int start = pos;
        while (pos < s.length() && (isDigit(s.charAt(pos)) || (s.charAt(pos) >= 'a' && s.charAt(pos) <= 'f'))) {
          pos++;
        }
        value = s.substring(start, pos);
        token = value.isEmpty() ? INVALID : COMMIT_HASH;
      } else if (c == '-') {
        if (token >= REVISION_NO || !s.startsWith("-r", pos)) {
          token = INVALID;
          return;
        }
        pos += 2;
        token = REVISION_NO;
        digits();
      } else {
        token = INVALID;
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int suffixRank(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < SUFFIXES.length; i++) {
      if (i != SUFFIX_NONE && SUFFIXES[i].equals(s)) {
        return i;
      }
    }
    return -1;
  }

  /** Compares two digit strings by value, of any length. */
  private static int numeric(String a, String b) {
    String x = stripZeros(a);
    String y = stripZeros(b);
    if (x.length() != y.length()) {
      return Integer.compare(x.length(), y.length());
    }
    return Integer.signum(x.compareTo(y));
  }

  private static String stripZeros(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }

  private static int tokenCompare(Tokens a, Tokens b) {
    return switch (a.token) {
      case DIGIT -> a.value.charAt(0) == '0' || b.value.charAt(0) == '0'
          ? Integer.signum(a.value.compareTo(b.value)) // a leading zero: string order, as Gentoo
          : numeric(a.value, b.value);
      case INITIAL_DIGIT, SUFFIX_NO, REVISION_NO -> numeric(a.value, b.value);
      case LETTER -> Integer.compare(a.value.charAt(0), b.value.charAt(0));
      case SUFFIX -> Integer.compare(a.suffix, b.suffix);
      default -> Integer.signum(a.value.compareTo(b.value));
    };
  }

  /** Whether apk accepts the version string ({@code apk_version_validate}). */
  public static boolean valid(String version) {
    Tokens t = new Tokens(version);
    while (t.token < END) {
      t.next();
    }
    return t.token == END;
  }

  /** apk's comparison: negative, zero or positive as {@code a} is older than, the same as, or newer than {@code b}. */
  public static int compare(String a, String b) {
    Tokens ta = new Tokens(a);
    Tokens tb = new Tokens(b);
    while (ta.token == tb.token && ta.token < END) {
      int r = tokenCompare(ta, tb);
      if (r != 0) {
        return r;
      }
      ta.next();
      tb.next();
    }
    if (ta.token == tb.token) {
      return 0;
    }
    if (ta.token == SUFFIX && ta.suffix < SUFFIX_NONE) {
      return -1;
    }
    if (tb.token == SUFFIX && tb.suffix < SUFFIX_NONE) {
      return 1;
    }
    return ta.token > tb.token ? -1 : 1;
  }
}
