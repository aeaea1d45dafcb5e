package dev.imagegate.scan.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.WarningsReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SHA-1s of the project's resolved artifacts are remembered across scans by each file's status, and a file whose
 * bytes may have changed is never served from memory: same size and modification time with new bytes, a damaged entry,
 * a file changed while it was hashed, a file changed a moment ago.
 */
class FileSha1CacheTest {
  @TempDir Path tmp;
  private Path cache;
  private Path jar;
  /** Every file the cache hashed, in order. */
  private final List<Path> hashed = new ArrayList<>();
  /** A clock a minute ahead: the files written by the test are not "changed a moment ago" for it. */
  private final Clock later = Clock.fixed(Instant.now().plusSeconds(60), ZoneOffset.UTC);

  @BeforeEach
  void files() throws IOException {
    cache = tmp.resolve("layer-cache");
    jar = tmp.resolve("repo/spring-core-6.1.14.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "the bytes of spring-core");
  }

  private FileSha1Cache open(Optional<Path> dir, Reporter reporter, Clock clock) {
    return FileSha1Cache.open(dir, reporter, file -> {
      hashed.add(file);
      return JarDigest.of(file);
    }, clock);
  }

  @Test
  void anUnchangedFileIsHashedOnceAcrossScans() throws IOException {
    FileSha1Cache first = open(Optional.of(cache), Reporter.SILENT, later);
    String sha1 = first.sha1(jar);
    assertEquals(JarDigest.of(Files.readAllBytes(jar)), sha1);
    first.save(Reporter.SILENT);

    FileSha1Cache second = open(Optional.of(cache), Reporter.SILENT, later);
    assertEquals(sha1, second.sha1(jar));
    assertEquals(List.of(jar), hashed, "the second scan takes the SHA-1 it remembered");
  }

  @Test
  void newBytesUnderTheSameSizeAndModificationTimeAreHashedAgain() throws IOException {
    FileTime mtime = Files.getLastModifiedTime(jar);
    FileSha1Cache first = open(Optional.of(cache), Reporter.SILENT, later);
    String before = first.sha1(jar);
    first.save(Reporter.SILENT);

    // what `cp -p` of a tampered file of the same length does: new bytes, the old modification time
    Files.writeString(jar, "THE BYTES OF SPRING-CORE");
    Files.setLastModifiedTime(jar, mtime);
    FileSha1Cache second = open(Optional.of(cache), Reporter.SILENT, later);
    String after = second.sha1(jar);
    assertEquals(JarDigest.of(Files.readAllBytes(jar)), after);
    assertFalse(before.equals(after));
    assertEquals(2, hashed.size(), "its status-change time tells the cache that the file changed");
  }

  @Test
  void aDamagedEntryIsIgnoredWithAWarningAndEveryFileHashed() throws IOException {
    FileSha1Cache first = open(Optional.of(cache), Reporter.SILENT, later);
    String sha1 = first.sha1(jar);
    first.save(Reporter.SILENT);
    Path entry;
    try (var files = Files.list(cache)) {
      entry = files.filter(f -> f.getFileName().toString().startsWith("file-sha1-")).findFirst().orElseThrow();
    }
    // an entry that names another SHA-1 for the same status: a disk error or an edit
    String content = Files.readString(entry, StandardCharsets.UTF_8);
    Files.writeString(entry, content.replace(sha1, "0".repeat(40)), StandardCharsets.UTF_8);

    WarningsReporter warnings = new WarningsReporter();
    FileSha1Cache second = open(Optional.of(cache), warnings, later);
    assertEquals(sha1, second.sha1(jar));
    assertEquals(2, hashed.size());
    assertEquals(1, warnings.warnings().size(), warnings.warnings().toString());
    assertTrue(warnings.warnings().get(0).contains("its checksum does not match its content")
        && warnings.warnings().get(0).contains("every file is hashed again"), warnings.warnings().get(0));
  }

  @Test
  void aFileChangedAMomentAgoIsNotRemembered() throws IOException {
    FileSha1Cache first = open(Optional.of(cache), Reporter.SILENT, Clock.systemUTC());
    first.sha1(jar);
    first.save(Reporter.SILENT);
    open(Optional.of(cache), Reporter.SILENT, Clock.systemUTC()).sha1(jar);
    assertEquals(2, hashed.size(), "a change in the same tick as the hash would keep every time the cache compares");
  }

  @Test
  void aFileChangedWhileItIsHashedIsNotRemembered() throws IOException {
    FileSha1Cache first = FileSha1Cache.open(Optional.of(cache), Reporter.SILENT, file -> {
      hashed.add(file);
      String sha1 = JarDigest.of(file);
      try {
        Files.writeString(file, "changed while hashed");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return sha1;
    }, later);
    first.sha1(jar);
    first.save(Reporter.SILENT);
    FileSha1Cache second = open(Optional.of(cache), Reporter.SILENT, later);
    assertEquals(JarDigest.of(Files.readAllBytes(jar)), second.sha1(jar));
    assertEquals(2, hashed.size());
  }

  @Test
  void withoutACacheDirectoryEveryLookupHashes() throws IOException {
    FileSha1Cache none = open(Optional.empty(), Reporter.SILENT, later);
    none.sha1(jar);
    none.sha1(jar);
    none.save(Reporter.SILENT);
    assertEquals(2, hashed.size());
    assertFalse(Files.exists(cache));
  }

  @Test
  void aFileReachedThroughALinkIsKnownByTheFileItself() throws IOException {
    Path link = tmp.resolve("link.jar");
    Files.createSymbolicLink(link, jar);
    FileSha1Cache first = open(Optional.of(cache), Reporter.SILENT, later);
    first.sha1(link);
    first.save(Reporter.SILENT);
    FileTime mtime = Files.getLastModifiedTime(jar);
    Files.writeString(jar, "THE BYTES OF SPRING-CORE");
    Files.setLastModifiedTime(jar, mtime);
    assertEquals(JarDigest.of(Files.readAllBytes(jar)), open(Optional.of(cache), Reporter.SILENT, later).sha1(link));
    assertEquals(2, hashed.size(), "the link's own status did not change, its target's did");
  }
}
