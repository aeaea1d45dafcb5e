package dev.imagegate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file's content all at once: written to a temporary file beside it, then moved over it atomically, so a
 * reader (another goal, another build, a crash) never sees half a file. Every handover file goes through here.
 */
public final class AtomicWrite {
  private AtomicWrite() {}

  /** Writes {@code content} to {@code file}, creating its directory; the temporary file never outlives the call. */
  public static void replace(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
