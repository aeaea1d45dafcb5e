package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.inventory.InventoryScanner;
import dev.imagegate.scan.inventory.JarInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks' synthetic image is a valid build output whose every package the scan finds. */
class SyntheticImageTest {
  @TempDir Path dir;

  @Test
  void aScaledImageHoldsTheBytesAndPackagesItsShapeSays() throws Exception {
    SyntheticImage.Shape shape = SyntheticImage.Shape.scale(4, 60);
    SyntheticImage.Written written = SyntheticImage.write(dir, shape, new Random(7));

    ImageDescriptor image = ImageDescriptor.read(dir);
    ImageInventory inventory;
    try (OciArchive archive = OciArchive.open(image.archivePath(dir))) {
      assertEquals(image.digest(), archive.manifestDescriptor().digest());
      assertEquals(written.layers(), archive.layers());
      // the walk checks every layer against its digest: a wrong digest or size would fail here
      inventory = new InventoryScanner(Optional.empty(), JarInspector.Limits.DEFAULT, List.of(), Reporter.SILENT).inventory(archive, List.of());
    }
    assertEquals(60, shape.packages());
    assertEquals(shape.packages(), inventory.packages().size());
    assertEquals(shape.dpkg(), inventory.packages().stream().filter(p -> InstalledPackage.DEBIAN.equals(p.ecosystem())).count());
    assertEquals("debian", inventory.osId());
    // about the size asked for (whole 1 MiB filler files), and only the archive and image.json are left behind
    assertTrue(Math.abs(written.archiveBytes() - 4_000_000) < 1_500_000, "archive of " + written.archiveBytes() + " bytes");
    try (var files = Files.list(dir)) {
      assertEquals(List.of("image.json", "image.tar"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void theScanBenchImageKeepsItsPackageCount() {
    assertEquals(1101, SyntheticImage.Shape.SCAN_BENCH.packages());
  }
}
