package dev.imagegate.scan.version;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Debian package version ordering exactly as {@code dpkg --compare-versions} (deb-version(7)):
 * {@code [epoch:]upstream[-revision]}, split at the LAST hyphen; epoch numerically, then upstream, then revision,
 * each compared by alternating non-digit runs (letters before non-letters, {@code ~} before everything, even the
 * end of the string) and digit runs (numeric, any length).
 */
public final class DebianVersion implements Comparable<DebianVersion> {
  /** Compares two version strings; malformed versions compare as dpkg would parse them, never throw. */
  public static final Comparator<String> ORDER = (a, b) -> parse(a).compareTo(parse(b));

  private final BigInteger epoch;
  private final String upstream;
  private final String revision;

  private DebianVersion(BigInteger epoch, String upstream, String revision) {
    this.epoch = epoch;
    this.upstream = upstream;
    this.revision = revision;
  }

  public static DebianVersion parse(String version) {
    String v = version == null ? "" : version.trim();
    BigInteger epoch = BigInteger.ZERO;
    int colon = v.indexOf(':');
    if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
      epoch = new BigInteger(v.substring(0, colon));
      v = v.substring(colon + 1);
    }
    String revision = "";
    int hyphen = v.lastIndexOf('-');
    if (hyphen >= 0) {
      revision = v.substring(hyphen + 1);
      v = v.substring(0, hyphen);
    }
    return new DebianVersion(epoch, v, revision);
  }

  @Override
  public int compareTo(DebianVersion o) {
    int c = epoch.compareTo(o.epoch);
    if (c != 0) {
      return c;
    }
    c = compareFragment(upstream, o.upstream);
    return c != 0 ? c : compareFragment(revision, o.revision);
  }

  /** dpkg's order of a character in a non-digit run: ~ first, then end of string, letters, then the rest. */
  private static int order(int ch) {
    if (ch == '~') {
      return -1;
    }
    if (Character.isDigit(ch)) {
      return 0;
    }
    if (ch == 0) {
      return 0;
    }
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      return ch;
    }
    return ch + 256;
  }

  static int compareFragment(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
        int ac = i < a.length() ? order(a.charAt(i)) : 0;
        int bc = j < b.length() ? order(b.charAt(j)) : 0;
        if (ac != bc) {
          return Integer.compare(ac, bc);
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && Character.isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return Integer.signum(firstDiff);
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DebianVersion d && compareTo(d) == 0;
  }

  @Override
  public int hashCode() {
    return epoch.hashCode();
  }

  @Override
  public String toString() {
    return (epoch.signum() == 0 ? "" : epoch + ":") + upstream + (revision.isEmpty() ? "" : "-" + revision);
  }
}
