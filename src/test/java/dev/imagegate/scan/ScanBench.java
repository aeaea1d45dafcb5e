package dev.imagegate.scan;

import dev.imagegate.Reporter;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.osv.Matcher;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.OsvImporter;
import dev.imagegate.scan.osv.OsvIndex;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.scan.secret.SecretAllowList;
import dev.imagegate.scan.secret.SecretsMode;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The scan benchmark (driven by scripts/bench/scan). Modes:
 * {@code generate <dir> <records>}: OSV zips (Debian + Maven, real OSV shape) of {@code records} records and a 10 %
 * subset, and the {@link SyntheticImage.Shape#SCAN_BENCH} image (600 dpkg packages + 400 jars + a fat jar with 100 nested
 * jars); {@code database <dir> <records>}: the OSV zips only (scripts/bench/scale);
 * {@code import <dir>}: imports both databases; {@code scan <dir>}: floor, warm scan, heap, lookup cost at both sizes;
 * {@code rescan <target/imagegate>}: re-scan of a built image after an app-only change, with the layer cache;
 * {@code warm <dir>}: the scan as the goal runs it (layer cache on, secrets of the application layers, digests verified)
 * in a fresh JVM: one scan that fills an empty layer cache, then the first and the best of 3 warm scans.
 */
public final class ScanBench {
  static final int NAMES_PER_10_PERCENT = 2000; // per ecosystem; 5 records per package name on average

  private ScanBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "generate" -> generate(dir, Integer.parseInt(args[2]));
      case "database" -> database(dir, Integer.parseInt(args[2]));
      case "import" -> importDbs(dir);
      case "scan" -> scan(dir);
      case "rescan" -> rescan(dir, Path.of(args[2]), args.length > 3 ? args[3] : "example");
      case "warm" -> warm(dir);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static String debName(int i) {
    return "libgen" + i;
  }

  static String mvnName(int i) {
    return "org.gen.g" + (i % 97) + ":artifact" + i;
  }

  // ---------------------------------------------------------------- generate

  static void generate(Path dir, int records) throws Exception {
    long t0 = System.nanoTime();
    database(dir, records);
    SyntheticImage.Shape shape = SyntheticImage.Shape.SCAN_BENCH;
    SyntheticImage.Written image = SyntheticImage.write(dir.resolve("image"), shape, new Random(42));
    System.out.printf(Locale.ROOT, "generated: %,d OSV records (+ %,d subset), image %.1f MB in %d layers, %d dpkg + %d maven packages, %.1f s%n",
        records, records / 10, image.archiveBytes() / 1e6, image.layers().size(), shape.dpkg(), shape.packages() - shape.dpkg(),
        (System.nanoTime() - t0) / 1e9);
  }

  /** The OSV zips: {@code osv-full} of {@code records} records and {@code osv-10pct}, half Debian, half Maven. */
  static void database(Path dir, int records) throws Exception {
    int names = NAMES_PER_10_PERCENT * 10;
    for (int[] size : new int[][] {{records, 0}, {records / 10, 1}}) {
      Path osv = dir.resolve(size[1] == 0 ? "osv-full" : "osv-10pct");
      int n = size[0] / 2;
      int nNames = size[1] == 0 ? names : names / 10;
      writeZip(osv.resolve("Debian/all.zip"), n, i -> debianRecord(i, i % nNames));
      writeZip(osv.resolve("Maven/all.zip"), n, i -> mavenRecord(i, i % nNames));
    }
  }

  interface Rec {
    String json(int i);
  }

