package dev.imagegate.scan.inventory;

import dev.imagegate.AtomicWrite;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import dev.imagegate.image.Descriptor;
import dev.imagegate.image.OciArchive;
import dev.imagegate.scan.ScanException;
import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.scan.layer.LayerWalk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Inventories an OCI archive: streams the layers once (or takes a layer's facts from the per-layer cache, keyed by
 * layer digest), then merges the layers as the runtime would.
 *
 * <p>The cache holds one JSON file per layer digest, written to a temp file and atomically moved into place: builds
 * running in parallel may both write the same entry (same content), a crash leaves at worst a stray temp file, and an
 * unreadable entry is ignored and rewritten. A layer an extra analyzer {@link LayerFileAnalyzer#needsLayer needs} is read.
 */
public final class InventoryScanner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> cacheDirectory;
  private final JarInspector.Limits limits;
  private final List<LayerFileAnalyzer> extraAnalyzers;
  private final Reporter reporter;

  public InventoryScanner(Optional<Path> cacheDirectory, JarInspector.Limits limits, List<LayerFileAnalyzer> extraAnalyzers, Reporter reporter) {
    this.cacheDirectory = cacheDirectory;
    this.limits = limits;
    this.extraAnalyzers = List.copyOf(extraAnalyzers);
    this.reporter = reporter;
  }

  public ImageInventory inventory(OciArchive archive, List<ProjectArtifact> project) throws ScanException {
    List<Descriptor> layers = archive.layers();
    LayerInventory[] cached = new LayerInventory[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      int index = i;
      if (extraAnalyzers.stream().noneMatch(a -> a.needsLayer(index))) {
        cached[i] = readCache(layers.get(i).digest());
      }
    }
    InventoryAnalyzer analyzer = new InventoryAnalyzer(limits);
    List<LayerFileAnalyzer> analyzers = new ArrayList<>();
    analyzers.add(analyzer);
    analyzers.addAll(extraAnalyzers);
    LayerWalk walk = LayerWalk.walk(archive, analyzers, i -> cached[i] == null, reporter);
    List<LayerInventory> perLayer = new ArrayList<>();
    int read = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerInventory li = cached[i];
      if (li == null) {
        read++;
        InventoryAnalyzer.Collected c = analyzer.collected(i);
        LayerWalk.LayerState s = walk.layer(i);
        li = new LayerInventory(
            s.digest(), c.packages, c.textFiles, c.ownedJars, walk.written(i), walk.whiteouts(i), walk.opaqueDirs(i), s.symlinks(), c.warnings,
            c.anonymousJars);
        writeCache(li);
      } else {
        walk.restoreLayer(i, li.written(), li.whiteouts(), li.opaqueDirs(), li.symlinks());
      }
      perLayer.add(li);
    }
    return merge(walk, perLayer, project, read);
  }

  private ImageInventory merge(LayerWalk walk, List<LayerInventory> perLayer, List<ProjectArtifact> project, int read) {
    List<InstalledPackage> debs = new ArrayList<>();
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
        if (InstalledPackage.DEBIAN.equals(p.ecosystem())) {
          debs.add(p);
        } else {
          jars.add(p);
        }
      }
    }
    // jars owned by a dpkg package are covered by OS advisories only
    jars.removeIf(p -> owned.contains(p.outerPath()));
    List<String> unidentified = nameAnonymousJars(walk, perLayer, project, owned, jars, warnings);
    String osId = null;
    String release = null;
    String osVersion = null;
    String osRelease = walk.resolve("etc/os-release");
    String osText = osRelease == null ? null : text.get(osRelease);
    if (osText == null) {
      osText = text.get("usr/lib/os-release");
    }
    Map<String, String> os = parseOsRelease(osText);
    String debianVersion = text.get("etc/debian_version");
    if (debianVersion != null || "debian".equals(os.get("ID"))) {
      osId = "debian";
      String first = debianVersion == null ? "" : debianVersion.lines().findFirst().orElse("").trim();
      if (!first.isEmpty() && Character.isDigit(first.charAt(0))) {
        osVersion = first;
        release = first.split("\\.")[0];
      } else if (os.get("VERSION_ID") != null) {
        osVersion = os.get("VERSION_ID");
        release = osVersion.split("\\.")[0];
      }
    }
    List<InstalledPackage> all = new ArrayList<>(debs);
    all.addAll(jars);
    return new ImageInventory(osId, release, osVersion, all, warnings, read, unidentified);
  }

  /**
   * Names the jars that do not name themselves: the project's resolved artifact that is the same file (name, size,
   * SHA-1) gives the exact GAV and replaces any MANIFEST guess; without one the guess stays (marked as such), and a
   * jar with neither is returned as unidentified.
   */
  private static List<String> nameAnonymousJars(LayerWalk walk, List<LayerInventory> perLayer, List<ProjectArtifact> project, Set<String> owned,
      List<InstalledPackage> jars, List<String> warnings) {
    ResolvedArtifacts resolved = new ResolvedArtifacts(project, warnings::add);
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

  static Map<String, String> parseOsRelease(String text) {
    Map<String, String> out = new HashMap<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        String v = line.substring(eq + 1).trim();
        if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        out.put(line.substring(0, eq).trim(), v);
      }
    }
    return out;
  }

  private Path cacheFile(String digest) {
    return cacheDirectory.get().resolve("v" + LayerInventory.FORMAT + "-" + limits.hashCode() + "-" + digest.replace(':', '-') + ".json");
  }

  private LayerInventory readCache(String digest) {
    if (cacheDirectory.isEmpty()) {
      return null;
    }
    Path f = cacheFile(digest);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      LayerInventory li = JSON.readValue(f.toFile(), LayerInventory.class);
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

  private void writeCache(LayerInventory li) {
    if (cacheDirectory.isEmpty()) {
      return;
    }
    try {
      AtomicWrite.replace(cacheFile(li.digest()), JSON.writeValueAsBytes(li));
    } catch (IOException e) {
      reporter.warn("Cannot write the layer cache in " + cacheDirectory.get() + " (" + e.getMessage() + "); scanning goes on without it.");
    }
  }
}
