package dev.imagegate.scan.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.layer.CachedLayerAnalyzer;
import dev.imagegate.scan.layer.LayerCache;
import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.scan.layer.LayerLimits;
import dev.imagegate.scan.layer.LayerVerification;
import dev.imagegate.scan.layer.LayerWalk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Inventories an OCI archive: streams the layers once (or takes a layer's facts from the per-layer cache, keyed by
 * layer digest), then merges the layers as the runtime would.
 *
 * <p>The cache ({@link LayerCache}) holds one entry per layer digest: a layer's {@link LayerInventory} as JSON, written
 * only after the layer's bytes matched their digest, with a checksum that makes a damaged entry be ignored and
 * rewritten. A layer an extra analyzer {@link LayerFileAnalyzer#needsLayer needs} is read.
 */
public final class InventoryScanner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> cacheDirectory;
  private final Optional<LayerCache> cache;
  private final JarInspector.Limits limits;
  private final LayerLimits layerLimits;
  private final List<LayerFileAnalyzer> extraAnalyzers;
  private final Reporter reporter;

  public InventoryScanner(Optional<Path> cacheDirectory, JarInspector.Limits limits, List<LayerFileAnalyzer> extraAnalyzers, Reporter reporter) {
    this(cacheDirectory, limits, LayerLimits.DEFAULT, extraAnalyzers, reporter);
  }

  public InventoryScanner(Optional<Path> cacheDirectory, JarInspector.Limits limits, LayerLimits layerLimits, List<LayerFileAnalyzer> extraAnalyzers,
      Reporter reporter) {
    this.cacheDirectory = cacheDirectory;
    this.cache = layerCache(cacheDirectory, limits, reporter);
    this.limits = limits;
    this.layerLimits = layerLimits;
    this.extraAnalyzers = List.copyOf(extraAnalyzers);
    this.reporter = reporter;
  }

  /**
   * Builds (and keeps in this class's mapper) the readers of the layer cache's entries: a layer's facts and the results
   * of the given cached analyzers, so that reading the entries does not pay for them: run on a spare thread at the
   * scan's start. Reads nothing.
   */
  public static void warmUp(List<Class<?>> analyzerResults) {
    JSON.readerFor(LayerInventory.class);
    for (Class<?> type : analyzerResults) {
      JSON.readerFor(type);
    }
  }

  /** The image's inventory, every layer checked against its digest before this returns. */
  public ImageInventory inventory(OciArchive archive, List<ProjectArtifact> project) throws ScanException {
    Started started = start(archive, project, Runnable::run);
    started.verification().await();
    return started.inventory();
  }

  /**
   * An inventory taken while the layers served by the cache are still being checked against their digests.
   *
   * @param inventory what the image holds, from the cache's verified facts and the layers read now (those are checked)
   * @param verification the checks of the layers that were not read: the caller must {@link LayerVerification#await
   *     await} them before it reports anything about the image
   */
  public record Started(ImageInventory inventory, LayerVerification verification) {}

  /**
   * Takes the inventory as {@link #inventory} does, but hashes the layers the cache serves on {@code verifier}, so that
   * the caller's next steps (matching the database) run while they are checked; see {@link Started#verification()}.
   */
  public Started start(OciArchive archive, List<ProjectArtifact> project, Executor verifier) throws ScanException {
    return start(archive, project, verifier, startCachedChecks(cacheDirectory, limits, archive, verifier, reporter));
  }

  /** The layer cache of a scanner with these limits (its entries depend on them), if there is a cache directory. */
  private static Optional<LayerCache> layerCache(Optional<Path> cacheDirectory, JarInspector.Limits limits, Reporter reporter) {
    return cacheDirectory.map(d -> new LayerCache(d, "v" + LayerInventory.FORMAT + "-" + limits.hashCode(), reporter));
  }

  /**
   * Starts hashing, on {@code verifier}, every layer of {@code archive} that the cache of a scanner with these limits
   * has an entry for, by layer index: the largest layer's hash is a scan's longest step, so the scan starts it as soon
   * as the archive is open and passes the result to {@link #start(OciArchive, List, Executor, Map)}. Reads no entry.
   */
  public static Map<Integer, CompletableFuture<Void>> startCachedChecks(Optional<Path> cacheDirectory, JarInspector.Limits limits, OciArchive archive,
      Executor verifier, Reporter reporter) {
    Optional<LayerCache> cache = layerCache(cacheDirectory, limits, reporter);
    List<Descriptor> layers = archive.layers();
    Map<Integer, CompletableFuture<Void>> checks = new HashMap<>();
    if (cache.isPresent()) {
      for (int i = 0; i < layers.size(); i++) {
        if (Files.isRegularFile(cache.get().file(layers.get(i).digest()))) {
          checks.put(i, LayerWalk.startCheck(archive, i, verifier));
        }
      }
    }
    return checks;
  }

  /**
   * {@link #start(OciArchive, List, Executor)} with the checks {@link #startCachedChecks} started for this archive
   * (with this scanner's cache directory and limits): a layer among them is not hashed again unless it is read.
   */
  public Started start(OciArchive archive, List<ProjectArtifact> project, Executor verifier, Map<Integer, CompletableFuture<Void>> checks)
      throws ScanException {
    List<Descriptor> layers = archive.layers();
    LayerInventory[] cached = new LayerInventory[layers.size()];
    boolean[] read = new boolean[layers.size()];
    // per layer, the cached analyzers whose stored result was taken (the others analyze the layer and store theirs)
    List<Set<CachedLayerAnalyzer<?>>> served = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      String digest = layers.get(i).digest();
      cached[i] = readCache(digest);
      Map<CachedLayerAnalyzer<?>, Object> stored = new LinkedHashMap<>();
      boolean needed = cached[i] == null;
      for (LayerFileAnalyzer a : extraAnalyzers) {
        if (needed || !a.needsLayer(i)) {
          continue;
        }
        Object result = a instanceof CachedLayerAnalyzer<?> c ? readResult(c, digest) : null;
        if (result == null) {
          needed = true;
        } else {
          stored.put((CachedLayerAnalyzer<?>) a, result);
        }
      }
      read[i] = needed;
      if (!needed) {
        for (Map.Entry<CachedLayerAnalyzer<?>, Object> e : stored.entrySet()) {
          restore(e.getKey(), i, digest, e.getValue());
        }
      }
      served.add(needed ? Set.of() : stored.keySet());
    }
    InventoryAnalyzer analyzer = new InventoryAnalyzer(limits, layerLimits);
    List<LayerFileAnalyzer> analyzers = new ArrayList<>();
    analyzers.add(analyzer);
    analyzers.addAll(extraAnalyzers);
    LayerWalk walk = LayerWalk.walk(archive, analyzers, i -> read[i], layerLimits, reporter, verifier, checks);
    List<LayerInventory> perLayer = new ArrayList<>();
    int readCount = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerInventory li = cached[i];
      LayerWalk.LayerState s = walk.layer(i);
      if (read[i]) {
        readCount++;
        if (li == null) {
          InventoryAnalyzer.Collected c = analyzer.collected(i);
          li = new LayerInventory(
              s.digest(), c.packages, c.textFiles, c.ownedJars, walk.written(i), walk.whiteouts(i), walk.opaqueDirs(i), s.symlinks(), c.warnings,
              c.anonymousJars);
          writeCache(s, li);
        }
        for (LayerFileAnalyzer a : extraAnalyzers) {
          if (a instanceof CachedLayerAnalyzer<?> c && a.needsLayer(i) && !served.get(i).contains(c)) {
            writeResult(c, s, i);
          }
        }
      } else {
        walk.restoreLayer(i, li.written(), li.whiteouts(), li.opaqueDirs(), li.symlinks());
      }
      perLayer.add(li);
    }
    return new Started(merge(walk, perLayer, project, readCount), walk.verification());
  }

  private ImageInventory merge(LayerWalk walk, List<LayerInventory> perLayer, List<ProjectArtifact> project, int read) {
    List<InstalledPackage> osPackages = new ArrayList<>();
    List<InstalledPackage> jars = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> owned = new HashSet<>();
    Map<String, String> text = new HashMap<>();
    Map<String, Integer> textLayer = new HashMap<>();
    for (int i = 0; i < perLayer.size(); i++) {
      LayerInventory li = perLayer.get(i);
      warnings.addAll(li.warnings());
      for (Map.Entry<String, String> e : li.textFiles().entrySet()) {
        if (walk.visible(i, e.getKey())) {
          text.put(e.getKey(), e.getValue());
          textLayer.put(e.getKey(), i);
        }
      }
      for (String jar : li.ownedJars()) {
        owned.add(jar);
      }
      for (InstalledPackage p : li.packages()) {
        if (!walk.visible(i, p.outerPath())) {
          continue;
        }
        if (p.osPackage()) {
          osPackages.add(p);
        } else {
          jars.add(p);
        }
      }
    }
    // jars owned by a dpkg package are covered by OS advisories only
    jars.removeIf(p -> owned.contains(p.outerPath()));
    ResolvedArtifacts resolved = new ResolvedArtifacts(project, () -> FileSha1Cache.open(cacheDirectory, reporter), warnings::add);
    List<String> unidentified = nameAnonymousJars(walk, perLayer, resolved, owned, jars, warnings);
    resolved.save(reporter);
    OperatingSystem os = identify(walk, text);
    List<String> unscanned = new ArrayList<>();
    List<InstalledPackage> all = new ArrayList<>();
    Map<String, Integer> countByDatabase = new LinkedHashMap<>();
    for (InstalledPackage p : osPackages) {
      countByDatabase.merge(databaseOf(p), 1, Integer::sum);
      String format = InstalledPackage.ALPINE.equals(p.ecosystem()) ? "apk" : "dpkg";
      // a dpkg package of an Ubuntu image is an Ubuntu package
      all.add(format.equals(os.packageFormat()) && os.family() != null ? p.inEcosystem(os.family()) : p);
    }
    for (Map.Entry<String, Integer> db : countByDatabase.entrySet()) {
      String format = db.getKey().startsWith("lib/apk") ? "apk" : "dpkg";
      if (os.ecosystem() != null && format.equals(os.packageFormat())) {
        continue;
      }
      unscanned.add(db.getKey() + " (" + db.getValue() + " " + format + " packages) of " + os.label() + ": " + whyNot(os, format));
    }
    for (String rpm : visibleRpmDatabases(walk, perLayer)) {
      unscanned.add(rpm + " (an rpm database) of " + os.label() + ": rpm packages are not read, so none of them is checked");
    }
    if (os.id() != null && os.ecosystem() == null && countByDatabase.isEmpty() && unscanned.isEmpty()) {
      unscanned.add("the operating system " + os.label() + " (os-release): " + whyNot(os, null));
    }
    all.addAll(jars);
    return new ImageInventory(os.id(), os.release(), os.version(), all, warnings, read, os.ecosystem(), unscanned, unidentified);
  }

  /**
   * Names the jars that do not name themselves: the project's resolved artifact that is the same file (name, size,
   * SHA-1) gives the exact GAV and replaces any MANIFEST guess; without one the guess stays (marked as such), and a
   * jar with neither is returned as unidentified.
   */
  private static List<String> nameAnonymousJars(LayerWalk walk, List<LayerInventory> perLayer, ResolvedArtifacts resolved, Set<String> owned,
      List<InstalledPackage> jars, List<String> warnings) {
    List<String> unidentified = new ArrayList<>();
    for (int i = 0; i < perLayer.size(); i++) {
      LayerInventory li = perLayer.get(i);
      for (AnonymousJar jar : li.anonymousJars()) {
        if (!walk.visible(i, jar.outerPath()) || owned.contains(jar.outerPath())) {
          continue;
        }
        Optional<ProjectArtifact> same = resolved.sameFile(jar);
        if (same.isPresent()) {
          ProjectArtifact a = same.get();
          String name = a.groupId() + ":" + a.artifactId();
          jars.removeIf(p -> p.path().equals(jar.path()) && p.guessed());
          if (jars.stream().noneMatch(p -> p.path().equals(jar.path()) && p.name().equals(name) && p.version().equals(a.version()))) {
            jars.add(new InstalledPackage(InstalledPackage.MAVEN, name, a.version(), name, a.version(), jar.path(), li.digest(), "project"));
          }
          continue;
        }
        resolved.sameName(jar).ifPresent(a -> warnings.add(jar.path() + ": has the name of the project's resolved " + a.gav()
            + " but not its bytes (size " + jar.size() + ", SHA-1 " + jar.sha1() + "); not taken for it"));
        boolean guessed = jars.stream().anyMatch(p -> p.path().equals(jar.path()) && p.guessed());
        if (guessed) {
          warnings.add(jar.path() + ": no pom.properties and no resolved artifact of the project is this file; identified by a guess from its MANIFEST.MF");
        } else if (jars.stream().noneMatch(p -> p.path().equals(jar.path()))) {
          unidentified.add(jar.path());
          warnings.add(jar.path() + ": a jar without Maven metadata that is not a resolved artifact of the project; not identified, its advisories cannot be matched");
        }
      }
    }
    return unidentified;
  }

  /** The OS from the release files the final image holds ({@code /etc/os-release} resolved across symlinks, as distroless links it). */
  private static OperatingSystem identify(LayerWalk walk, Map<String, String> text) {
    String osReleasePath = walk.resolve(OperatingSystem.OS_RELEASE);
    String osRelease = osReleasePath == null ? null : text.get(osReleasePath);
    if (osRelease == null) {
      osRelease = text.get(OperatingSystem.USR_OS_RELEASE);
    }
    return OperatingSystem.identify(osRelease, text.get(OperatingSystem.DEBIAN_VERSION), text.get(OperatingSystem.ALPINE_RELEASE));
  }

  /** The database file (or, for distroless, directory) a package was read from. */
  private static String databaseOf(InstalledPackage p) {
    String path = p.path();
    return path.startsWith("var/lib/dpkg/status.d/") ? "var/lib/dpkg/status.d/" : path;
  }

  private static String whyNot(OperatingSystem os, String format) {
    if (os.id() == null) {
      return "no os-release names the distribution, so no advisories apply";
    }
    if (os.packageFormat() == null) {
      return "the scan has no advisories for " + os.id() + (format == null ? "" : " " + format + " packages");
    }
    if (format != null && !format.equals(os.packageFormat())) {
      return os.id() + " packages are " + os.packageFormat() + " packages, not " + format;
    }
    return "no release is stated (os-release VERSION_ID" + ("alpine".equals(os.id()) ? ", /etc/alpine-release" : ", /etc/debian_version")
        + "), so no advisories apply";
  }

  /** rpm databases (Berkeley DB, NDB, sqlite) in the final image. */
  static final List<String> RPM_DATABASES = List.of("var/lib/rpm/Packages", "var/lib/rpm/Packages.db", "var/lib/rpm/rpmdb.sqlite",
      "usr/lib/sysimage/rpm/Packages", "usr/lib/sysimage/rpm/Packages.db", "usr/lib/sysimage/rpm/rpmdb.sqlite");

  private static List<String> visibleRpmDatabases(LayerWalk walk, List<LayerInventory> perLayer) {
    List<String> found = new ArrayList<>();
    for (String db : RPM_DATABASES) {
      for (int i = perLayer.size() - 1; i >= 0; i--) {
        if (perLayer.get(i).written().contains(db)) {
          if (walk.visible(i, db)) {
            found.add(db);
          }
          break;
        }
      }
    }
    return found;
  }

  private LayerInventory readCache(String digest) {
    Optional<byte[]> entry = cache.flatMap(c -> c.read(digest));
    if (entry.isEmpty()) {
      return null;
    }
    Path f = cache.get().file(digest);
    try {
      LayerInventory li = JSON.readValue(entry.get(), LayerInventory.class);
      if (!digest.equals(li.digest()) || !complete(li)) {
        reporter.warn("Ignoring the layer cache entry " + f + ": it is incomplete or belongs to another layer; the layer is read again.");
        return null;
      }
      return li;
    } catch (IOException | RuntimeException e) {
      reporter.warn("Ignoring the unreadable layer cache entry " + f + " (" + e.getMessage() + "); the layer is read again.");
      return null;
    }
  }

  /** Whether an entry read back has every part (an entry cut short or written by hand may parse yet lack some). */
  private static boolean complete(LayerInventory li) {
    return li.packages() != null && !li.packages().contains(null) && li.packages().stream().allMatch(p -> p.ecosystem() != null && p.name() != null
            && p.version() != null && p.path() != null)
        && li.textFiles() != null && li.ownedJars() != null && li.written() != null && li.whiteouts() != null
        && li.opaqueDirs() != null && li.symlinks() != null && li.warnings() != null && li.anonymousJars() != null;
  }

  /** Caches a layer's facts; {@link LayerCache#write} refuses a layer whose bytes were not verified. */
  private void writeCache(LayerWalk.LayerState layer, LayerInventory li) {
    if (cache.isEmpty()) {
      return;
    }
    try {
      cache.get().write(layer, JSON.writeValueAsBytes(li));
    } catch (IOException e) {
      reporter.warn("Cannot serialize the layer cache entry of " + li.digest() + " (" + e.getMessage() + "); scanning goes on without it.");
    }
  }
  /** The cache of an analyzer's per-layer results, if there is a cache directory and the analyzer names its variant. */
  private Optional<LayerCache> cacheOf(CachedLayerAnalyzer<?> a) {
    String variant = a.cacheVariant();
    return variant == null ? Optional.empty() : cacheDirectory.map(d -> new LayerCache(d, variant, reporter));
  }

  /** An analyzer's stored, complete result for a layer; null when there is none or it is unusable (the layer is then read). */
  private <R> R readResult(CachedLayerAnalyzer<R> a, String digest) {
    Optional<LayerCache> c = cacheOf(a);
    Optional<byte[]> entry = c.flatMap(lc -> lc.read(digest));
    if (entry.isEmpty()) {
      return null;
    }
    try {
      R result = JSON.readValue(entry.get(), a.resultType());
      if (result != null && a.complete(result, digest)) {
        return result;
      }
      reporter.warn("Ignoring the layer cache entry " + c.get().file(digest) + ": it is incomplete or belongs to another layer; the layer is read again.");
    } catch (IOException | RuntimeException e) {
      reporter.warn("Ignoring the unreadable layer cache entry " + c.get().file(digest) + " (" + e.getMessage() + "); the layer is read again.");
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <R> void restore(CachedLayerAnalyzer<R> a, int index, String digest, Object result) {
    a.restore(index, digest, (R) result);
  }

  private void writeResult(CachedLayerAnalyzer<?> a, LayerWalk.LayerState layer, int index) {
    Optional<LayerCache> c = cacheOf(a);
    if (c.isEmpty()) {
      return;
    }
    try {
      c.get().write(layer, JSON.writeValueAsBytes(a.layerResult(index, layer.digest())));
    } catch (IOException e) {
      reporter.warn("Cannot serialize the layer cache entry of " + layer.digest() + " (" + e.getMessage() + "); scanning goes on without it.");
    }
  }
}
