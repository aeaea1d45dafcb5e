package dev.imagegate.scan.osv;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One vulnerability of one installed package (aliases and upstream ids collapsed to one CVE).
 *
 * @param id the CVE id when there is one, else the advisory id
 * @param aliases every other id of the same vulnerability (GHSA, DEBIAN-CVE…)
 * @param pkg the package name (Debian binary package, or Maven groupId:artifactId)
 * @param source the Debian source package the advisory is keyed by (Debian only)
 * @param ecosystem {@code Debian:12} or {@code Maven}
 * @param installed the installed version
 * @param fixed the first fixed version after the installed one, or null when there is no fix
 * @param severity the severity
 * @param severitySource where it came from: {@code debian}, {@code ghsa}, {@code cvss}
 * @param cvssScore the highest CVSS v3 base score known for it (0 when none)
 * @param title a one-line summary
 * @param paths where the package is in the image
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
    String id,
    List<String> aliases,
    String pkg,
    String source,
    String ecosystem,
    String installed,
    String fixed,
    Severity severity,
    String severitySource,
    double cvssScore,
    String title,
    List<String> paths) {

  public boolean matchesId(String other) {
    return id.equalsIgnoreCase(other) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(other));
  }
}
