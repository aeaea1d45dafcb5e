package dev.imagegate.oci;

import java.io.IOException;

/**
 * A blob's bytes do not match its descriptor: another digest or another size. Thrown by {@link BlobStream} from
 * inside a read, hence an {@link IOException}; callers turn it into their goal's failure
 * with {@link #details} and {@link #suggestion}.
 */
public final class BlobDigestException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String expectedDigest;
  private final String details;

  /**
   * @param descriptor what the manifest says
   * @param actualDigest the digest of the bytes, or null when they ran past the declared size (not hashed to the end)
   * @param actualSize bytes read
   */
  BlobDigestException(Descriptor descriptor, String actualDigest, long actualSize) {
    this(descriptor.digest(), "the manifest names " + descriptor.digest() + " (" + descriptor.size() + " bytes), the archive holds "
        + (actualDigest == null ? "more than " + descriptor.size() + " bytes" : actualSize + " bytes hashing to " + actualDigest));
  }

  private BlobDigestException(String expectedDigest, String details) {
    super("blob " + expectedDigest + " does not match its digest: " + details);
    this.expectedDigest = expectedDigest;
    this.details = details;
  }

  /** What differs: {@code the manifest names sha256:… (n bytes), the archive holds m bytes hashing to sha256:…}. */
  public String details() {
    return details;
  }

  /** The digest the blob should have. */
  public String expectedDigest() {
    return expectedDigest;
  }

  /** The suggestion every goal gives for a blob that does not match: rebuild, and find out what changed it. */
  public static String suggestion() {
    return "Run the build goal again (mvn package) to rewrite target/imagegate/image.tar, and do not change files under target/imagegate/"
        + " between goals. If nothing should have changed it, the archive was damaged or tampered with: find out what wrote it before"
        + " pushing anything.";
  }
}
