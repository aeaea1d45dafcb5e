package dev.imagegate.registry;

import java.time.Duration;

/**
 * How a {@link RegistryClient} talks to a registry.
 *
 * @param allowInsecure allow plain HTTP (and credentials over it); only for local test registries
 * @param maxAttempts attempts per request (and per blob upload) on connection failures, 5xx and 429
 * @param initialBackoff the first wait between attempts; it doubles up to {@code maxBackoff} (429's Retry-After wins)
 * @param maxBackoff the longest wait between attempts
 * @param requestTimeout how long to wait for a response to a request without a large body
 * @param minBytesPerSecond the slowest upload that is not a stall: an upload of n bytes times out after
 *     {@code requestTimeout + n / minBytesPerSecond}
 * @param chunkSize 0 for monolithic uploads (one PUT with the body); else upload in PATCH chunks of this size
 */
public record RegistryOptions(
    boolean allowInsecure,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration requestTimeout,
    long minBytesPerSecond,
    long chunkSize) {

  public static final RegistryOptions DEFAULTS =
      new RegistryOptions(false, 5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60), 256 * 1024, 0);

  public RegistryOptions {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (chunkSize < 0) {
      throw new IllegalArgumentException("chunkSize must not be negative");
    }
  }

  public RegistryOptions withAllowInsecure(boolean insecure) {
    return new RegistryOptions(insecure, maxAttempts, initialBackoff, maxBackoff, requestTimeout, minBytesPerSecond, chunkSize);
  }

  public RegistryOptions withRetries(int attempts, Duration initial, Duration max) {
    return new RegistryOptions(allowInsecure, attempts, initial, max, requestTimeout, minBytesPerSecond, chunkSize);
  }

  public RegistryOptions withRequestTimeout(Duration timeout) {
    return new RegistryOptions(allowInsecure, maxAttempts, initialBackoff, maxBackoff, timeout, minBytesPerSecond, chunkSize);
  }

  public RegistryOptions withChunkSize(long size) {
    return new RegistryOptions(allowInsecure, maxAttempts, initialBackoff, maxBackoff, requestTimeout, minBytesPerSecond, size);
  }
}
