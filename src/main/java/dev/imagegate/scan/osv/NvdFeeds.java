package dev.imagegate.scan.osv;

import java.util.ArrayList;
import java.util.List;

/**
 * The NVD CVE JSON 2.0 feeds the scan reads CVSS vectors from: {@code <baseUrl>/nvdcve-2.0-<feed>.json.gz}, one feed
 * per year ({@code 2002} holds every CVE up to 2002). They give Debian findings NVD's severity where Debian has not
 * rated them, as Trivy does.
 *
 * @param baseUrl an {@code http(s)://} or {@code file://} URL or a local directory; null: no NVD data
 * @param feeds the feed names ({@code 2002} … the current year)
 */
public record NvdFeeds(String baseUrl, List<String> feeds) {
  /** NVD's own feeds. */
  public static final String DEFAULT_URL = "https://nvd.nist.gov/feeds/json/cve/2.0";
  /** The first yearly feed. */
  public static final int FIRST_YEAR = 2002;
  /** No NVD data: severities come from the vendor and from CVSS vectors in the OSV records only. */
  public static final NvdFeeds NONE = new NvdFeeds(null, List.of());

  public NvdFeeds {
    feeds = List.copyOf(feeds);
  }

  /** Every yearly feed from {@link #FIRST_YEAR} to {@code lastYear}. */
  public static NvdFeeds yearly(String baseUrl, int lastYear) {
    List<String> years = new ArrayList<>();
    for (int y = FIRST_YEAR; y <= lastYear; y++) {
      years.add(Integer.toString(y));
    }
    return new NvdFeeds(baseUrl, years);
  }

  public boolean enabled() {
    return baseUrl != null && !feeds.isEmpty();
  }

  /** The file name of a feed under {@link #baseUrl()}. */
  static String fileName(String feed) {
    return "nvdcve-2.0-" + feed + ".json.gz";
  }

  /** The source name its record count is kept under: {@code NVD-2024}. */
  static String source(String feed) {
    return "NVD-" + feed;
  }

  /** How {@code meta.json} names this configuration, to tell whether a cached database was made from it. */
  String describe() {
    return enabled() ? baseUrl + " " + String.join(",", feeds) : "none";
  }
}
