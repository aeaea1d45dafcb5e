package dev.imagegate;

/**
 * A record one goal hands to the next through a {@link HandoverFile}: always about exactly one image, named by its
 * manifest digest.
 */
public interface HandoverRecord {
  /** The image's manifest digest, {@code sha256:<64 hex>}. */
  String digest();
}
