package dev.imagegate.registry;

/** Told how far each blob upload has come; called from upload threads. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (registry, digest, sent, total) -> {};

  /**
   * @param registry the registry host
   * @param digest the blob being uploaded
   * @param sent bytes sent so far in this attempt
   * @param total the blob's size
   */
  void progress(String registry, String digest, long sent, long total);
}