  private static void writeZip(Path zip, int n, Rec rec) throws Exception {
    Files.createDirectories(zip.getParent());
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < n; i++) {
        String json = rec.json(i);
        String id = json.substring(7, json.indexOf('"', 7));
        z.putNextEntry(new ZipEntry(id + ".json"));
        z.write(json.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static final String[] URGENCY = {"low", "medium", "high", "not yet assigned", "unimportant"};

  static String debianRecord(int i, int name) {
    String cve = "CVE-" + (2015 + i % 11) + "-" + (10000 + i);
    String fixed = i % 6 == 0 ? null : "1." + (i % 5) + "-" + (1 + i % 3) + "+deb12u" + (1 + i % 4);
    String release = i % 4 == 0 ? "11" : "12";
    return "{\"id\":\"DEBIAN-" + cve + "\",\"modified\":\"2025-01-0" + (1 + i % 9) + "T00:00:00Z\",\"published\":\"2024-06-01T00:00:00Z\","
        + "\"upstream\":[\"" + cve + "\"],\"summary\":\"\",\"details\":\"A flaw was found in " + debName(name)
        + ". A remote attacker could send crafted input causing an out-of-bounds read, leading to a denial of service.\","
        + "\"affected\":[{\"package\":{\"ecosystem\":\"Debian:" + release + "\",\"name\":\"" + debName(name) + "\",\"purl\":\"pkg:deb/debian/"
        + debName(name) + "?arch=source\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}"
        + (fixed == null ? "" : ",{\"fixed\":\"" + fixed + "\"}") + "]}],\"versions\":[\"1.0-1\",\"1.1-1\"],"
        + "\"ecosystem_specific\":{\"urgency\":\"" + URGENCY[i % URGENCY.length] + "\"},\"database_specific\":{\"source\":"
        + "\"https://storage.googleapis.com/cve-osv-conversion/osv-output/DEBIAN-" + cve + ".json\"}}],"
        + "\"schema_version\":\"1.6.0\",\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://security-tracker.debian.org/tracker/" + cve + "\"}]}";
  }

  static String mavenRecord(int i, int name) {
    String cve = "CVE-" + (2015 + i % 11) + "-" + (50000 + i);
    String ghsa = String.format(Locale.ROOT, "GHSA-%04x-%04x-%04x", i & 0xffff, (i >> 16) + 0x100, (i * 13) & 0xffff).replace('0', 'q');
    int major = i % 3;
    String[] sev = {"LOW", "MODERATE", "HIGH", "CRITICAL"};
    return "{\"id\":\"" + ghsa + "\",\"summary\":\"Deserialization of untrusted data in " + mvnName(name) + "\",\"details\":\"Versions before the fix"
        + " allow remote code execution through a crafted payload.\",\"aliases\":[\"" + cve + "\"],\"modified\":\"2025-02-01T00:00:00Z\","
        + "\"published\":\"2024-01-01T00:00:00Z\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:" + (i % 2 == 0 ? "L" : "H")
        + "/PR:N/UI:N/S:U/C:H/I:H/A:" + (i % 3 == 0 ? "N" : "H") + "\"}],\"affected\":[{\"package\":{\"ecosystem\":\"Maven\",\"name\":\""
        + mvnName(name) + "\",\"purl\":\"pkg:maven/" + mvnName(name).replace(':', '/') + "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":["
        + "{\"introduced\":\"" + major + ".0\"},{\"fixed\":\"" + major + "." + (1 + i % 9) + "." + (i % 4) + "\"}]}],"
        + "\"database_specific\":{\"last_known_affected_version_range\":\"< " + major + "." + (1 + i % 9) + "\"}}],"
        + "\"schema_version\":\"1.6.0\",\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://nvd.nist.gov/vuln/detail/" + cve + "\"}],"
        + "\"database_specific\":{\"cwe_ids\":[\"CWE-502\"],\"severity\":\"" + sev[i % 4] + "\",\"github_reviewed\":true}}";
  }

  // ---------------------------------------------------------------- import

  static OsvDatabase.Config config(Path dir, String which, boolean offline) {
    return new OsvDatabase.Config(dir.resolve("cache-" + which), dir.resolve("osv-" + which).toString(), List.of("Debian", "Maven"),
        Duration.ofDays(3650), offline);
  }

  static void importDbs(Path dir) throws Exception {
    for (String which : List.of("10pct", "full")) {
      long t0 = System.nanoTime();
      try (OsvIndex index = new OsvDatabase(config(dir, which, false), Reporter.SILENT, Clock.systemUTC()).open()) {
        System.out.printf(Locale.ROOT, "import (%s): %.2f s, %,d index keys%n", which.equals("full") ? "full db" : "10% db",
            (System.nanoTime() - t0) / 1e9, index.keyCount());
      }
    }
  }

  // ---------------------------------------------------------------- scan

  static ScanRequest request(Path out, OsvDatabase.Config db, Optional<Path> layerCache) {
    return new ScanRequest(out, db, Set.of(Severity.HIGH, Severity.CRITICAL), true, List.of(), SeveritySource.VENDOR, layerCache, List.of(),
        List.of(), JarInspector.Limits.DEFAULT, "bench");
  }

  static double javaFloor(Path tar) throws Exception {
    long t0 = System.nanoTime();
    byte[] buf = new byte[1 << 16];
    try (OciArchive a = OciArchive.open(tar)) {
      for (Descriptor l : a.layers()) {
        try (InputStream in = new GZIPInputStream(a.openBlob(l.digest()), 1 << 16)) {
          while (in.read(buf) > 0) {
            // drain
          }
        }
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  static void scan(Path dir) throws Exception {
    Path out = dir.resolve("image");
    Reporter quiet = Reporter.SILENT;
    Scanner scanner = new Scanner(quiet, Clock.systemUTC());
    ScanRequest req = request(out, config(dir, "full", true), Optional.empty());
    scanner.scan(req); // warm-up (JIT, page cache)
    javaFloor(out.resolve("image.tar"));
    double best = Double.MAX_VALUE;
    double floor = Double.MAX_VALUE;
    long peak = 0;
    Scanner.Result result = null;
    for (int r = 0; r < 3; r++) {
      floor = Math.min(floor, javaFloor(out.resolve("image.tar")));
      System.gc();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        p.resetPeakUsage();
      }
      long t0 = System.nanoTime();
      result = scanner.scan(req);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      long sum = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          sum += p.getPeakUsage().getUsed();
        }
      }
      peak = Math.max(peak, sum);
    }
    System.out.printf(Locale.ROOT, "packages: %d (%d dpkg + %d maven), findings: %d%n", result.inventory().packages().size(),
        result.report().packages().debian(), result.report().packages().maven(), result.all().size());
    System.out.printf(Locale.ROOT, "warm scan: %.3f s (best of 3, no layer cache)%n", best);
    System.out.printf(Locale.ROOT, "java gunzip floor: %.3f s%n", floor);
    System.out.printf(Locale.ROOT, "heap: peak used %.0f MB (sum of heap pool peaks), max %d MB%n", peak / 1e6,
        Runtime.getRuntime().maxMemory() >> 20);
    // lookup cost: the same image's packages against the 10% and the full database
    List<InstalledPackage> pkgs = result.inventory().packages();
    var inv = result.inventory();
    for (String which : List.of("10pct", "full")) {
      try (OsvIndex index = new OsvDatabase(config(dir, which, true), quiet, Clock.systemUTC()).open()) {
        Matcher m = new Matcher(index, SeveritySource.VENDOR, quiet);
        m.match(inv);
        long t0 = System.nanoTime();
        int reps = 20;
        int found = 0;
        for (int r = 0; r < reps; r++) {
          found = m.match(inv).size();
        }
        double per = (System.nanoTime() - t0) / 1e3 / reps / pkgs.size();
        System.out.printf(Locale.ROOT, "lookup+match per package (%s db, %,d keys): %.1f us (%d findings)%n",
            which.equals("full") ? "full" : "10%", index.keyCount(), per, found);
      }
    }
  }

  // ---------------------------------------------------------------- warm (as the goal scans)

  static void warm(Path dir) throws Exception {
    Path out = dir.resolve("image");
    Path cache = Files.createTempDirectory(dir, "layer-cache");
    Scanner scanner = new Scanner(Reporter.SILENT, Clock.systemUTC());
    ScanRequest req = new ScanRequest(out, config(dir, "full", true), Set.of(Severity.HIGH, Severity.CRITICAL), true, List.of(), SeveritySource.VENDOR,
        Optional.of(cache), List.of(), List.of(), JarInspector.Limits.DEFAULT, "bench", SecretsMode.APP, SecretAllowList.empty());
    long t0 = System.nanoTime();
    Scanner.Result cold = scanner.scan(req);
    double coldS = (System.nanoTime() - t0) / 1e9;
    double first = 0;
    double best = Double.MAX_VALUE;
    Scanner.Result r = null;
    for (int i = 0; i < 3; i++) {
      t0 = System.nanoTime();
      r = scanner.scan(req);
      double s = (System.nanoTime() - t0) / 1e9;
      first = i == 0 ? s : first;
      best = Math.min(best, s);
    }
    System.out.printf(Locale.ROOT, "goal-like scan, empty layer cache: %.3f s (%d layers read, %d packages)%n", coldS, cold.inventory().layersRead(),
        cold.inventory().packages().size());
    System.out.printf(Locale.ROOT, "goal-like warm scan: first %.3f s, best of 3 %.3f s (%d layers read, %d secrets)%n", first, best,
        r.inventory().layersRead(), r.secrets().size());
  }

  // ---------------------------------------------------------------- rescan

  /** Re-scan after an app-only change: the build output's last layer gets one more class file. */
  static void rescan(Path buildOutput, Path work, String label) throws Exception {
    ImageDescriptor image = ImageDescriptor.read(buildOutput);
    List<byte[]> layers = new ArrayList<>();
    try (OciArchive a = OciArchive.open(image.archivePath(buildOutput))) {
      for (Descriptor l : a.layers()) {
        try (InputStream in = a.openBlob(l.digest())) {
          layers.add(in.readAllBytes());
        }
      }
    }
    Files.createDirectories(work);
    Path v1 = work.resolve("v1");
    ImageFixtures.buildOutput(v1, layers);
    // the app-only change: a new last layer content (the app classes layer with one more class)
    byte[] last = layers.get(layers.size() - 1);
    byte[] tar;
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(last))) {
      tar = in.readAllBytes();
    }
    java.io.ByteArrayOutputStream changed = new java.io.ByteArrayOutputStream();
    try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(changed);
        var src = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      t.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
      while ((e = src.getNextEntry()) != null) {
        t.putArchiveEntry(e);
        src.transferTo(t);
        t.closeArchiveEntry();
      }
      byte[] cls = ("changed at " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
      var added = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("app/classes/Changed.class");
      added.setSize(cls.length);
      t.putArchiveEntry(added);
      t.write(cls);
      t.closeArchiveEntry();
    }
    List<byte[]> v2Layers = new ArrayList<>(layers.subList(0, layers.size() - 1));
    v2Layers.add(ImageFixtures.gzip(changed.toByteArray()));
    Path v2 = work.resolve("v2");
    ImageFixtures.buildOutput(v2, v2Layers);
    Path cache = work.resolve("layer-cache");
    OsvDatabase.Config db = new OsvDatabase.Config(work.resolve("osv-cache"), Path.of("src/test/resources/osv-zips").toAbsolutePath().toString(),
        List.of("Debian", "Maven"), Duration.ofDays(3650), false);
    Scanner scanner = new Scanner(Reporter.SILENT, Clock.systemUTC());
    long t0 = System.nanoTime();
    Scanner.Result cold = scanner.scan(request(v1, db, Optional.of(cache)));
    double coldS = (System.nanoTime() - t0) / 1e9;
    // warm the JVM as a second build of the day would not be: measure the first re-scan in this JVM too
    t0 = System.nanoTime();
    Scanner.Result re = scanner.scan(request(v2, db, Optional.of(cache)));
    double reS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, label + " image: %d layers, %.1f MB, %d packages%n", layers.size(),
        layers.stream().mapToLong(b -> b.length).sum() / 1e6, cold.inventory().packages().size());
    System.out.printf(Locale.ROOT, label + " scan, empty layer cache: %.3f s (%d layers read)%n", coldS, cold.inventory().layersRead());
    System.out.printf(Locale.ROOT, label + " re-scan after app-only change: %.3f s (%d layer(s) read)%n", reS, re.inventory().layersRead());
  }
}
