package dev.imagegate.oci;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The bytes of one region of a file (a blob inside an archive), read with positional reads: streams of several regions
 * of one {@link FileChannel} can be read from several threads at once (the channel's position is never used). A file
 * that ends before the region does fails the read with an {@link EOFException}. Closing the stream leaves the channel open.
 */
final class FileRegionInputStream extends InputStream {
  private final FileChannel channel;
  private final long end;
  private long position;

  FileRegionInputStream(FileChannel channel, long offset, long length) {
    this.channel = channel;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long left = end - position;
    if (left <= 0) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
    if (n < 0) {
      throw new EOFException("the file ends " + left + " bytes before the end of the blob");
    }
    position += n;
    return n;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
