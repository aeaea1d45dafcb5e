package dev.imagegate;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that hands the number of bytes of every read (and skip) to {@link #counted(long)}, which may throw to stop
 * the reader: the one place for the progress of an upload and for the limits on inflated bytes.
 *
 * <pre>{@code
 * InputStream in = new CountingInputStream(raw) {
 *   protected void counted(long n) throws IOException { total += n; if (total > max) throw new LimitException(…); }
 * };
 * }</pre>
 */
public abstract class CountingInputStream extends FilterInputStream {
  protected CountingInputStream(InputStream in) {
    super(in);
  }

  /** Called after each read or skip that moved {@code n > 0} bytes. */
  protected abstract void counted(long n) throws IOException;

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = super.skip(n);
    if (s > 0) {
      counted(s);
    }
    return s;
  }
}
