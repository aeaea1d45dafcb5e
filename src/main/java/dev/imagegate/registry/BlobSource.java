package dev.imagegate.registry;

import dev.imagegate.oci.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Content to upload as a blob: its digest, its size and a way to (re)open it. {@link #open()} may be called more
 * than once (a retry after a dropped connection starts the blob again), so it must return the same bytes every time.
 */
public interface BlobSource {

  String digest();

  long size();

  InputStream open() throws IOException;

  /**
   * The content as a buffer of its own (position 0, limit = size) when it is held in memory or memory-mapped, so an
   * upload can hand it to the socket without copying it through a stream; empty otherwise. Each call returns an
   * independent view.
   */
  default java.util.Optional<ByteBuffer> buffer() {
    return java.util.Optional.empty();
  }

  /** A blob held in memory; its digest is computed here. */
  static BlobSource of(byte[] bytes) {
    byte[] copy = bytes.clone();
    String digest = Digests.sha256(copy);
    return new BlobSource() {
      @Override
      public String digest() {
        return digest;
      }

      @Override
      public long size() {
        return copy.length;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(copy);
      }
    };
  }

  /**
   * A blob in a (possibly memory-mapped) buffer whose digest the caller vouches for; the registry checks it on upload.
   * Each {@link #open()} reads an independent view, so several registries can upload the same buffer concurrently.
   */
  static BlobSource of(String digest, ByteBuffer buffer) {
    ByteBuffer ro = buffer.asReadOnlyBuffer();
    long size = ro.remaining();
    return new BlobSource() {
      @Override
      public String digest() {
        return digest;
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public java.util.Optional<ByteBuffer> buffer() {
        return java.util.Optional.of(ro.duplicate());
      }

      @Override
      public InputStream open() {
        ByteBuffer view = ro.duplicate();
        return new InputStream() {
          @Override
          public int read() {
            return view.hasRemaining() ? view.get() & 0xff : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (!view.hasRemaining()) {
              return -1;
            }
            int n = Math.min(len, view.remaining());
            view.get(b, off, n);
            return n;
          }

          @Override
          public int available() {
            return view.remaining();
          }
        };
      }
    };
  }
}
