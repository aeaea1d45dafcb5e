package dev.imagegate.scan.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.ImageFixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk streams a layer through fixed buffers: the bytes of files no analyzer reads (most of an image: a JDK's
 * modules, binaries) are inflated and hashed, never held, and do not turn into garbage either. Skipping them through
 * the tar reader allocated a fresh buffer per 8 KiB read (commons-io's skip), a gigabyte of garbage per gigabyte of
 * image, which on the 1 GB image of scripts/bench/scale kept the collector busy under -Xmx256m. Measured in bytes
 * allocated by this thread, not in time.
 */
class LayerWalkStreamingTest {
  private static final int FILE = 32 << 20;

  @TempDir Path dir;

  @Test
  void aLargeFileNoAnalyzerReadsIsDrainedThroughFixedBuffers() throws Exception {
    byte[] big = new byte[FILE];
    new Random(1).nextBytes(big);
    byte[] layer = new ImageFixtures.Layer().file("etc/hostname", "app\n").file("usr/lib/jvm/lib/modules", big).file("etc/motd", "hi\n").tarGz();
    Path tar = ImageFixtures.archive(dir.resolve("image.tar"), List.of(layer));
    big = null;
    walk(tar); // class loading and the JIT

    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    LayerWalk walk = walk(tar);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertTrue(walk.layer(0).verified());
    assertEquals(3, walk.written(0).size()); // the file after the large one was reached too
    assertTrue(allocated < FILE / 8, "walking a layer with a " + (FILE >> 20) + " MiB file no analyzer reads allocated " + (allocated >> 10) + " KiB");
  }

  private static LayerWalk walk(Path tar) throws Exception {
    try (OciArchive archive = OciArchive.open(tar)) {
      return LayerWalk.walk(archive, List.of(), i -> true, LayerLimits.DEFAULT, Reporter.SILENT);
    }
  }
}
