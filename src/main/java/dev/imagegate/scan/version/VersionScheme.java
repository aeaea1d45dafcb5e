package dev.imagegate.scan.version;

import java.util.Comparator;
import java.util.Locale;

/** The version ordering of an OSV ecosystem. */
public enum VersionScheme {
  /** deb-version(7), as {@code dpkg --compare-versions} (Debian and Ubuntu). */
  DEBIAN(DebianVersion.ORDER),
  /** apk-tools' version ordering (Alpine). */
  ALPINE(AlpineVersion.ORDER),
  /** Maven's ComparableVersion (maven-artifact, the version pinned in the plugin's pom), behind {@link MavenVersionOrder}. */
  MAVEN(MavenVersionOrder.ORDER);

  private final Comparator<String> order;

  VersionScheme(Comparator<String> order) {
    this.order = order;
  }

  public int compare(String a, String b) {
    return order.compare(a, b);
  }

  /**
   * The scheme of an OSV ecosystem name ({@code Debian}, {@code Debian:12}, {@code Ubuntu:22.04:LTS}, {@code Alpine:v3.18},
   * {@code Maven}), or null when unsupported.
   */
  public static VersionScheme forEcosystem(String ecosystem) {
    if (ecosystem == null) {
      return null;
    }
    String e = ecosystem.toLowerCase(Locale.ROOT);
    if (e.equals("debian") || e.startsWith("debian:") || e.equals("ubuntu") || e.startsWith("ubuntu:")) {
      return DEBIAN;
    }
    if (e.equals("alpine") || e.startsWith("alpine:")) {
      return ALPINE;
    }
    if (e.equals("maven")) {
      return MAVEN;
    }
    return null;
  }
}
