package dev.imagegate.scan;

import static dev.imagegate.scan.ImageFixtures.mavenJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.OsvTestData;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer bytes are checked against their digest as they stream, and the per-layer cache holds only verified facts that
 * carry their own checksum: one tampered archive cannot make a later scan of an honest image pass.
 */
class TamperedLayerTest {
  private static final String LOG4SHELL = "CVE-2021-44228";

  @TempDir Path tmp;

  /** The honest app layer holds log4j-core 2.14.1 (Log4Shell); the tampered one the same paths without it. */
  private static List<byte[]> honestAndTamperedAppLayer() throws Exception {
    byte[] log4j = mavenJar("org.apache.logging.log4j", "log4j-core", "2.14.1", Map.of());
    byte[] honest = new ImageFixtures.Layer()
        .whiteout("app/libs/gone-1.0.jar")
        .file("app/app.jar", mavenJar("com.example", "app", "1.0", Map.of("BOOT-INF/lib/log4j-core-2.14.1.jar", log4j)))
        .tarGz();
    byte[] tampered = new ImageFixtures.Layer()
        .whiteout("app/libs/gone-1.0.jar")
        .file("app/app.jar", mavenJar("com.example", "app", "1.0", Map.of()))
        .tarGz();
    // the same length (gzip ignores trailing zeros), so that only the digest tells them apart
    int n = Math.max(honest.length, tampered.length);
    return List.of(Arrays.copyOf(honest, n), Arrays.copyOf(tampered, n));
  }

  private static List<byte[]> with(List<byte[]> layers, int index, byte[] layer) {
    List<byte[]> out = new ArrayList<>(layers);
    out.set(index, layer);
    return out;
  }

