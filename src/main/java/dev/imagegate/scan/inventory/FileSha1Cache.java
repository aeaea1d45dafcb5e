package dev.imagegate.scan.inventory;

import dev.imagegate.AtomicWrite;
import dev.imagegate.Reporter;
import dev.imagegate.scan.layer.LayerCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-1 of files the scan compares with jars in the image (the project's resolved artifacts in the local
 * repository), remembered across scans by what the file system says of each file, as git's index remembers a file's
 * hash: its path, size, modification time, status-change time and inode. A file whose status says anything else is
 * hashed again; only an unchanged file is not read. Without it every scan of a Spring Boot image read and hashed the
 * ~16 MB of its dependency jars again (90-230 ms of a 0.3 s scan).
 *
 * <p>Why a status-change time and the inode: a copy that keeps the modification time ({@code cp -p}, a restored backup)
 * still gets a new status-change time or inode, which nobody can set back without changing the system clock. A file
 * modified less than {@link #RACY} ago is not remembered (its next change may keep the same times: "racy git").
 *
 * <p>Stored in the layer cache's directory, in one entry with the layer cache's header (a checksum of its content): a
 * damaged entry is ignored with a warning and every file is hashed. Like the layer cache, the entry protects against
 * damage, not against someone who can write the cache directory, which must be as private as {@code ~/.m2}.
 */
final class FileSha1Cache {
  /** A file changed more recently than this is hashed every time (its times may not yet tell a later change apart). */
  static final Duration RACY = Duration.ofSeconds(2);
  /** At most this many files are remembered (those of the latest scans first). */
  static final int MAX_ENTRIES = 4096;
  private static final String VARIANT = "file-sha1";
  private static final String KEY = "v1";

  /** How a file is hashed (JarDigest, or a counting one in tests). */
  @FunctionalInterface
  interface Hasher {
    String sha1(Path file) throws IOException;
  }

  private final Optional<LayerCache> store;
  private final Hasher hasher;
  private final Clock clock;
  private final Map<String, String> known;
  /** What this scan looked up or hashed, stored first on {@link #save()}. */
  private final Map<String, String> used = new LinkedHashMap<>();
  private boolean changed;

  private FileSha1Cache(Optional<LayerCache> store, Hasher hasher, Clock clock, Map<String, String> known) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.known = known;
  }

  /** The cache kept in {@code directory} (the layer cache's), or none: every file is then hashed. */
  static FileSha1Cache open(Optional<Path> directory, Reporter reporter) {
    return open(directory, reporter, JarDigest::of, Clock.systemUTC());
  }

  static FileSha1Cache open(Optional<Path> directory, Reporter reporter, Hasher hasher, Clock clock) {
    Optional<LayerCache> store = directory.map(d -> new LayerCache(d, VARIANT, "every file is hashed again and the entry rewritten", reporter));
    Map<String, String> known = new LinkedHashMap<>();
    store.flatMap(s -> s.read(KEY)).ifPresent(content -> {
      for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
        int space = line.indexOf(' ');
        if (space > 0) {
          known.put(line.substring(space + 1), line.substring(0, space));
        }
      }
    });
    return new FileSha1Cache(store, hasher, clock, known);
  }

  /** The SHA-1 (hex) of {@code file}'s bytes: remembered if its status is the one it had when it was hashed. */
  String sha1(Path file) throws IOException {
    Optional<String> status = store.isPresent() ? status(file, clock.instant()) : Optional.empty();
    if (status.isPresent()) {
      String remembered = known.get(status.get());
      if (remembered != null) {
        used.put(status.get(), remembered);
        return remembered;
      }
    }
    String sha1 = hasher.sha1(file);
    // the status again: a file that changed while it was hashed is not remembered under either status
    if (status.isPresent() && status.equals(status(file, clock.instant()))) {
      used.put(status.get(), sha1);
      changed = true;
    }
    return sha1;
  }

  /**
   * Stores what this scan hashed (atomically; parallel builds at worst each hash once more); a failed write is a
   * warning. Nothing is written when every file was remembered.
   */
  void save(Reporter reporter) {
    if (store.isEmpty() || !changed) {
      return;
    }
    Map<String, String> all = new LinkedHashMap<>(used);
    for (Map.Entry<String, String> e : known.entrySet()) {
      if (all.size() >= MAX_ENTRIES) {
        break;
      }
      all.putIfAbsent(e.getKey(), e.getValue());
    }
    StringBuilder content = new StringBuilder();
    all.forEach((status, sha1) -> content.append(sha1).append(' ').append(status).append('\n'));
    LayerCache s = store.get();
    try {
      AtomicWrite.replace(s.file(KEY), LayerCache.encode(KEY, content.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      reporter.warn("Cannot write " + s.file(KEY) + " (" + e.getMessage() + "); the next scan hashes the project's resolved artifacts again.");
    }
  }

  /**
   * What identifies the file's current content for this cache ({@code size mtime ctime inode path}), or empty when it
   * cannot be told (no status-change time or inode on this file system, a name with a line break, a file changed less
   * than {@link #RACY} ago): then it is hashed every time.
   */
  static Optional<String> status(Path file, Instant now) {
    Path abs = file.toAbsolutePath().normalize();
    String name = abs.toString();
    if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
      return Optional.empty();
    }
    try {
      // through links: what matters is the file whose bytes are hashed
      Map<String, Object> unix = Files.readAttributes(abs, "unix:isRegularFile,size,lastModifiedTime,ctime,dev,ino");
      if (!Boolean.TRUE.equals(unix.get("isRegularFile"))) {
        return Optional.empty();
      }
      FileTime mtime = (FileTime) unix.get("lastModifiedTime");
      FileTime ctime = (FileTime) unix.get("ctime");
      Instant newest = mtime.toInstant().isAfter(ctime.toInstant()) ? mtime.toInstant() : ctime.toInstant();
      if (newest.isAfter(now.minus(RACY))) {
        return Optional.empty();
      }
      return Optional.of(unix.get("size") + " " + mtime.to(TimeUnit.NANOSECONDS) + " " + ctime.to(TimeUnit.NANOSECONDS) + " " + unix.get("dev") + ":"
          + unix.get("ino") + " " + name);
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      // no "unix" view (Windows): no status-change time to rely on, so the file is hashed every time
      return Optional.empty();
    }
  }
}
