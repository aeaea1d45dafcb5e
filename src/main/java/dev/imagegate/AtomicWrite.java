package dev.imagegate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file's content all at once: written to a temporary file beside it, then moved over it atomically, so a
 * reader (another goal, another build, a crash) never sees half a file. Every handover file goes through here.
 */
public final class AtomicWrite {
  private AtomicWrite() {}

  /** What a streamed file's content is: written to {@code out}, which the caller closes. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code content} to {@code file}, creating its directory; the temporary file never outlives the call. */
  public static void replace(Path file, byte[] content) throws IOException {
    replace(file, out -> out.write(content));
  }

  /**
   * Writes what {@code content} streams to {@code file}, as {@link #replace(Path, byte[])} does, without holding the
   * whole content in memory.
   */
  public static void replace(Path file, Content content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        content.writeTo(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
