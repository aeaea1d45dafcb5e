package dev.imagegate.registry;

import dev.imagegate.NetworkTimeouts;
import java.time.Duration;

/**
 * How a {@link RegistryClient} talks to a registry.
 *
 * @param allowInsecure allow plain HTTP (and credentials over it); only for local test registries
 * @param maxAttempts attempts per request (and per blob upload) on connection failures, 5xx and 429
 * @param initialBackoff the first wait between attempts; it doubles up to {@code maxBackoff} (429's Retry-After wins)
 * @param maxBackoff the longest wait between attempts
 * @param network the stall timeout and the whole-exchange deadline of every request (an exchange that hits either is
 *     not retried: the call fails naming the registry)
 * @param chunkSize 0 for monolithic uploads (one PUT with the body); else upload in PATCH chunks of this size
 */
public record RegistryOptions(
    boolean allowInsecure,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    NetworkTimeouts network,
    long chunkSize) {

  public static final RegistryOptions DEFAULTS =
      new RegistryOptions(false, 5, Duration.ofMillis(500), Duration.ofSeconds(8), NetworkTimeouts.DEFAULTS, 0);

  public RegistryOptions {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (chunkSize < 0) {
      throw new IllegalArgumentException("chunkSize must not be negative");
    }
    if (network == null) {
      throw new IllegalArgumentException("network timeouts are required");
    }
  }

  public RegistryOptions withAllowInsecure(boolean insecure) {
    return new RegistryOptions(insecure, maxAttempts, initialBackoff, maxBackoff, network, chunkSize);
  }

  public RegistryOptions withRetries(int attempts, Duration initial, Duration max) {
    return new RegistryOptions(allowInsecure, attempts, initial, max, network, chunkSize);
  }

  public RegistryOptions withNetwork(NetworkTimeouts timeouts) {
    return new RegistryOptions(allowInsecure, maxAttempts, initialBackoff, maxBackoff, timeouts, chunkSize);
  }

  /** The whole-exchange deadline of a request without a large body. */
  public RegistryOptions withRequestTimeout(Duration timeout) {
    return withNetwork(network.withTimeout(timeout));
  }

  public RegistryOptions withChunkSize(long size) {
    return new RegistryOptions(allowInsecure, maxAttempts, initialBackoff, maxBackoff, network, size);
  }
}
