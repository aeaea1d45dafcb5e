package dev.imagegate.scan.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One package found in the image.
 *
 * @param ecosystem {@code Debian} (a dpkg package; {@code Ubuntu} once the image is known to be Ubuntu), {@code Alpine}
 *     (an apk package) or {@code Maven}
 * @param name binary package name, or Maven {@code groupId:artifactId}
 * @param version the installed version
 * @param sourceName source package name (dpkg {@code Source}, apk origin: advisories are keyed by it); for Maven, the
 *     same as name
 * @param sourceVersion source version (advisories compare against it); for Maven, the same as version
 * @param path where it was found: a package database file, or a jar ({@code outer.jar!BOOT-INF/lib/inner.jar} when nested)
 * @param layer the digest of the layer holding it
 * @param identifiedBy how it was identified: {@code dpkg}, {@code apk}, {@code pom.properties}, {@code project} (the
 *     project's resolved artifact that is the same file: name, size, SHA-1), or {@code MANIFEST.MF} (a guess: see
 *     {@link #guessed()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstalledPackage(
    String ecosystem,
    String name,
    String version,
    String sourceName,
    String sourceVersion,
    String path,
    String layer,
    String identifiedBy) {

  public static final String DEBIAN = "Debian";
  public static final String UBUNTU = "Ubuntu";
  public static final String ALPINE = "Alpine";
  public static final String MAVEN = "Maven";

  /** Whether it is an operating system package (dpkg or apk), matched against the image's OS advisories. */
  public boolean osPackage() {
    return !MAVEN.equals(ecosystem);
  }

  /** The same package under another ecosystem (a dpkg package of an Ubuntu image is an Ubuntu package). */
  public InstalledPackage inEcosystem(String other) {
    return new InstalledPackage(other, name, version, sourceName, sourceVersion, path, layer, identifiedBy);
  }

  /** Whether the identity is only a guess from a jar's MANIFEST.MF (the group id there is often not the Maven one). */
  public boolean guessed() {
    return JarInspector.MANIFEST_GUESS.equals(identifiedBy);
  }

  /** The name advisories are keyed by (Debian: source package). */
  public String advisoryName() {
    return sourceName == null ? name : sourceName;
  }

  /** The version advisories compare against (Debian: source version). */
  public String advisoryVersion() {
    return sourceVersion == null ? version : sourceVersion;
  }

  /** The file that holds it in the image (the outer jar for a nested one). */
  public String outerPath() {
    int bang = path.indexOf('!');
    return bang < 0 ? path : path.substring(0, bang);
  }

  /**
   * A package URL: {@code pkg:deb/debian/<name>@<version>?distro=debian-<release>} (or {@code pkg:deb/ubuntu/…}),
   * {@code pkg:apk/alpine/<name>@<version>?distro=alpine-<release>} or {@code pkg:maven/<g>/<a>@<v>}.
   */
  public String purl(String osRelease) {
    if (MAVEN.equals(ecosystem)) {
      int colon = name.indexOf(':');
      return "pkg:maven/" + enc(name.substring(0, colon)) + "/" + enc(name.substring(colon + 1)) + "@" + enc(version);
    }
    String q = sourceName != null && !sourceName.equals(name) ? "&upstream=" + enc(sourceName) : "";
    String distro = ecosystem.toLowerCase(java.util.Locale.ROOT);
    String type = ALPINE.equals(ecosystem) ? "apk" : "deb";
    String arch = ALPINE.equals(ecosystem) ? "x86_64" : "amd64";
    return "pkg:" + type + "/" + distro + "/" + enc(name) + "@" + enc(version) + "?arch=" + arch
        + (osRelease == null ? "" : "&distro=" + distro + "-" + osRelease) + q;
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
  }
}
