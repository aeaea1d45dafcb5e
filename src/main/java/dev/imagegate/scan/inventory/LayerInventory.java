package dev.imagegate.scan.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one layer contributes, independent of the other layers: the unit of the per-layer inventory cache.
 *
 * @param digest the layer digest
 * @param packages packages found in the layer's own files
 * @param textFiles small OS files by path ({@code etc/debian_version}, {@code etc/alpine-release}, {@code etc/os-release},
 *     {@code usr/lib/os-release})
 * @param ownedJars jar paths listed in dpkg md5sums files of this layer (covered by OS advisories only)
 * @param written every path the layer writes (files, links)
 * @param whiteouts paths the layer deletes
 * @param opaqueDirs directories ({@code dir/}) whose lower content the layer hides
 * @param symlinks symlinks the layer creates, path to target
 * @param warnings what could not be read, for the user
 * @param anonymousJars the layer's jars (and jars nested in them) that do not name themselves, with size and SHA-1:
 *     the project's resolved artifacts name them when the image is merged
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LayerInventory(
    String digest,
    List<InstalledPackage> packages,
    Map<String, String> textFiles,
    Set<String> ownedJars,
    Set<String> written,
    Set<String> whiteouts,
    Set<String> opaqueDirs,
    Map<String, String> symlinks,
    List<String> warnings,
    List<AnonymousJar> anonymousJars) {

  /** Version of the cache format; bump when what is recorded changes. */
  public static final int FORMAT = 3; // 3: apk packages and the jars nothing names
}
