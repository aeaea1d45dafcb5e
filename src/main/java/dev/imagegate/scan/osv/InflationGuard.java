package dev.imagegate.scan.osv;

import dev.imagegate.CountingInputStream;
import java.io.InputStream;
import java.util.Locale;

/**
 * Bounds the work of one database update: every byte inflated from a downloaded archive is counted against the
 * update's total, against the archive's own size times the allowed ratio, and against the update's deadline. Any
 * excess ends the update with an {@link ImplausibleUpdateException}, before the bytes are all inflated.
 */
final class InflationGuard {
  private final UpdateLimits limits;
  private final long deadlineNanos;
  private long total;

  InflationGuard(UpdateLimits limits) {
    this.limits = limits;
    this.deadlineNanos = System.nanoTime() + limits.maxUpdateTime().toNanos();
  }

  /** Throws when the update has run longer than allowed. */
  void checkTime(String doing) throws ImplausibleUpdateException {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new ImplausibleUpdateException("the update took longer than " + limits.maxUpdateTime().toMinutes() + " minutes (" + doing
          + "); imagegate.scan.maxUpdateMinutes bounds it");
    }
  }

  /** The nanoseconds left before the deadline (at least 1 ms). */
  long remainingMillis() {
    return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  /** Counts what an archive {@code name} of {@code compressedSize} bytes inflates to, over all its entries. */
  Archive archive(String name, long compressedSize) {
    return new Archive(name, Math.max(1, compressedSize));
  }

  /** One downloaded archive: the inflated streams of its entries count against its size times the allowed ratio. */
  final class Archive {
    private final String name;
    private final long compressedSize;
    private long inflated;

    private Archive(String name, long compressedSize) {
      this.name = name;
      this.compressedSize = compressedSize;
    }

    String name() {
      return name;
    }

    /** Wraps an inflated stream of this archive. */
    InputStream wrap(InputStream in) {
      return new CountingInputStream(in) {
        @Override
        protected void counted(long n) throws ImplausibleUpdateException {
          count(n);
        }
      };
    }

    private void count(long n) throws ImplausibleUpdateException {
      inflated += n;
      total += n;
      if (inflated > compressedSize * limits.maxCompressionRatio()) {
        throw new ImplausibleUpdateException(String.format(Locale.ROOT,
            "%s inflates to more than %d times its size of %d bytes (a zip bomb?); imagegate.scan.maxCompressionRatio bounds it", name,
            limits.maxCompressionRatio(), compressedSize));
      }
      if (total > limits.maxInflatedBytes()) {
        throw new ImplausibleUpdateException(String.format(Locale.ROOT,
            "the update inflates to more than %d MB (at %s); imagegate.scan.maxInflatedMegabytes bounds it", limits.maxInflatedBytes() >> 20, name));
      }
      checkTime("inflating " + name);
    }
  }
}
