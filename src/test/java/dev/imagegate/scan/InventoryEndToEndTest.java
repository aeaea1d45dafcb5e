package dev.imagegate.scan;

import static dev.imagegate.scan.ImageFixtures.mavenJar;
import static dev.imagegate.scan.ImageFixtures.stanza;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.inventory.InventoryScanner;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.inventory.ProjectArtifact;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.OsvTestData;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory of a hand-made three-layer image, end to end (archive → layer walk → merge). */
class InventoryEndToEndTest {
  @TempDir Path tmp;

  /** A jar without Maven metadata; the same bytes are the project's resolved org.plain:plain:2.0. */
  static final byte[] PLAIN_JAR;

  static {
    try {
      PLAIN_JAR = ImageFixtures.jar(Map.of("a/B.class", new byte[] {1, 2, 3}));
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The project's resolved org.plain:plain:2.0, written under {@code dir}. */
  static ProjectArtifact plainArtifact(Path dir) throws java.io.IOException {
    Path file = java.nio.file.Files.createDirectories(dir.resolve("m2/org/plain/plain/2.0")).resolve("plain-2.0.jar");
    java.nio.file.Files.write(file, PLAIN_JAR);
    return new ProjectArtifact("org.plain", "plain", "2.0", file);
  }

  /**
   * The scan goal's whole path over the image of {@link #layers()}, built into {@code out}, matched against the real OSV
   * records of the test data (database cache under {@code work}), on 2026-03-01: Debian and Maven findings.
   */
  static Scanner.Result scanned(Path work, Path out) throws Exception {
    ImageFixtures.buildOutput(out, layers());
    ScanRequest request = new ScanRequest(out,
        new OsvDatabase.Config(work.resolve("osv"), OsvTestData.ZIP_DIR.toAbsolutePath().toString(), List.of("Debian", "Maven"), Duration.ofHours(24), false),
        Set.of(Severity.HIGH, Severity.CRITICAL), false, List.of(), SeveritySource.VENDOR, Optional.empty(), List.of(), List.of(),
        JarInspector.Limits.DEFAULT, "0.1.0-test");
    return new Scanner(Reporter.SILENT, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC)).scan(request);
  }

  static List<byte[]> layers() throws Exception {
    byte[] base = new ImageFixtures.Layer()
        .dir("etc")
        .file("etc/debian_version", "12.13\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n")
        .file("var/lib/dpkg/status.d/libc6", stanza("libc6", "2.36-9+deb12u4", "glibc"))
        .file("var/lib/dpkg/status.d/libssl3", stanza("libssl3", "3.0.11-1~deb12u2", "openssl"))
        .file("var/lib/dpkg/status.d/libssl3.md5sums", "0123456789abcdef0123456789abcdef  usr/share/java/owned.jar\n")
        .file("var/lib/dpkg/status.d/tzdata", stanza("tzdata", "2024a-0+deb12u1", null))
        .file("var/lib/dpkg/status.d/zlib1g", stanza("zlib1g", "1:1.2.13.dfsg-1", "zlib (1:1.2.13.dfsg-1)"))
        .file("usr/share/java/owned.jar", mavenJar("org.owned", "owned", "1.0", Map.of()))
        .tarGz();
    byte[] nested = mavenJar("org.apache.logging.log4j", "log4j-core", "2.14.1", Map.of());
    byte[] fat = mavenJar("com.example", "app", "1.0", Map.of("BOOT-INF/lib/log4j-core-2.14.1.jar", nested));
    byte[] deps = new ImageFixtures.Layer()
        .whiteout("var/lib/dpkg/status.d/tzdata")
        .file("app/libs/snakeyaml-1.33.jar", mavenJar("org.yaml", "snakeyaml", "1.33", Map.of()))
        .file("app/libs/plain-2.0.jar", PLAIN_JAR)
        .file("app/libs/gone-1.0.jar", mavenJar("org.gone", "gone", "1.0", Map.of()))
        .tarGz();
    byte[] app = new ImageFixtures.Layer()
        .whiteout("app/libs/gone-1.0.jar")
        .file("app/app.jar", fat)
        .tarGz();
    return List.of(base, deps, app);
  }

  @Test
  void inventoryOfAHandMadeImage() throws Exception {
    Path file = ImageFixtures.archive(tmp.resolve("image.tar"), layers());
    ImageInventory inv;
    try (OciArchive archive = OciArchive.open(file)) {
      inv = new InventoryScanner(Optional.empty(), JarInspector.Limits.DEFAULT, List.of(), Reporter.SILENT)
          .inventory(archive, List.of(plainArtifact(tmp)));
    }
    assertEquals("debian", inv.osId());
    assertEquals("12", inv.osRelease());
    assertEquals("12.13", inv.osVersion());
    assertEquals(3, inv.layersRead());
    Set<String> got = inv.packages().stream()
        .map(p -> p.ecosystem() + " " + p.name() + " " + p.version() + " " + p.sourceName() + " " + p.sourceVersion() + " " + p.outerPath())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> want = new TreeSet<>(List.of(
        "Debian libc6 2.36-9+deb12u4 glibc 2.36-9+deb12u4 var/lib/dpkg/status.d/libc6",
        "Debian libssl3 3.0.11-1~deb12u2 openssl 3.0.11-1~deb12u2 var/lib/dpkg/status.d/libssl3",
        "Debian zlib1g 1:1.2.13.dfsg-1 zlib 1:1.2.13.dfsg-1 var/lib/dpkg/status.d/zlib1g",
        // tzdata removed by a whiteout; owned.jar is owned by libssl3 (md5sums); gone-1.0.jar removed by a whiteout
        "Maven org.yaml:snakeyaml 1.33 org.yaml:snakeyaml 1.33 app/libs/snakeyaml-1.33.jar",
        "Maven org.plain:plain 2.0 org.plain:plain 2.0 app/libs/plain-2.0.jar",
        "Maven com.example:app 1.0 com.example:app 1.0 app/app.jar",
        "Maven org.apache.logging.log4j:log4j-core 2.14.1 org.apache.logging.log4j:log4j-core 2.14.1 app/app.jar"));
    assertEquals(want, got);
    InstalledPackage plain = inv.packages().stream().filter(p -> p.name().equals("org.plain:plain")).findFirst().orElseThrow();
    assertEquals("project", plain.identifiedBy());
    assertTrue(inv.warnings().isEmpty(), inv.warnings().toString());
  }
}
