package dev.imagegate;

import java.time.Duration;

/**
 * How long a network exchange may take, for every goal that talks to a server (registries, AWS, the OIDC token
 * endpoint): nothing waits forever.
 *
 * @param stallTimeout the longest time an exchange may go without a byte moving in either direction (connecting,
 *     waiting for an answer, receiving or sending a body); then it is abandoned
 * @param timeout the longest time one exchange may take in all, for a request and answer without a large body
 * @param minBytesPerSecond a body of n bytes (sent, or announced by the answer's {@code Content-Length}) adds
 *     {@code n / minBytesPerSecond} to {@code timeout}: large blobs get the time a slow but working link needs
 */
public record NetworkTimeouts(Duration stallTimeout, Duration timeout, long minBytesPerSecond) {

  /** One minute without progress, two minutes per exchange plus 1 s per 256 KiB of body. */
  public static final NetworkTimeouts DEFAULTS = new NetworkTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(120), 256 * 1024);

  /** The user property of {@link #stallTimeout()}, in seconds. */
  public static final String STALL_PROPERTY = "imagegate.network.stallTimeoutSeconds";
  /** The user property of {@link #timeout()}, in seconds. */
  public static final String TIMEOUT_PROPERTY = "imagegate.network.timeoutSeconds";

  public NetworkTimeouts {
    if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("stallTimeout must be positive");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (minBytesPerSecond < 1) {
      throw new IllegalArgumentException("minBytesPerSecond must be positive");
    }
  }

  /** From the goals' parameters, in seconds. */
  public static NetworkTimeouts ofSeconds(int stallTimeoutSeconds, int timeoutSeconds) {
    if (stallTimeoutSeconds < 1 || timeoutSeconds < 1) {
      throw new IllegalArgumentException(
          STALL_PROPERTY + " and " + TIMEOUT_PROPERTY + " must be at least 1 (got " + stallTimeoutSeconds + " and " + timeoutSeconds + ")");
    }
    return new NetworkTimeouts(Duration.ofSeconds(stallTimeoutSeconds), Duration.ofSeconds(timeoutSeconds), DEFAULTS.minBytesPerSecond);
  }

  public NetworkTimeouts withStallTimeout(Duration stall) {
    return new NetworkTimeouts(stall, timeout, minBytesPerSecond);
  }

  public NetworkTimeouts withTimeout(Duration total) {
    return new NetworkTimeouts(stallTimeout, total, minBytesPerSecond);
  }

  /** The whole-exchange deadline for an exchange moving {@code bodyBytes} bytes of body. */
  public Duration deadlineFor(long bodyBytes) {
    long extraMillis = Math.max(0, bodyBytes) / minBytesPerSecond * 1000 + Math.max(0, bodyBytes) % minBytesPerSecond * 1000 / minBytesPerSecond;
    return timeout.plusMillis(extraMillis);
  }
}
