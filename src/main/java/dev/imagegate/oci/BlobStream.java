package dev.imagegate.oci;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A blob's stored bytes, checked against its descriptor as they stream by: every buffer read goes once through
 * SHA-256 (no copy, no second read), and the end of the stream compares digest and size. A blob that does not match
 * throws {@link BlobDigestException} from the read that reaches its end (or goes past its declared size), so no
 * reader can take a tampered blob for a whole one. {@link #verifyToEnd} reads what a reader left (a tar's padding,
 * a gzip trailer) and checks.
 *
 * <p>Skipped bytes are read and hashed too ({@link InputStream#skip} reads). Not thread-safe.
 */
public final class BlobStream extends InputStream {
  private static final int DRAIN_BUFFER = 1 << 16;

  private final InputStream stored;
  private final Descriptor descriptor;
  private final MessageDigest sha256 = Digests.newSha256();
  private long count;
  private boolean verified;

  BlobStream(InputStream stored, Descriptor descriptor) {
    this.stored = stored;
    this.descriptor = descriptor;
  }

  /** The descriptor the bytes are checked against. */
  public Descriptor descriptor() {
    return descriptor;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = stored.read(b, off, len);
    if (n > 0) {
      sha256.update(b, off, n);
      count += n;
      if (count > descriptor.size()) {
        throw mismatch();
      }
    } else if (n < 0) {
      check();
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return stored.available();
  }

  @Override
  public void close() throws IOException {
    stored.close();
  }

  /** Reads the rest of the blob and checks it; once it passed, further calls return at once. */
  public void verifyToEnd() throws IOException {
    if (verified) {
      return;
    }
    byte[] buffer = new byte[DRAIN_BUFFER];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashed by read
    }
  }

  /** Whether every byte has been read and matched the descriptor. */
  public boolean verified() {
    return verified;
  }

  private void check() throws BlobDigestException {
    if (verified) {
      return;
    }
    String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
    if (count != descriptor.size() || !actual.equals(descriptor.digest())) {
      throw new BlobDigestException(descriptor, actual, count);
    }
    verified = true;
  }

  private BlobDigestException mismatch() {
    return new BlobDigestException(descriptor, null, count);
  }
}
