package dev.imagegate.scan.osv;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One OSV record's {@code affected[]} entry for one package, with what matching and severity need (the index stores
 * these, compacted, under {@code <ecosystem>/<package>}).
 *
 * @param id the OSV id ({@code GHSA-…}, {@code DEBIAN-CVE-…})
 * @param aliases {@code aliases[]} and {@code upstream[]} of the record
 * @param summary the record's summary (or the first line of its details)
 * @param cvss CVSS vectors of the record ({@code severity[].score}; CVSS_V3 and CVSS_V4)
 * @param vendorSeverity GHSA {@code database_specific.severity}, Debian {@code ecosystem_specific.urgency} or Ubuntu's priority
 * @param ranges the {@code ECOSYSTEM} (and {@code SEMVER}) ranges
 * @param versions the explicit affected versions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Advisory(
    String id,
    List<String> aliases,
    String summary,
    List<String> cvss,
    String vendorSeverity,
    List<Range> ranges,
    List<String> versions) {

  public Advisory {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    cvss = cvss == null ? List.of() : List.copyOf(cvss);
    ranges = ranges == null ? List.of() : List.copyOf(ranges);
    versions = versions == null ? List.of() : List.copyOf(versions);
  }

  /** An OSV range: its type and events in order, each {@code introduced}, {@code fixed} or {@code last_affected}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Range(String type, List<Event> events) {
    public Range {
      events = events == null ? List.of() : List.copyOf(events);
    }
  }

  /** One range event. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Event(String kind, String value) {}

  /** The CVE this advisory is about: the id if it is a CVE, else the first CVE alias, else the id. */
  public String primaryId() {
    if (id.startsWith("CVE-")) {
      return id;
    }
    for (String a : aliases) {
      if (a.startsWith("CVE-")) {
        return a;
      }
    }
    return id;
  }
}
