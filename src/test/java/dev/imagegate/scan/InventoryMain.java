package dev.imagegate.scan;

import dev.imagegate.Reporter;
import java.nio.file.Path;

/** A separate JVM inventorying an image with a layer cache (for {@link LayerCacheTest}): {@code <image.tar> <cacheDir>}. */
public final class InventoryMain {
  private InventoryMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println(LayerCacheTest.describe(LayerCacheTest.inventory(Path.of(args[0]), Path.of(args[1]), Reporter.SILENT)));
  }
}
