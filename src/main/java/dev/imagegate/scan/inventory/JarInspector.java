package dev.imagegate.scan.inventory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.jar.Manifest;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Identifies the Maven packages inside a jar/war as Trivy does: every {@code META-INF/maven/**}{@code /pom.properties};
 * the jar's own identity is the one whose artifactId and version match the file name. A jar (nested or not) without
 * one is reported as an {@link AnonymousJar} (size and SHA-1), for the project's resolved artifacts to name, and its
 * MANIFEST.MF main section gives a guess ({@code identifiedBy} {@value #MANIFEST_GUESS}) to fall back on. Nested jars
 * ({@code BOOT-INF/lib}, {@code WEB-INF/lib}, fat jars) are read recursively, in memory.
 *
 * <p>Bounded: nesting depth, entries per archive, bytes of a nested jar and of a metadata file. An entry that
 * escapes the archive ({@code ..}, absolute) or a nested archive over the limits is reported, never followed.
 */
public final class JarInspector {
  /** Limits of one inspection. */
  public record Limits(int maxDepth, int maxEntries, long maxNestedBytes, long maxJarBytes) {
    public static final Limits DEFAULT = new Limits(4, 200_000, 64L << 20, 128L << 20);

    /**
     * The value the record's generated hashCode has always given (it names the layer cache's variant, so existing
     * entries stay valid), written out: the generated one bootstraps method handles on its first call, a cost each
     * fresh mvn paid on the scan's path.
     */
    @Override
    public int hashCode() {
      return ((Integer.hashCode(maxDepth) * 31 + Integer.hashCode(maxEntries)) * 31 + Long.hashCode(maxNestedBytes)) * 31 + Long.hashCode(maxJarBytes);
    }
  }

  /** How a package guessed from a jar's MANIFEST.MF is identified: the last resort, marked as a guess in the reports. */
  public static final String MANIFEST_GUESS = "MANIFEST.MF";

  /** A package found in a jar. */
  public record Found(String groupId, String artifactId, String version, String path, String identifiedBy) {}

  /**
   * What one jar holds: the packages its metadata names, and the archives (itself, nested ones) that do not name
   * themselves.
   */
  public record Inspection(List<Found> packages, List<AnonymousJar> anonymous) {}

  private final Limits limits;
  private final Consumer<String> warnings;

  public JarInspector(Limits limits, Consumer<String> warnings) {
    this.limits = limits;
    this.warnings = warnings;
  }

  public static boolean isArchive(String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    return p.endsWith(".jar") || p.endsWith(".war") || p.endsWith(".ear");
  }

  /** Inspects a jar read from a stream of {@code size} bytes. */
  public Inspection inspect(String path, InputStream content, long size) throws IOException {
    if (size > limits.maxJarBytes()) {
      warnings.accept(path + ": " + size + " bytes is over the jar size limit; not inspected");
      return new Inspection(List.of(), List.of());
    }
    byte[] bytes = content.readNBytes((int) size);
    List<Found> out = new ArrayList<>();
    List<AnonymousJar> anonymous = new ArrayList<>();
    inspect(path, bytes, 0, out, anonymous, new Budget());
    return new Inspection(out, anonymous);
  }

  /**
   * What all the archives nested in one top-level jar may cost together: a wide bomb (a jar of 64 jars of 64 jars
   * of 64 jars…) stays within the depth and per-entry limits but would multiply the work; past the budget the rest
   * is reported once and not read.
   */
  private final class Budget {
    int archives;
    long bytes;
    boolean reported;

    boolean allow(String where, long size) {
      if (archives + 1 > MAX_NESTED_ARCHIVES || bytes + Math.max(0, size) > 2 * limits.maxJarBytes()) {
        if (!reported) {
          warnings.accept(where + ": more than " + MAX_NESTED_ARCHIVES + " nested archives or " + (2 * limits.maxJarBytes())
              + " nested bytes in one jar; the rest is not inspected (zip bomb?)");
          reported = true;
        }
        return false;
      }
      archives++;
      bytes += Math.max(0, size);
      return true;
    }
  }

  /** Nested archives read per top-level jar (a Spring Boot fat jar holds a few hundred). */
  static final int MAX_NESTED_ARCHIVES = 10_000;

  private void inspect(String path, byte[] bytes, int depth, List<Found> out, List<AnonymousJar> anonymous, Budget budget) {
    boolean named = false;
    try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(bytes)).get()) {
      List<Properties> poms = new ArrayList<>();
      Manifest manifest = null;
      List<ZipArchiveEntry> nested = new ArrayList<>();
      int count = 0;
      for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
        ZipArchiveEntry entry = e.nextElement();
        if (++count > limits.maxEntries()) {
          warnings.accept(path + ": more than " + limits.maxEntries() + " entries; the rest is not inspected (zip bomb?)");
          break;
        }
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        boolean unsafe = name.startsWith("/") || name.contains("\\") || ("/" + name + "/").contains("/../");
        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          byte[] data = readBounded(zip, entry, 1 << 20, path);
          if (data != null) {
            Properties p = new Properties();
            p.load(new ByteArrayInputStream(data));
            poms.add(p);
          }
        } else if (name.equals("META-INF/MANIFEST.MF")) {
          byte[] data = readBounded(zip, entry, 1 << 20, path);
          if (data != null) {
            manifest = new Manifest(new ByteArrayInputStream(data));
          }
        } else if (isArchive(name)) {
          if (unsafe) {
            warnings.accept(path + ": nested entry '" + name + "' escapes the archive (zip slip); not followed");
          } else {
            nested.add(entry);
          }
        }
      }
      named = identify(path, poms, manifest, out);
      for (ZipArchiveEntry entry : nested) {
        String childPath = path + "!" + entry.getName();
        if (depth + 1 >= limits.maxDepth()) {
          warnings.accept(childPath + ": nested deeper than " + limits.maxDepth() + " archives; not followed");
          continue;
        }
        if (!budget.allow(childPath, entry.getSize())) {
          break;
        }
        byte[] child = readBounded(zip, entry, limits.maxNestedBytes(), childPath);
        if (child != null) {
          budget.bytes += child.length - Math.max(0, entry.getSize());
          inspect(childPath, child, depth + 1, out, anonymous, budget);
        }
      }
    } catch (IOException | RuntimeException e) {
      warnings.accept(path + ": not a readable jar (" + e.getMessage() + "); skipped");
    }
    if (!named) {
      // the SHA-1 only for the jars that need it: a jar naming itself is not hashed
      anonymous.add(new AnonymousJar(path, bytes.length, JarDigest.of(bytes)));
    }
  }

  /** Adds what the metadata names; whether the jar named itself (its own pom.properties). */
  private boolean identify(String path, List<Properties> poms, Manifest manifest, List<Found> out) {
    String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!')) + 1);
    boolean ownFound = false;
    Map<String, Found> unique = new LinkedHashMap<>();
    for (Properties p : poms) {
      String g = trim(p.getProperty("groupId"));
      String a = trim(p.getProperty("artifactId"));
      String v = trim(p.getProperty("version"));
      if (g == null || a == null || v == null) {
        continue;
      }
      unique.putIfAbsent(g + ":" + a + ":" + v, new Found(g, a, v, path, "pom.properties"));
      if (file.startsWith(a + "-" + v)) {
        ownFound = true;
      }
    }
    out.addAll(unique.values());
    if (!ownFound && manifest != null) {
      var main = manifest.getMainAttributes();
      String g = firstOf(main.getValue("Implementation-Vendor-Id"), main.getValue("Bundle-SymbolicName"), main.getValue("Automatic-Module-Name"));
      String a = firstOf(main.getValue("Implementation-Title"), main.getValue("Specification-Title"));
      String v = firstOf(main.getValue("Implementation-Version"), main.getValue("Specification-Version"), main.getValue("Bundle-Version"));
      if (g != null && a != null && v != null && !g.contains(" ") && !a.contains(" ")) {
        if (unique.values().stream().noneMatch(f -> f.artifactId().equals(a) && f.version().equals(v))) {
          out.add(new Found(g, a, v, path, MANIFEST_GUESS));
        }
      }
    }
    return ownFound;
  }

  private byte[] readBounded(ZipFile zip, ZipArchiveEntry entry, long max, String where) throws IOException {
    if (entry.getSize() > max) {
      warnings.accept(where + ": entry " + entry.getName() + " is " + entry.getSize() + " bytes, over the limit; not read");
      return null;
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] data = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (data.length > max) {
        warnings.accept(where + ": entry " + entry.getName() + " inflates past " + max + " bytes (zip bomb?); not read");
        return null;
      }
      return data;
    }
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      String t = trim(v);
      if (t != null) {
        int semi = t.indexOf(';');
        return semi > 0 ? t.substring(0, semi).trim() : t;
      }
    }
    return null;
  }

  static List<Found> none() {
    return Collections.emptyList();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