  private Scanner.Result scan(Path out, Path layerCache) throws Exception {
    ScanRequest request = new ScanRequest(out,
        new OsvDatabase.Config(tmp.resolve("osv"), OsvTestData.ZIP_DIR.toAbsolutePath().toString(), List.of("Debian", "Maven"), Duration.ofHours(24), false),
        Set.of(Severity.HIGH, Severity.CRITICAL), false, List.of(), SeveritySource.VENDOR, Optional.of(layerCache), List.of(), List.of(),
        JarInspector.Limits.DEFAULT, "0.1.0-test");
    return new Scanner(Reporter.SILENT, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC)).scan(request);
  }

  private static boolean findsLog4Shell(Scanner.Result r) {
    return r.all().stream().anyMatch(f -> f.id().equals(LOG4SHELL) || f.aliases().contains(LOG4SHELL));
  }

  private static void assertNamesTheBlobAndTheFix(Throwable thrown, byte[] claimed) {
    ScanException e = assertInstanceOf(ScanException.class, thrown, "a tampered layer must fail the scan");
    assertTrue(e.getMessage().contains(Digests.sha256(claimed)), e.getMessage());
    assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());
    assertTrue(e.suggestion().contains("mvn package"), e.suggestion());
  }

  /**
   * The build outputs of the honest image (log4j-core in its app layer) and of the same image with its app layer's bytes
   * swapped for the tampered ones under the honest digest, and the one layer cache both are scanned with.
   */
  private record HonestAndTampered(Path honest, Path tampered, Path cache, byte[] honestApp) {}

  private HonestAndTampered honestAndTampered() throws Exception {
    List<byte[]> app = honestAndTamperedAppLayer();
    List<byte[]> honest = with(InventoryEndToEndTest.layers(), 2, app.get(0));
    HonestAndTampered images =
        new HonestAndTampered(tmp.resolve("honest/target/imagegate"), tmp.resolve("tampered/target/imagegate"), tmp.resolve("layer-cache"), app.get(0));
    ImageFixtures.buildOutput(images.honest(), honest);
    ImageFixtures.buildOutput(images.tampered(), honest, with(honest, 2, app.get(1)));
    return images;
  }

  @Test
  void aTamperedLayerFailsTheScanAndDoesNotPoisonTheCache() throws Exception {
    HonestAndTampered images = honestAndTampered();
    Throwable thrown = null;
    try {
      scan(images.tampered(), images.cache());
    } catch (Throwable t) {
      thrown = t;
    }

    // the honest image, scanned later with the same cache, still has Log4Shell
    Scanner.Result r = scan(images.honest(), images.cache());
    assertTrue(findsLog4Shell(r), "the honest image must still show " + LOG4SHELL + ": " + r.all());

    assertNamesTheBlobAndTheFix(thrown, images.honestApp());
  }

  @Test
  void aTamperedLayerFailsTheScanEvenWhenTheCacheKnowsItsDigest() throws Exception {
    HonestAndTampered images = honestAndTampered();
    assertTrue(findsLog4Shell(scan(images.honest(), images.cache())));

    // every layer is in the cache now: the tampered archive's bytes must still be checked
    assertNamesTheBlobAndTheFix(assertThrows(Throwable.class, () -> scan(images.tampered(), images.cache())), images.honestApp());
  }

  @Test
  void aTamperedCachedLayerWritesNoReport() throws Exception {
    // the layers the cache serves are hashed on other threads while the scan matches: no report may come out before they matched
    HonestAndTampered images = honestAndTampered();
    scan(images.honest(), images.cache());
    assertThrows(ScanException.class, () -> scan(images.tampered(), images.cache()));
    for (String report : List.of("scan.json", "scan.sarif", "sbom.cdx.json")) {
      assertTrue(Files.notExists(images.tampered().resolve(report)), report + " must not be written for a tampered image");
    }
  }

  @Test
  void aChangeAfterTheEndOfTheTarIsCaughtToo() throws Exception {
    // the tar reader stops at the end-of-archive blocks; the bytes after them (here: after the gzip member) are hashed all the same
    List<byte[]> honest = InventoryEndToEndTest.layers();
    byte[] padded = Arrays.copyOf(honest.get(1), honest.get(1).length + 64);
    byte[] changed = padded.clone();
    changed[changed.length - 1] = 1;
    List<byte[]> claimed = with(honest, 1, padded);
    Path out = tmp.resolve("trailer/target/imagegate");
    ImageFixtures.buildOutput(out, claimed, with(claimed, 1, changed));
    assertNamesTheBlobAndTheFix(assertThrows(Throwable.class, () -> scan(out, tmp.resolve("layer-cache"))), padded);
  }

  @Test
  void aLayerOfTheWrongSizeIsRejectedBeforeItIsRead() throws Exception {
    List<byte[]> honest = InventoryEndToEndTest.layers();
    byte[] longer = Arrays.copyOf(honest.get(2), honest.get(2).length + 4096);
    Path out = tmp.resolve("longer/target/imagegate");
    ImageFixtures.buildOutput(out, honest, with(honest, 2, longer));
    ScanException e = assertThrows(ScanException.class, () -> scan(out, tmp.resolve("layer-cache")));
    assertTrue(e.getMessage().contains(Digests.sha256(honest.get(2))), e.getMessage());
    assertTrue(e.getMessage().contains(longer.length + " bytes"), e.getMessage());
    assertTrue(e.suggestion().contains("mvn package"), e.suggestion());
    try (Stream<Path> s = Files.list(tmp.resolve("layer-cache"))) {
      assertEquals(0, s.count(), "nothing is cached from an archive that failed verification");
    } catch (java.nio.file.NoSuchFileException none) {
      // no cache directory at all: nothing cached either
    }
  }

  @Test
  void aCorruptedCacheEntryIsDetectedDiscardedAndRebuilt() throws Exception {
    Path image = ImageFixtures.archive(tmp.resolve("image.tar"), InventoryEndToEndTest.layers());
    Path cache = tmp.resolve("layer-cache");
    ImageInventory first = LayerCacheTest.inventory(image, cache, Reporter.SILENT);
    String want = LayerCacheTest.describe(first);
    assertTrue(want.contains("log4j-core@2.14.1"), want);

    // flip the entry that names log4j-core: same length, still well-formed, but not what the layer holds
    Path entry = null;
    try (Stream<Path> s = Files.list(cache)) {
      for (Path p : s.toList()) {
        if (Files.readString(p, StandardCharsets.ISO_8859_1).contains("log4j-core")) {
          entry = p;
        }
      }
    }
    assertTrue(entry != null, "an entry for the app layer");
    byte[] original = Files.readAllBytes(entry);
    Files.writeString(entry, Files.readString(entry, StandardCharsets.ISO_8859_1).replace("log4j-core", "log4j-kore"), StandardCharsets.ISO_8859_1);

    HostileInputTest.Lines lines = new HostileInputTest.Lines();
    ImageInventory second = LayerCacheTest.inventory(image, cache, lines);
    assertEquals(want, LayerCacheTest.describe(second), "a corrupted entry is never trusted");
    assertEquals(1, second.layersRead(), "the corrupted entry's layer is read again");
    assertTrue(lines.warned(entry.toString()), lines.warnings.toString());

    // rebuilt: the next scan trusts it again
    assertNotEquals(new String(original, StandardCharsets.ISO_8859_1).replace("log4j-core", "log4j-kore"),
        Files.readString(entry, StandardCharsets.ISO_8859_1));
    HostileInputTest.Lines quiet = new HostileInputTest.Lines();
    ImageInventory third = LayerCacheTest.inventory(image, cache, quiet);
    assertEquals(0, third.layersRead());
    assertEquals(want, LayerCacheTest.describe(third));
    assertEquals(List.of(), quiet.warnings);
  }
}
