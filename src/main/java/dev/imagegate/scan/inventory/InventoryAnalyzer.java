package dev.imagegate.scan.inventory;

import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.scan.layer.LayerLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inventory's plug-in of the layer walk: dpkg status files and md5sums, apk's installed database, OS release
 * files, jars. Collects, per
 * layer, the facts of a {@link LayerInventory}.
 */
public final class InventoryAnalyzer implements LayerFileAnalyzer {
  private static final Set<String> OS_FILES = Set.of(
      OperatingSystem.DEBIAN_VERSION, OperatingSystem.ALPINE_RELEASE, OperatingSystem.OS_RELEASE, OperatingSystem.USR_OS_RELEASE);

  /** Collected facts of one layer (paths and symlinks come from the walk). */
  static final class Collected {
    final List<InstalledPackage> packages = new ArrayList<>();
    final Map<String, String> textFiles = new HashMap<>();
    final Set<String> ownedJars = new LinkedHashSet<>();
    final List<String> warnings = new ArrayList<>();
    final List<AnonymousJar> anonymousJars = new ArrayList<>();
  }

  private final Map<Integer, Collected> byLayer = new HashMap<>();
  private final JarInspector.Limits limits;
  private final LayerLimits layerLimits;

  public InventoryAnalyzer(JarInspector.Limits limits, LayerLimits layerLimits) {
    this.limits = limits;
    this.layerLimits = layerLimits;
  }

  Collected collected(int layer) {
    return byLayer.computeIfAbsent(layer, k -> new Collected());
  }

  @Override
  public boolean accepts(String path, long size) {
    return OS_FILES.contains(path)
        || path.equals("var/lib/dpkg/status")
        || path.equals(ApkDatabase.PATH)
        || path.startsWith("var/lib/dpkg/status.d/")
        || (path.startsWith("var/lib/dpkg/info/") && path.endsWith(".md5sums"))
        || JarInspector.isArchive(path);
  }

  @Override
  public void analyze(LayerFile file, InputStream content) throws IOException {
    Collected c = collected(file.layerIndex());
    String path = file.path();
    if (OS_FILES.contains(path)) {
      c.textFiles.put(path, new String(content.readNBytes(8192), StandardCharsets.UTF_8));
    } else if (path.endsWith(".md5sums")) {
      for (String line : readText(file, content).split("\n")) {
        int sep = line.indexOf("  ");
        String owned = sep < 0 ? line.trim() : line.substring(sep + 2).trim();
        if (JarInspector.isArchive(owned)) {
          c.ownedJars.add(owned.startsWith("/") ? owned.substring(1) : owned);
        }
      }
    } else if (path.startsWith("var/lib/dpkg/")) {
      parseStatus(path, file.layerDigest(), readText(file, content), c);
    } else if (path.equals(ApkDatabase.PATH)) {
      c.packages.addAll(ApkDatabase.parse(path, file.layerDigest(), readText(file, content), c.warnings::add));
    } else {
      JarInspector inspector = new JarInspector(limits, w -> c.warnings.add(w));
      JarInspector.Inspection inspection = inspector.inspect(path, content, file.size());
      for (JarInspector.Found f : inspection.packages()) {
        String name = f.groupId() + ":" + f.artifactId();
        c.packages.add(new InstalledPackage(InstalledPackage.MAVEN, name, f.version(), name, f.version(), f.path(), file.layerDigest(), f.identifiedBy()));
      }
      c.anonymousJars.addAll(inspection.anonymous());
    }
  }

  /** A dpkg file, read whole once its size is known to be within the metadata limit (else the scan fails). */
  private String readText(LayerFile file, InputStream in) throws IOException {
    return new String(layerLimits.readMetadata(file, in), StandardCharsets.UTF_8);
  }

  static void parseStatus(String path, String layer, String text, Collected c) {
    List<Map<String, String>> stanzas = Deb822.parse(text, w -> c.warnings.add(path + ": " + w));
    for (Map<String, String> s : stanzas) {
      String pkg = s.get("package");
      String version = s.get("version");
      if (pkg == null || version == null || pkg.isBlank() || version.isBlank()) {
        c.warnings.add(path + ": a stanza without Package or Version; skipped");
        continue;
      }
      String status = s.get("status");
      if (status != null && !status.trim().endsWith(" installed")) {
        continue; // e.g. "deinstall ok config-files": not installed
      }
      String srcName = pkg;
      String srcVersion = version;
      String source = s.get("source");
      if (source != null && !source.isBlank()) {
        String src = source.trim();
        int paren = src.indexOf('(');
        if (paren > 0 && src.endsWith(")")) {
          srcName = src.substring(0, paren).trim();
          srcVersion = src.substring(paren + 1, src.length() - 1).trim();
        } else {
          srcName = src;
        }
      }
      c.packages.add(new InstalledPackage(InstalledPackage.DEBIAN, pkg.trim(), version.trim(), srcName, srcVersion, path, layer, "dpkg"));
    }
  }
}
