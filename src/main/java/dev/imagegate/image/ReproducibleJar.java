package dev.imagegate.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Re-packs a jar so that its bytes depend only on its entries' names and contents: every entry gets one fixed time
 * (no extended timestamps, no extra fields, no comments) and the entries are written in name order, with
 * {@code META-INF/} and {@code META-INF/MANIFEST.MF} first as {@link java.util.jar.JarInputStream} expects.
 *
 * <p>maven-jar-plugin stamps every entry with the build time unless {@code project.build.outputTimestamp} is set, so
 * a sibling module rebuilt from the same commit gives another jar, and an image holding it another digest. The
 * re-packed copy is what the image holds; the module's own jar is left as it is.
 */
public final class ReproducibleJar {
  /** The time of every entry: the zip format's earliest (1980-01-01), as Maven's reproducible builds use in effect. */
  static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 0);

  private static final Comparator<String> JAR_ORDER =
      Comparator.comparingInt(ReproducibleJar::rank).thenComparing(Comparator.naturalOrder());

  private ReproducibleJar() {}

  /**
   * Writes the re-packed copy of {@code jar} to {@code target} (replacing it); entries keep their names, contents and
   * compression method.
   */
  public static void repack(Path jar, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(partial);
        ZipOutputStream out = new ZipOutputStream(file)) {
      List<ZipEntry> entries =
          in.stream().map(ZipEntry.class::cast).sorted(Comparator.comparing(ZipEntry::getName, JAR_ORDER)).toList();
      String previous = null;
      for (ZipEntry entry : entries) {
        if (entry.getName().equals(previous)) {
          continue;
        }
        previous = entry.getName();
        byte[] content;
        try (InputStream data = in.getInputStream(entry)) {
          content = data.readAllBytes();
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTimeLocal(ENTRY_TIME);
        if (entry.getMethod() == ZipEntry.STORED) {
          CRC32 crc = new CRC32();
          crc.update(content);
          copy.setMethod(ZipEntry.STORED);
          copy.setSize(content.length);
          copy.setCompressedSize(content.length);
          copy.setCrc(crc.getValue());
        } else {
          copy.setMethod(ZipEntry.DEFLATED);
        }
        out.putNextEntry(copy);
        out.write(content);
        out.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int rank(String name) {
    if (name.equals("META-INF/")) {
      return 0;
    }
    return name.equalsIgnoreCase("META-INF/MANIFEST.MF") ? 1 : 2;
  }
}
