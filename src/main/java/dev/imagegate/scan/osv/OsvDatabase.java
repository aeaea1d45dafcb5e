package dev.imagegate.scan.osv;

import dev.imagegate.AtomicWrite;
import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The local OSV cache: downloads {@code <baseUrl>/<Ecosystem>/all.zip} (and the NVD feeds, for NVD's CVSS vectors),
 * verifies it (length, GCS MD5 when served, a readable zip), imports it into a new index generation within
 * {@link UpdateLimits} (bytes inflated, compression ratio, time), and swaps the {@code current} pointer atomically
 * only when the import is plausible ({@link UpdatePlausibility}).
 *
 * <p>Readers never lock: they open the generation {@code current} names. Updaters take a file lock (and a lock in
 * this JVM), so two builds updating at once serialize, and the second one reuses what the first one imported. A
 * failed download or a refused update keeps the old database, with a warning. {@code offline} uses the cache as is,
 * and fails when there is none. A database older than {@code maxAge} fails, offline or not.
 */
public final class OsvDatabase {
  /** The public OSV bucket. */
  public static final String DEFAULT_URL = "https://osv-vulnerabilities.storage.googleapis.com";

  private static final ReentrantLock JVM_LOCK = new ReentrantLock();
  private static final Duration LOCK_WAIT = Duration.ofMinutes(15);
  private static final Duration HTTP_TIMEOUT = Duration.ofMinutes(5);

  /** The default of {@link Config#maxAge()}. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(3);

  /**
   * Where and how to get the data.
   *
   * @param cacheDirectory the local cache, shared by builds
   * @param baseUrl where the OSV {@code <Ecosystem>/all.zip} files are
   * @param ecosystems the OSV ecosystems to download
   * @param updateInterval refresh a database older than this
   * @param offline never download
   * @param nvd the NVD feeds for CVSS vectors, or {@link NvdFeeds#NONE}
   * @param limits what an update may cost and must contain
   * @param maxAge a database older than this fails the scan
   */
  public record Config(Path cacheDirectory, String baseUrl, List<String> ecosystems, Duration updateInterval, boolean offline, NvdFeeds nvd,
      UpdateLimits limits, Duration maxAge) {
    /** Without NVD data, with the default limits and maximum age. */
    public Config(Path cacheDirectory, String baseUrl, List<String> ecosystems, Duration updateInterval, boolean offline) {
      this(cacheDirectory, baseUrl, ecosystems, updateInterval, offline, NvdFeeds.NONE, UpdateLimits.DEFAULT, DEFAULT_MAX_AGE);
    }
  }

  private final Config config;
  private final Reporter reporter;
  private final Clock clock;

  public OsvDatabase(Config config, Reporter reporter, Clock clock) {
    this.config = config;
    this.reporter = reporter;
    this.clock = clock;
  }

  /** Opens the index, updating the cache first when it is missing or older than the update interval (unless offline). */
  public OsvIndex open() throws ScanException {
    Path cache = config.cacheDirectory();
    Path current = currentGeneration();
    if (current != null && config.offline() && !missingEcosystems(current).isEmpty()) {
      throw new ScanException(
          "The cached vulnerability database in " + cache + " has no " + String.join(", ", missingEcosystems(current))
              + " advisories and the scan is offline.",
          "Run the scan once online (without -o and imagegate.scan.offline) to add them to the cache, or point"
              + " imagegate.scan.cacheDirectory at a cache that holds them.");
    }
    if (current != null && config.offline()) {
      reporter.info("Offline: the vulnerability database in " + cache + " (updated " + updatedAt(current) + ") is used as it is;"
          + System.lineSeparator() + "  it is not updated (the maximum age, imagegate.scan.maxDatabaseAge, still applies).");
      return openUnlessTooOld(current, null);
    }
    if (current != null && fresh(current)) {
      return openUnlessTooOld(current, null);
    }
    if (config.offline()) {
      throw new ScanException(
          "The vulnerability database is not in the cache " + cache + " and the scan is offline.",
          "Run the scan once online (without -o and imagegate.scan.offline) to fill the cache, or point"
              + " imagegate.scan.cacheDirectory at a cache that holds one.");
    }
    try {
      Files.createDirectories(cache);
    } catch (IOException e) {
      throw new ScanException("Cannot create the vulnerability database cache " + cache + ": " + e.getMessage(),
          "Set imagegate.scan.cacheDirectory to a writable directory.", e);
    }
    JVM_LOCK.lock();
    try (FileChannel lockFile = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = acquire(lockFile)) {
      current = currentGeneration();
      if (current != null && fresh(current)) {
        return openUnlessTooOld(current, null); // another build updated it while we waited
      }
      try {
        Path gen = update(current);
        return openGeneration(gen);
      } catch (ImplausibleUpdateException e) {
        String why = "the update from " + sources() + " was refused: " + e.getMessage();
        if (current != null) {
          reporter.warn("The vulnerability database " + why + ". The database in use (" + updatedAt(current) + ") stays current.");
          return openUnlessTooOld(current, why);
        }
        throw new ScanException("No usable vulnerability database: " + why + ".",
            "Check the mirrors (imagegate.scan.databaseUrl, imagegate.scan.nvdUrl) serve complete data; the limits are"
                + " imagegate.scan.minRecordPercent, imagegate.scan.maxCompressionRatio, imagegate.scan.maxInflatedMegabytes and"
                + " imagegate.scan.maxUpdateMinutes.", e);
      } catch (IOException | RuntimeException e) {
        if (current != null && !missingEcosystems(current).isEmpty()) {
          throw new ScanException("Cannot download the vulnerability database from " + config.baseUrl() + " (" + e.getMessage()
              + "), and the cached one has no " + String.join(", ", missingEcosystems(current)) + " advisories.",
              "Check the network or set imagegate.scan.databaseUrl to a reachable mirror that holds <Ecosystem>/all.zip for "
                  + String.join(", ", config.ecosystems()) + ".", e);
        }
        if (current != null) {
          reporter.warn("Could not update the vulnerability database from " + sources() + " (" + e.getMessage()
              + "); using the cached one from " + current.getFileName() + ".");
          return openUnlessTooOld(current, "it could not be updated from " + sources() + ": " + e.getMessage());
        }
        throw new ScanException(
            "Cannot download the vulnerability database from " + sources() + ": " + e.getMessage(),
            "Check the network or set imagegate.scan.databaseUrl to a reachable mirror (an http(s) URL, file:// URL"
                + " or directory holding <Ecosystem>/all.zip) and imagegate.scan.nvdUrl to one of the NVD feeds.",
            e);
      }
    } catch (IOException e) {
      throw new ScanException("Cannot lock the vulnerability database cache " + cache + ": " + e.getMessage(),
          "Set imagegate.scan.cacheDirectory to a writable local directory.", e);
    } finally {
      JVM_LOCK.unlock();
    }
  }

  /** Where an update reads from, for messages. */
  private String sources() {
    return config.baseUrl() + (config.nvd().enabled() ? " and " + config.nvd().baseUrl() : "");
  }

  private static String updatedAt(Path gen) {
    try {
      return OsvIndex.readMeta(gen).get("updatedAt");
    } catch (IOException e) {
      return gen.getFileName().toString();
    }
  }

  /**
   * Opens a cached generation unless it is older than the maximum age; {@code notUpdated} says why a newer one is not
   * there (null when no update was tried).
   */
  private OsvIndex openUnlessTooOld(Path gen, String notUpdated) throws ScanException {
    Instant updated;
    try {
      updated = Instant.parse(OsvIndex.readMeta(gen).get("updatedAt"));
    } catch (IOException | RuntimeException e) {
      throw new ScanException("The vulnerability database in " + gen + " does not say when it was updated: " + e.getMessage(),
          "Delete " + config.cacheDirectory() + " and run the scan online to download it again.", e);
    }
    Duration age = Duration.between(updated, clock.instant());
    if (age.compareTo(config.maxAge()) > 0) {
      throw new ScanException("The vulnerability database in " + config.cacheDirectory() + " is " + DatabaseAge.describe(age) + " old (updated "
          + updated + "), older than the maximum of " + DatabaseAge.describe(config.maxAge()) + " (imagegate.scan.maxDatabaseAge)"
          + (notUpdated == null ? (config.offline() ? "; the scan is offline" : "") : "; " + notUpdated) + ".",
          "Refresh it online in this project: mvn imagegate:scan -Dimagegate.scan.updateIntervalHours=0 (without -o and"
              + " imagegate.scan.offline). To accept an older database for now, raise imagegate.scan.maxDatabaseAge (days).");
    }
    if (age.compareTo(DEFAULT_MAX_AGE) > 0) {
      reporter.warn("The vulnerability database is " + DatabaseAge.describe(age) + " old (updated " + updated + "): accepted because"
          + " imagegate.scan.maxDatabaseAge allows " + DatabaseAge.describe(config.maxAge()) + ".");
    }
    return openGeneration(gen);
  }

  private FileLock acquire(FileChannel ch) throws IOException, ScanException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    boolean told = false;
    while (true) {
      try {
        FileLock l = ch.tryLock();
        if (l != null) {
          return l;
        }
      } catch (OverlappingFileLockException e) {
        // held in this JVM by another thread: wait like for another process
      }
      if (!told) {
        reporter.info("Waiting for another build that is updating the vulnerability database in " + config.cacheDirectory());
        told = true;
      }
      if (System.nanoTime() > deadline) {
        throw new ScanException("Timed out waiting for the lock on " + config.cacheDirectory().resolve(".lock"),
            "Another build holds it; wait for it to finish, or remove a stale lock holder.");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }

  /**
   * Recent enough, made from the configured sources, and with the record counts the next update is compared with (a
   * database written before they were kept is replaced at the next online scan).
   */
  private boolean fresh(Path gen) {
    try {
      Map<String, String> meta = OsvIndex.readMeta(gen);
      Instant updated = Instant.parse(meta.get("updatedAt"));
      return updated.plus(config.updateInterval()).isAfter(clock.instant()) && config.baseUrl().equals(meta.get("source"))
          && config.nvd().describe().equals(meta.get("nvd")) && !UpdatePlausibility.counts(meta).isEmpty() && missingEcosystems(gen).isEmpty();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The ecosystems asked for that a generation was not imported from (an Ubuntu image scanned with a Debian-only cache). */
  private List<String> missingEcosystems(Path gen) {
    try {
      String had = OsvIndex.readMeta(gen).get("ecosystems");
      List<String> have = had == null ? List.of() : List.of(had.split(","));
      return config.ecosystems().stream().filter(e -> !have.contains(e)).toList();
    } catch (IOException | RuntimeException e) {
      return config.ecosystems();
    }
  }

  private OsvIndex openGeneration(Path gen) throws ScanException {
    try {
      return OsvIndex.open(gen);
    } catch (IOException e) {
      throw new ScanException("The vulnerability database in " + gen + " is damaged: " + e.getMessage(),
          "Delete " + config.cacheDirectory() + " and run the scan online to download it again.", e);
    }
  }

  /** The generation {@code current} points at, when complete. */
  Path currentGeneration() {
    Path pointer = config.cacheDirectory().resolve("current");
    try {
      if (!Files.isRegularFile(pointer)) {
        return null;
      }
      String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
      Path gen = config.cacheDirectory().resolve(name);
      return name.startsWith("gen-") && OsvIndex.isComplete(gen) ? gen : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Downloads and imports every source; the new generation becomes current only if it is plausible next to {@code inUse}. */
  private Path update(Path inUse) throws IOException {
    Path cache = config.cacheDirectory();
    Path work = Files.createTempDirectory(cache, "download-");
    try {
      InflationGuard guard = new InflationGuard(config.limits());
      OsvImporter importer = new OsvImporter(reporter);
      long started = System.nanoTime();
      long bytes = 0;
      List<OsvImporter.SourceCount> counts = new ArrayList<>();
      for (String eco : config.ecosystems()) {
        Path zip = work.resolve(eco + ".zip");
        bytes += download(config.baseUrl(), eco + "/all.zip", zip, guard);
        counts.add(importer.addZip(zip, eco, guard));
        Files.delete(zip);
      }
      for (String feed : config.nvd().feeds()) {
        Path gz = work.resolve(NvdFeeds.fileName(feed));
        bytes += download(config.nvd().baseUrl(), NvdFeeds.fileName(feed), gz, guard);
        counts.add(importer.addNvdFeed(gz, NvdFeeds.source(feed), guard));
        Files.delete(gz);
      }
      UpdatePlausibility.check(counts, inUse == null ? Map.of() : OsvIndex.readMeta(inUse), config.limits());
      Path gen = cache.resolve("gen-" + clock.millis() + "-" + UUID.randomUUID().toString().substring(0, 8));
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("updatedAt", clock.instant().toString());
      meta.put("source", config.baseUrl());
      meta.put("ecosystems", String.join(",", config.ecosystems()));
      meta.put("nvd", config.nvd().describe());
      meta.putAll(UpdatePlausibility.meta(counts));
      OsvImporter.Result result = importer.write(gen, meta);
      AtomicWrite.replace(cache.resolve("current"), gen.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      reporter.info(String.format(java.util.Locale.ROOT,
          "Vulnerability database updated from %s: %d records, %d packages, %.1f MB in %.1f s",
          sources(), result.records(), result.keys(), bytes / 1e6, (System.nanoTime() - started) / 1e9));
      pruneOldGenerations(gen);
      return gen;
    } finally {
      deleteTree(work);
    }
  }

  /** Keeps the new generation and the one before it (a build may still read it); deletes older ones. */
  private void pruneOldGenerations(Path keep) {
    try (Stream<Path> s = Files.list(config.cacheDirectory())) {
      List<Path> gens = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith("gen-") && !p.equals(keep))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList());
      for (int i = 0; i < gens.size() - 1; i++) {
        deleteTree(gens.get(i));
      }
    } catch (IOException e) {
      reporter.debug("Cannot prune old database generations: " + e.getMessage());
    }
  }

  /** Copies {@code <baseUrl>/<file>} to {@code target} within the update's deadline; returns its size. */
  private long download(String baseUrl, String file, Path target, InflationGuard guard) throws IOException {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (!base.contains("://")) {
      Path src = Path.of(base, file);
      Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
      return Files.size(target);
    }
    URL url = URI.create(base + "/" + file).toURL();
    if (!url.getProtocol().startsWith("http")) {
      try (InputStream in = url.openStream()) {
        return Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setConnectTimeout((int) Math.min(Duration.ofSeconds(30).toMillis(), guard.remainingMillis()));
    c.setReadTimeout((int) Math.min(HTTP_TIMEOUT.toMillis(), guard.remainingMillis()));
    c.setInstanceFollowRedirects(true);
    try {
      int code = c.getResponseCode();
      if (code != 200) {
        throw new IOException(url + " answered HTTP " + code);
      }
      long expected = c.getContentLengthLong();
      String md5 = null;
      // header names are case-insensitive (the JDK's map is not): GCS sends x-goog-hash, a proxy may send X-Goog-Hash
      for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() == null || !h.getKey().equalsIgnoreCase("x-goog-hash")) {
          continue;
        }
        for (String value : h.getValue()) {
          for (String part : value.split(",")) {
            if (part.trim().startsWith("md5=")) {
              md5 = part.trim().substring(4);
            }
          }
        }
      }
      MessageDigest digest = MessageDigest.getInstance("MD5");
      long n = 0;
      try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(target)) {
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = in.read(buf)) > 0) {
          out.write(buf, 0, r);
          digest.update(buf, 0, r);
          n += r;
          guard.checkTime("downloading " + url);
        }
      }
      if (expected >= 0 && n != expected) {
        throw new IOException(url + " was truncated: " + n + " of " + expected + " bytes");
      }
      if (md5 != null && !md5.equals(Base64.getEncoder().encodeToString(digest.digest()))) {
        throw new IOException(url + " does not match its x-goog-hash MD5");
      }
      return n;
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    } finally {
      c.disconnect();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
