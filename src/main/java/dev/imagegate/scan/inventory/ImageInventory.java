package dev.imagegate.scan.inventory;

import java.util.List;

/**
 * What the final image holds, after layers are merged (later layers override, whiteouts delete).
 *
 * @param osId {@code debian}, or null when no OS was recognized
 * @param osRelease the release major, e.g. {@code 12} (Trivy: first line of {@code /etc/debian_version}, major)
 * @param osVersion the full version as the image states it, e.g. {@code 12.5}
 * @param packages the packages, dpkg first, then jars
 * @param warnings what could not be read
 * @param layersRead how many layers were read (the others came from the layer cache)
 * @param unidentifiedJars jars (nested ones as {@code outer.jar!inner.jar}) that nothing names: no pom.properties, no
 *     resolved artifact of the project that is the same file, no MANIFEST identity; their advisories cannot be matched
 */
public record ImageInventory(
    String osId, String osRelease, String osVersion, List<InstalledPackage> packages, List<String> warnings, int layersRead,
    List<String> unidentifiedJars) {

  public ImageInventory(String osId, String osRelease, String osVersion, List<InstalledPackage> packages, List<String> warnings, int layersRead) {
    this(osId, osRelease, osVersion, packages, warnings, layersRead, List.of());
  }

  /** The jars whose identity is only a guess from their MANIFEST.MF (no pom.properties, no same-file project artifact). */
  public List<InstalledPackage> guessedJars() {
    return packages.stream().filter(InstalledPackage::guessed).toList();
  }
}
