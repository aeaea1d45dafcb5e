package dev.imagegate.scan.inventory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operating system of an image, as {@code os-release} states it ({@code ID}, {@code VERSION_ID}), and the OSV
 * ecosystem its packages are matched against. {@code os-release} comes first: Ubuntu ships an
 * {@code /etc/debian_version} ({@code bookworm/sid}) too. Without an {@code os-release}, {@code /etc/debian_version}
 * (a number) or {@code /etc/alpine-release} identify the system, as Trivy does.
 *
 * @param id the {@code os-release} {@code ID} ({@code debian}, {@code ubuntu}, {@code alpine}, {@code rhel}…), or null
 * @param release what advisories are keyed by: Debian's major ({@code 12}), Ubuntu's {@code 22.04}, Alpine's
 *     {@code 3.18}; null when the image states none
 * @param version the full version as the image states it ({@code 12.5}, {@code 22.04.1}, {@code 3.18.4})
 * @param ecosystem the OSV ecosystem of its packages ({@code Debian:12}, {@code Ubuntu:22.04:LTS}, {@code Alpine:v3.18}),
 *     null when the scan has no advisories for this system or release
 */
public record OperatingSystem(String id, String release, String version, String ecosystem) {
  public static final String OS_RELEASE = "etc/os-release";
  public static final String USR_OS_RELEASE = "usr/lib/os-release";
  public static final String DEBIAN_VERSION = "etc/debian_version";
  public static final String ALPINE_RELEASE = "etc/alpine-release";

  /** No operating system files at all (a {@code FROM scratch} image, say). */
  public static final OperatingSystem NONE = new OperatingSystem(null, null, null, null);

  /**
   * Identifies the system from the contents of its release files.
   *
   * @param osRelease the {@code os-release} the image resolves ({@code /etc/os-release}, else {@code /usr/lib/os-release}), or null
   * @param debianVersion {@code /etc/debian_version}, or null
   * @param alpineRelease {@code /etc/alpine-release}, or null
   */
  public static OperatingSystem identify(String osRelease, String debianVersion, String alpineRelease) {
    Map<String, String> os = parseOsRelease(osRelease);
    String id = os.get("ID") == null ? null : os.get("ID").toLowerCase(Locale.ROOT);
    String versionId = blankToNull(os.get("VERSION_ID"));
    String debian = firstLine(debianVersion);
    String alpine = firstLine(alpineRelease);
    if (id == null) {
      if (debian != null && Character.isDigit(debian.charAt(0))) {
        id = "debian";
      } else if (alpine != null) {
        id = "alpine";
      } else {
        return NONE;
      }
    }
    switch (id) {
      case "debian" -> {
        String major = versionId != null ? versionId.split("\\.")[0]
            : debian != null && Character.isDigit(debian.charAt(0)) ? debian.split("\\.")[0] : null;
        if (major == null || !major.chars().allMatch(Character::isDigit) || major.isEmpty()) {
          return new OperatingSystem(id, null, debian, null);
        }
        String version = debian != null && (debian.equals(major) || debian.startsWith(major + ".")) ? debian : versionId;
        return new OperatingSystem(id, major, version, "Debian:" + major);
      }
      case "ubuntu" -> {
        if (versionId == null || !versionId.matches("\\d+\\.\\d+")) {
          return new OperatingSystem(id, null, versionId, null);
        }
        String stated = os.getOrDefault("VERSION", "");
        String version = stated.matches(versionId.replace(".", "\\.") + "(\\.\\d+)?( .*)?") ? stated.split(" ")[0] : versionId;
        // OSV names LTS releases Ubuntu:22.04:LTS and the others Ubuntu:24.10; os-release's VERSION says "LTS"
        boolean lts = stated.contains("LTS") || (versionId.endsWith(".04") && Integer.parseInt(versionId.split("\\.")[0]) % 2 == 0);
        return new OperatingSystem(id, versionId, version, "Ubuntu:" + versionId + (lts ? ":LTS" : ""));
      }
      case "alpine" -> {
        String version = versionId != null ? versionId : alpine;
        if (version == null || !version.matches("\\d+\\.\\d+.*")) {
          return new OperatingSystem(id, null, version, null);
        }
        String[] parts = version.split("[._]");
        String release = parts[0] + "." + parts[1];
        return new OperatingSystem(id, release, version, "Alpine:v" + release);
      }
      default -> {
        return new OperatingSystem(id, versionId, versionId, null);
      }
    }
  }

  /** The package database format whose packages this system's advisories cover ({@code dpkg}, {@code apk}), or null. */
  public String packageFormat() {
    if (id == null) {
      return null;
    }
    return switch (id) {
      case "debian", "ubuntu" -> "dpkg";
      case "alpine" -> "apk";
      default -> null;
    };
  }

  /** The {@link InstalledPackage#ecosystem()} of its packages ({@code Debian}, {@code Ubuntu}, {@code Alpine}), or null. */
  public String family() {
    return ecosystem == null ? null : ecosystem.substring(0, ecosystem.indexOf(':'));
  }

  /** For messages: {@code ubuntu 22.04}, or {@code an unidentified operating system}. */
  public String label() {
    if (id == null) {
      return "an unidentified operating system";
    }
    return id + (version == null ? "" : " " + version);
  }

  /** {@code os-release}: {@code KEY=value} lines, values optionally quoted. */
  static Map<String, String> parseOsRelease(String text) {
    Map<String, String> out = new HashMap<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        String v = line.substring(eq + 1).trim();
        if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'")) && v.endsWith(v.substring(0, 1))) {
          v = v.substring(1, v.length() - 1);
        }
        out.put(line.substring(0, eq).trim(), v);
      }
    }
    return out;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return null;
    }
    String first = text.lines().findFirst().orElse("").trim();
    return first.isEmpty() ? null : first;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
