package dev.imagegate.scan.inventory;

import java.util.List;

/**
 * What the final image holds, after layers are merged (later layers override, whiteouts delete).
 *
 * @param osId the {@code os-release} {@code ID} ({@code debian}, {@code ubuntu}, {@code alpine}…), or null when no OS was recognized
 * @param osRelease what OS advisories are keyed by ({@code 12}, {@code 22.04}, {@code 3.18}), or null
 * @param osVersion the full version as the image states it, e.g. {@code 12.5}
 * @param packages the packages, OS packages first, then jars
 * @param warnings what could not be read
 * @param layersRead how many layers were read (the others came from the layer cache)
 * @param osEcosystem the OSV ecosystem the OS packages are matched against ({@code Debian:12}, {@code Ubuntu:22.04:LTS},
 *     {@code Alpine:v3.18}), or null when they cannot be
 * @param unscanned what the image holds that the scan cannot match (an rpm database, the packages of an unknown
 *     distribution or of a release that is not stated), one sentence each; empty when everything is matched
 * @param unidentifiedJars jars (nested ones as {@code outer.jar!inner.jar}) that nothing names: no pom.properties, no
 *     resolved artifact of the project that is the same file, no MANIFEST identity; their advisories cannot be matched
 */
public record ImageInventory(
    String osId, String osRelease, String osVersion, List<InstalledPackage> packages, List<String> warnings, int layersRead,
    String osEcosystem, List<String> unscanned, List<String> unidentifiedJars) {

  public ImageInventory {
    unscanned = unscanned == null ? List.of() : List.copyOf(unscanned);
    unidentifiedJars = unidentifiedJars == null ? List.of() : List.copyOf(unidentifiedJars);
  }

  /** A Debian (or OS-less) inventory with nothing unscanned and every jar identified. */
  public ImageInventory(String osId, String osRelease, String osVersion, List<InstalledPackage> packages, List<String> warnings, int layersRead) {
    this(osId, osRelease, osVersion, packages, warnings, layersRead, "debian".equals(osId) && osRelease != null ? "Debian:" + osRelease : null, List.of(),
        List.of());
  }

  /** The jars whose identity is only a guess from their MANIFEST.MF (no pom.properties, no same-file project artifact). */
  public List<InstalledPackage> guessedJars() {
    return packages.stream().filter(InstalledPackage::guessed).toList();
  }
}
