package dev.imagegate.scan.osv;

import java.time.Duration;

/**
 * What a database update may cost and what it must contain to replace the database in use.
 *
 * @param maxInflatedBytes the most bytes all downloaded archives of one update may inflate to
 * @param maxCompressionRatio the most an archive may inflate, as a multiple of its own size (a zip bomb inflates far more)
 * @param maxUpdateTime how long one update (downloads and import) may hold the update lock
 * @param minRecordShare an update with fewer records in some source than this share of the database in use is refused
 * @param maxUnparsableShare an update in which a larger share of a source's records does not parse is refused
 */
public record UpdateLimits(long maxInflatedBytes, int maxCompressionRatio, Duration maxUpdateTime, double minRecordShare, double maxUnparsableShare) {

  /**
   * Generous defaults: OSV's Debian and Maven exports and the NVD feeds inflate to well under 4 GiB and compress about
   * 10:1; 10 minutes is shorter than the 15 minutes another build waits for the lock.
   */
  public static final UpdateLimits DEFAULT = new UpdateLimits(8L << 30, 100, Duration.ofMinutes(10), 0.5, 0.01);
}
