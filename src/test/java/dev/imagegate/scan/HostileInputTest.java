package dev.imagegate.scan;

import static dev.imagegate.scan.ImageFixtures.mavenJar;
import static dev.imagegate.scan.ImageFixtures.stanza;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InventoryScanner;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.osv.OsvImporter;
import dev.imagegate.scan.osv.OsvIndex;
import dev.imagegate.scan.osv.Matcher;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.layer.LayerLimits;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile inputs: each gives a clear error or a warning, never a crash, a hang (the timeouts below only guard
 * against hangs, they are not speed targets) or a write outside the test's temp directory.
 */
class HostileInputTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);

  @TempDir Path tmp;

  /** Collects warnings. */
  static final class Lines implements Reporter {
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    final List<String> infos = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String m) {
      infos.add(m);
    }

    @Override
    public void warn(String m) {
      warnings.add(m);
    }

    boolean warned(String part) {
      return warnings.stream().anyMatch(w -> w.contains(part));
    }
  }

  private ImageInventory inventory(List<byte[]> layers, Reporter reporter) throws Exception {
    return inventory(layers, reporter, LayerLimits.DEFAULT);
  }

  private ImageInventory inventory(List<byte[]> layers, Reporter reporter, LayerLimits limits) throws Exception {
    Path file = ImageFixtures.archive(tmp.resolve("image-" + UUID.randomUUID() + ".tar"), layers);
    return assertTimeoutPreemptively(HANG_GUARD, () -> {
      try (OciArchive archive = OciArchive.open(file)) {
        return new InventoryScanner(Optional.empty(), JarInspector.Limits.DEFAULT, limits, List.of(), reporter).inventory(archive, List.of());
      }
    });
  }

  private static final long MIB = 1L << 20;

  /**
   * A gzip layer that inflates to {@code gib} GiB: a tar header for one file of that size (so that the tar reader has
   * to go through every byte), then the same gzip member of 8 MiB of zeros again and again (gzip readers go on with
   * the next member). 16 GiB take 16 MB; built in well under a second.
   */
  static byte[] gzipBomb(int gib) throws Exception {
    long size = (long) gib << 30;
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(header);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    TarArchiveEntry entry = new TarArchiveEntry("opt/zeros.bin");
    entry.setSize(size);
    tar.putArchiveEntry(entry); // writes the header(s) only; the stream is abandoned, not closed
    tar.flush();
    byte[] zerosMember = ImageFixtures.gzip(new byte[8 << 20]);
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    bomb.write(ImageFixtures.gzip(header.toByteArray()));
    for (long written = 0; written < size + 1024; written += 8 << 20) {
      bomb.write(zerosMember);
    }
    return bomb.toByteArray();
  }

  @Test
  void aGzipBombIsStoppedAtTheLayerLimitAndTheErrorNamesTheLayerAndTheParameter() throws Exception {
    byte[] bomb = gzipBomb(16);
    assertTrue(bomb.length < 20 << 20, "a 16 GiB bomb in " + bomb.length + " bytes");
    LayerLimits limits = new LayerLimits(64 * MIB, 1024 * MIB, LayerLimits.DEFAULT.maxMetadataFileBytes());
    ScanException e = assertThrows(ScanException.class, () -> inventory(List.of(osLayer(), bomb), Reporter.SILENT, limits));
    assertTrue(e.getMessage().contains("layer 2 (" + dev.imagegate.oci.Digests.sha256(bomb) + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("64.0 MiB"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.scan.maxLayerMegabytes"), e.suggestion());
  }

  @Test
  void theImageLimitCountsEveryLayerTheScanInflates() throws Exception {
    byte[] fat = new ImageFixtures.Layer().file("opt/zeros.bin", new byte[(int) (24 * MIB)]).tarGz();
    LayerLimits limits = new LayerLimits(32 * MIB, 64 * MIB, LayerLimits.DEFAULT.maxMetadataFileBytes());
    assertEquals(List.of("libc6"), inventory(List.of(osLayer(), fat, fat), Reporter.SILENT, limits).packages().stream()
        .map(InstalledPackage::name).toList(), "two fat layers are within both limits");
    byte[] third = new ImageFixtures.Layer().file("opt/more-zeros.bin", new byte[(int) (24 * MIB)]).tarGz();
    ScanException e = assertThrows(ScanException.class, () -> inventory(List.of(osLayer(), fat, fat, third), Reporter.SILENT, limits));
    assertTrue(e.getMessage().contains("layer 4 (" + dev.imagegate.oci.Digests.sha256(third) + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("64.0 MiB"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.scan.maxImageMegabytes"), e.suggestion());
  }

  @Test
  void anOversizedMetadataFileFailsTheScanWithoutBeingRead() throws Exception {
    // one line of 17 MiB: over the default 16 MiB a metadata file may have
    byte[] status = new byte[(int) (17 * MIB)];
    Arrays.fill(status, (byte) 'x');
    System.arraycopy("Package: ".getBytes(StandardCharsets.US_ASCII), 0, status, 0, 9);
    for (String path : List.of("var/lib/dpkg/status", "var/lib/dpkg/status.d/huge")) {
      byte[] layer = new ImageFixtures.Layer().file("etc/debian_version", "12.13\n").file(path, status).tarGz();
      ScanException e = assertThrows(ScanException.class, () -> inventory(List.of(osLayer(), layer), Reporter.SILENT));
      assertTrue(e.getMessage().contains("/" + path + " in layer 2"), e.getMessage());
      assertTrue(e.getMessage().contains("17.0 MiB"), e.getMessage());
      assertTrue(e.suggestion().contains("imagegate.scan.maxMetadataFileMegabytes"), e.suggestion());
    }
  }

  private static byte[] osLayer() throws Exception {
    return new ImageFixtures.Layer()
        .file("etc/debian_version", "12.13\n")
        .file("var/lib/dpkg/status.d/libc6", stanza("libc6", "2.36-9+deb12u4", "glibc"))
        .tarGz();
  }

  @Test
  void aTruncatedGzipLayerIsAClearError() throws Exception {
    byte[] good = new ImageFixtures.Layer()
        .file("etc/debian_version", "12.13\n")
        .file("var/lib/dpkg/status.d/libc6", stanza("libc6", "2.36-9+deb12u4", "glibc"))
        .file("big.bin", new java.util.Random(1).ints(200_000).mapToObj(Integer::toString).collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8))
        .tarGz();
    for (int cut : new int[] {good.length / 2, good.length - 9, 12}) {
      byte[] truncated = Arrays.copyOf(good, cut); // the digest in the manifest is that of the truncated blob
      ScanException e = assertThrows(ScanException.class, () -> inventory(List.of(truncated), Reporter.SILENT), "cut at " + cut);
      assertTrue(e.getMessage().contains("Cannot read layer"), e.getMessage());
      assertTrue(e.suggestion().contains("mvn package"), e.suggestion());
    }
  }

  @Test
  void aLayerThatIsNotGzipNorTarIsAClearError() throws Exception {
    byte[] junk = new byte[4096];
    new java.util.Random(3).nextBytes(junk);
    junk[0] = 0x1f;
    junk[1] = (byte) 0x8b; // claims to be gzip
    ScanException e = assertThrows(ScanException.class, () -> inventory(List.of(junk), Reporter.SILENT));
    assertTrue(e.getMessage().contains("Cannot read layer"), e.getMessage());
  }

  @Test
  void pathTraversalAbsolutePathsAndEscapingSymlinksAreNotFollowedNorWritten() throws Exception {
    String marker = "imagegate-pwned-" + UUID.randomUUID();
    Path outside = tmp.getParent().resolve(marker);
    byte[] layer = new ImageFixtures.Layer()
        .file("etc/debian_version", "12.13\n")
        .file("../" + marker, "pwned")
        .file("../../../../../../../../tmp/" + marker, "pwned")
        .file("a/../../" + marker, "pwned")
        .file("/var/lib/dpkg/status.d/libc6", stanza("libc6", "2.36-9+deb12u4", "glibc")) // absolute: relative to the image root
        .file("/tmp/" + marker, "pwned")
        .symlink("etc/os-release", "../../../../../../etc/passwd")
        .symlink("usr/lib/os-release", "/proc/self/environ")
        .symlink("app/loop-a", "loop-b")
        .symlink("app/loop-b", "loop-a")
        .hardlink("app/evil.jar", "../../../../etc/shadow")
        .tarGz();
    Lines lines = new Lines();
    ImageInventory inv = inventory(List.of(layer), lines);
    assertTrue(lines.warned("unsafe path (../" + marker + ")"), lines.warnings.toString());
    assertTrue(lines.warned("unsafe path (a/../../" + marker + ")"), lines.warnings.toString());
    assertEquals(List.of("libc6"), inv.packages().stream().map(InstalledPackage::name).toList());
    assertEquals("12", inv.osRelease());
    assertFalse(Files.exists(outside), outside.toString());
    assertFalse(Files.exists(Path.of("/tmp", marker)));
    assertFalse(Files.exists(Path.of(marker)));
    try (Stream<Path> s = Files.walk(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(marker)));
    }
  }

  /** A jar holding {@code copies} copies of {@code inner}. */
  private static byte[] jarOf(byte[] inner, int copies, String prefix) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < copies; i++) {
      entries.put("BOOT-INF/lib/" + prefix + i + ".jar", inner);
    }
    return ImageFixtures.jar(entries);
  }

  @Test
  void aDeeplyNestedJarIsCutAtTheDepthLimit() throws Exception {
    byte[] jar = mavenJar("org.deep", "deep", "1.0", Map.of());
    for (int d = 0; d < 30; d++) {
      jar = mavenJar("org.deep", "level" + d, "1.0", Map.of("BOOT-INF/lib/inner.jar", jar));
    }
    byte[] layer = new ImageFixtures.Layer().file("app/deep.jar", jar).tarGz();
    Lines lines = new Lines();
    ImageInventory inv = inventory(List.of(osLayer(), layer), lines);
    assertTrue(inv.warnings().stream().anyMatch(w -> w.contains("nested deeper than")), inv.warnings().toString());
    long maven = inv.packages().stream().filter(p -> p.ecosystem().equals("Maven")).count();
    assertEquals(JarInspector.Limits.DEFAULT.maxDepth(), maven);
  }

  @Test
  void aWideNestedJarBombIsCut() throws Exception {
    // 64 x 64 x 64 nested jars: 262,144 leaf jars from a layer of a few hundred KB
    byte[] leaf = mavenJar("org.bomb", "leaf", "1.0", Map.of());
    byte[] bomb = jarOf(jarOf(jarOf(leaf, 64, "a"), 64, "b"), 64, "c");
    byte[] layer = new ImageFixtures.Layer().file("app/bomb.jar", bomb).tarGz();
    assertTrue(layer.length < 8 << 20, "layer " + layer.length);
    ImageInventory inv = inventory(List.of(osLayer(), layer), Reporter.SILENT);
    assertTrue(inv.warnings().stream().anyMatch(w -> w.contains("bomb")), inv.warnings().toString());
  }

  @Test
  void aHugeRatioEntryIsNotInflated() throws Exception {
    // a nested "jar" entry inflating to 200 MB of zeros: over the nested-jar limit, read no further than the limit
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
      zip.putNextEntry(new ZipEntry("META-INF/maven/org.r/ratio/pom.properties"));
      zip.write("groupId=org.r\nartifactId=ratio\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("BOOT-INF/lib/zeros.jar"));
      byte[] mb = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        zip.write(mb);
      }
      zip.putNextEntry(new ZipEntry("META-INF/maven/org.r/huge/pom.properties"));
      for (int i = 0; i < 20; i++) {
        zip.write(mb); // a 20 MB "pom.properties"
      }
      zip.closeEntry();
    }
    assertTrue(zipped.size() < 1 << 20, "ratio jar " + zipped.size());
    byte[] layer = new ImageFixtures.Layer().file("app/ratio-1.0.jar", zipped.toByteArray()).tarGz();
    ImageInventory inv = inventory(List.of(osLayer(), layer), Reporter.SILENT);
    assertTrue(inv.warnings().stream().anyMatch(w -> w.contains("zeros.jar") && w.contains("limit")), inv.warnings().toString());
    assertTrue(inv.warnings().stream().anyMatch(w -> w.contains("pom.properties") && w.contains("limit")), inv.warnings().toString());
    assertTrue(inv.packages().stream().anyMatch(p -> p.name().equals("org.r:ratio")), inv.packages().toString());
  }

  @Test
  void aNestedZipSlipEntryIsNotFollowed() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("../../evil-1.0.jar", mavenJar("org.evil", "evil", "1.0", Map.of()));
    entries.put("/abs/evil-2.0.jar", mavenJar("org.evil", "evil", "2.0", Map.of()));
    byte[] layer = new ImageFixtures.Layer().file("app/slip.jar", ImageFixtures.zip(entries, ZipArchiveEntry.DEFLATED)).tarGz();
    ImageInventory inv = inventory(List.of(osLayer(), layer), Reporter.SILENT);
    assertEquals(2, inv.warnings().stream().filter(w -> w.contains("zip slip")).count(), inv.warnings().toString());
    assertTrue(inv.packages().stream().noneMatch(p -> p.name().equals("org.evil:evil")));
  }

  @Test
  void aCorruptJarIsAWarning() throws Exception {
    byte[] jar = mavenJar("org.c", "c", "1.0", Map.of());
    byte[] layer = new ImageFixtures.Layer()
        .file("app/cut-1.0.jar", Arrays.copyOf(jar, jar.length / 2))
        .file("app/junk-1.0.jar", "this is not a zip".getBytes(StandardCharsets.UTF_8))
        .tarGz();
    ImageInventory inv = inventory(List.of(osLayer(), layer), Reporter.SILENT);
    assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("app/cut-1.0.jar: not a readable jar")), inv.warnings().toString());
    assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("app/junk-1.0.jar: not a readable jar")), inv.warnings().toString());
  }

  @Test
  void malformedStatusFilesGiveWarningsAndKeepTheGoodStanzas() throws Exception {
    byte[] binary = new byte[3000];
    new java.util.Random(5).nextBytes(binary);
    String longLine = "Package: " + "x".repeat(2_000_000) + "\nVersion: 1\n";
    byte[] layer = new ImageFixtures.Layer()
        .file("etc/debian_version", "12.13\n")
        .file("var/lib/dpkg/status.d/good", stanza("libc6", "2.36-9+deb12u4", "glibc") + "\n" + stanza("zlib1g", "1:1.2.13.dfsg-1", "zlib (1:1.2.13.dfsg-1"))
        .file("var/lib/dpkg/status.d/noversion", "Package: nov\nStatus: install ok installed\n")
        .file("var/lib/dpkg/status.d/continuation", " leading continuation\n\tanother\nPackage: cont\nVersion: 1.0\n")
        .file("var/lib/dpkg/status.d/nocolon", "this line has no colon\n: empty field name\nPackage: nocolon\nVersion: 2.0\n")
        .file("var/lib/dpkg/status.d/binary", binary)
        .file("var/lib/dpkg/status.d/long", longLine)
        .file("var/lib/dpkg/status.d/empty", "")
        .file("var/lib/dpkg/status.d/blank", "\n\n\r\n  \n")
        .file("var/lib/dpkg/status.d/crlf", "Package: crlf\r\nVersion: 3.0\r\n")
        .file("var/lib/dpkg/status.d/removed", "Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n")
        .file("var/lib/dpkg/status.d/weird.md5sums", "no-two-spaces\n\n  \n" + "x".repeat(100_000) + "\n")
        .tarGz();
    ImageInventory inv = inventory(List.of(layer), Reporter.SILENT);
    Map<String, String> versions = inv.packages().stream().collect(Collectors.toMap(InstalledPackage::name, InstalledPackage::version, (a, b) -> a));
    assertEquals("2.36-9+deb12u4", versions.get("libc6"));
    assertEquals("1:1.2.13.dfsg-1", versions.get("zlib1g"));
    assertEquals("1.0", versions.get("cont"));
    assertEquals("2.0", versions.get("nocolon"));
    assertEquals("3.0", versions.get("crlf"));
    assertFalse(versions.containsKey("removed"));
    assertFalse(versions.containsKey("nov"));
    List<String> w = inv.warnings();
    assertTrue(w.stream().anyMatch(x -> x.startsWith("var/lib/dpkg/status.d/noversion: a stanza without Package or Version")), w.toString());
    assertTrue(w.stream().anyMatch(x -> x.startsWith("var/lib/dpkg/status.d/continuation: line 1: continuation line without a field")), w.toString());
    assertTrue(w.stream().anyMatch(x -> x.startsWith("var/lib/dpkg/status.d/nocolon: line 1: not a 'Field: value' line")), w.toString());
    assertTrue(w.stream().anyMatch(x -> x.startsWith("var/lib/dpkg/status.d/binary: ")), w.toString());
    assertTrue(w.size() < 200, "warnings are bounded, got " + w.size());
  }

  @Test
  void malformedOsvRecordsAreSkippedAndDoNotBreakMatching() throws Exception {
    Lines lines = new Lines();
    OsvImporter importer = new OsvImporter(lines);
    String pkg = "{\"ecosystem\":\"Maven\",\"name\":\"org.x:x\"}";
    List<String> bad = List.of(
        "", "{", "[]", "null", "42", "{\"id\":7}", "{\"id\":\"A\",\"affected\":\"not an array\"}",
        "{\"id\":\"B\",\"affected\":[{\"package\":\"str\"}]}",
        "{\"id\":\"C\",\"affected\":[{\"package\":" + pkg + ",\"ranges\":\"x\",\"versions\":{\"a\":1}}]}",
        "{\"id\":\"D\",\"affected\":[{\"package\":" + pkg + ",\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":{\"introduced\":\"0\"}}]}]}",
        "{\"id\":\"E\",\"affected\":[{\"package\":" + pkg + ",\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":0},{\"fixed\":[1]}]}]}]}",
        "{\"id\":\"F\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"garbage\"},{\"score\":5}],\"aliases\":\"CVE-1\","
            + "\"affected\":[{\"package\":" + pkg + ",\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"\"}]}]}]}",
        "{\"id\":\"G\",\"affected\":[{\"package\":" + pkg + ",\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"!!\"},{\"last_affected\":\"~~~\"}]}]}]}",
        "{\"id\":\"H\",\"database_specific\":{\"severity\":\"BOGUS\"},\"affected\":[{\"package\":" + pkg + ",\"versions\":[\"1.0\"]}]}",
        "{\"id\":\"I\"," + "\"details\":\"" + "[".repeat(10) + "\",\"affected\":[" + "[".repeat(5000) + "]}",
        "{\"id\":\"DEBIAN-J\",\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"zlib\"},\"ecosystem_specific\":{\"urgency\":[1]},"
            + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1:::-\"}]}]}]}");
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      for (int i = 0; i < bad.size(); i++) {
        importer.addRecord("bad-" + i + ".json", bad.get(i).getBytes(StandardCharsets.UTF_8));
      }
      OsvImporter.Result r = importer.write(tmp.resolve("idx"), Map.of("updatedAt", "2026-01-01T00:00:00Z", "source", "test"));
      assertTrue(r.skippedMalformed() >= 6, r.toString());
    });
    assertTrue(lines.warned("Skipping malformed OSV record bad-0.json"), lines.warnings.toString());
    try (OsvIndex index = OsvIndex.open(tmp.resolve("idx"))) {
      InstalledPackage x = new InstalledPackage("Maven", "org.x:x", "1.0", "org.x:x", "1.0", "app/x.jar", "sha256:l", "pom.properties");
      InstalledPackage z = new InstalledPackage("Debian", "zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1", "var/lib/dpkg/status.d/zlib1g", "sha256:l", "dpkg");
      var found = assertTimeoutPreemptively(HANG_GUARD, () -> new Matcher(index, SeveritySource.VENDOR, lines)
          .match(new ImageInventory("debian", "12", "12.13", List.of(x, z), List.of(), 1)));
      assertTrue(found.stream().anyMatch(f -> f.id().equals("H")), found.toString()); // the one well-formed enough to match
    }
  }

  @Test
  void anOsvZipThatIsNotAZipIsAClearError() throws Exception {
    Path zip = tmp.resolve("all.zip");
    Files.writeString(zip, "<html>not found</html>");
    OsvImporter importer = new OsvImporter(Reporter.SILENT);
    assertThrows(java.io.IOException.class, () -> importer.addZip(zip));
  }
}
