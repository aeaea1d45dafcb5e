package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.inventory.InventoryScanner;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.inventory.LayerInventory;
import dev.imagegate.scan.layer.LayerCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-layer inventory cache: reuse, app-only change, parallel builds (threads and JVMs), crash leftovers. */
class LayerCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static ImageInventory inventory(Path image, Path cache, Reporter reporter) throws Exception {
    try (OciArchive archive = OciArchive.open(image)) {
      return new InventoryScanner(Optional.of(cache), JarInspector.Limits.DEFAULT, List.of(), reporter).inventory(archive, List.of());
    }
  }

  static String describe(ImageInventory inv) {
    return inv.osId() + " " + inv.osVersion() + " " + inv.packages().stream()
        .map(p -> p.ecosystem() + ":" + p.name() + "@" + p.version() + "@" + p.path())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private List<Path> entries(Path cache) throws Exception {
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".entry")).sorted().toList();
    }
  }

  /** The content of an entry: what follows its checksum line. */
  static byte[] body(Path entry) throws Exception {
    byte[] bytes = Files.readAllBytes(entry);
    int eol = 0;
    while (bytes[eol] != '\n') {
      eol++;
    }
    return java.util.Arrays.copyOfRange(bytes, eol + 1, bytes.length);
  }

  private Path image(String name, List<byte[]> layers) throws Exception {
    return ImageFixtures.archive(tmp.resolve(name), layers);
  }

  @Test
  void aRescanReadsNoLayerAndAnAppOnlyChangeReadsOnlyTheAppLayer() throws Exception {
    List<byte[]> layers = InventoryEndToEndTest.layers();
    Path cache = tmp.resolve("cache");
    Path image = image("v1.tar", layers);
    ImageInventory first = inventory(image, cache, Reporter.SILENT);
    assertEquals(3, first.layersRead());
    assertEquals(3, entries(cache).size());
    ImageInventory second = inventory(image, cache, Reporter.SILENT);
    assertEquals(0, second.layersRead());
    assertEquals(describe(first), describe(second));

    byte[] newApp = new ImageFixtures.Layer()
        .whiteout("app/libs/gone-1.0.jar")
        .file("app/app.jar", ImageFixtures.mavenJar("com.example", "app", "1.1", Map.of()))
        .tarGz();
    ImageInventory changed = inventory(image("v2.tar", List.of(layers.get(0), layers.get(1), newApp)), cache, Reporter.SILENT);
    assertEquals(1, changed.layersRead());
    assertTrue(describe(changed).contains("Maven:com.example:app@1.1@app/app.jar"), describe(changed));
    assertTrue(!describe(changed).contains("log4j"), describe(changed));
  }

  @Test
  void aHalfWrittenOrForeignCacheEntryIsIgnoredAndRewritten() throws Exception {
    Path cache = tmp.resolve("cache");
    Path image = image("v1.tar", InventoryEndToEndTest.layers());
    String want = describe(inventory(image, cache, Reporter.SILENT));
    List<Path> files = entries(cache);
    byte[] good = Files.readAllBytes(files.get(0));
    String digest = JSON.readTree(body(files.get(0))).path("digest").asText();
    List<byte[]> damages = List.of(
        java.util.Arrays.copyOf(good, good.length / 2), // the process died while writing (without the temp file + move)
        new byte[0],
        java.util.Arrays.copyOf(body(files.get(0)), body(files.get(0)).length), // an entry of an older version (no checksum line)
        // entries whose checksum matches, yet whose content is not this layer's complete inventory
        LayerCache.encode(digest, "{\"digest\":\"sha256:0000\"}".getBytes()), // another layer's entry under this name
        LayerCache.encode("sha256:" + "0".repeat(64), body(files.get(0))), // another layer's header
        LayerCache.encode(digest, ("{\"digest\":\"" + digest + "\"}").getBytes()), // valid JSON, fields missing
        LayerCache.encode(digest, ("{\"digest\":\"" + digest + "\",\"packages\":[null],\"textFiles\":{},\"ownedJars\":[],\"written\":[],"
            + "\"whiteouts\":[],\"opaqueDirs\":[],\"symlinks\":{},\"warnings\":[]}").getBytes()));
    for (byte[] damaged : damages) {
      Files.write(files.get(0), damaged);
      Files.writeString(cache.resolve(".layer123.tmp"), "{\"digest\":"); // a crashed writer's temp file
      List<String> warnings = new ArrayList<>();
      ImageInventory inv = inventory(image, cache, new Reporter() {
        @Override
        public void info(String m) {}

        @Override
        public void warn(String m) {
          warnings.add(m);
        }
      });
      assertEquals(want, describe(inv), new String(damaged));
      assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Ignoring the") && w.contains(files.get(0).toString())), warnings.toString());
      assertEquals(1, inv.layersRead(), "only the damaged entry's layer is read again: " + new String(damaged));
      LayerInventory rewritten = JSON.readValue(body(files.get(0)), LayerInventory.class);
      assertEquals(digest, rewritten.digest());
      assertEquals(0, inventory(image, cache, Reporter.SILENT).layersRead(), "rewritten");
    }
  }

  @Test
  void parallelBuildsShareTheCacheSafely() throws Exception {
    Path cache = tmp.resolve("cache");
    Path image = image("v1.tar", InventoryEndToEndTest.layers());
    String want = describe(inventory(image, tmp.resolve("reference-cache"), Reporter.SILENT));
    int n = 6;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      for (int round = 0; round < 3; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          results.add(pool.submit(() -> {
            go.await();
            return describe(inventory(image, cache, Reporter.SILENT));
          }));
        }
        go.countDown();
        for (Future<String> f : results) {
          assertEquals(want, f.get(60, TimeUnit.SECONDS));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // two JVMs at once on a fresh cache
    Path cache2 = tmp.resolve("cache2");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      procs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), InventoryMain.class.getName(), image.toString(), cache2.toString())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("jvm" + i + ".log").toFile()).start());
    }
    for (int i = 0; i < 2; i++) {
      if (!procs.get(i).waitFor(120, TimeUnit.SECONDS)) {
        procs.get(i).destroyForcibly();
      }
      String log = Files.readString(tmp.resolve("jvm" + i + ".log"));
      assertEquals(0, procs.get(i).exitValue(), log);
      assertEquals(want, log.strip());
    }
    for (Path c : List.of(cache, cache2)) {
      assertEquals(3, entries(c).size());
      for (Path e : entries(c)) {
        LayerInventory li = JSON.readValue(body(e), LayerInventory.class);
        assertTrue(e.getFileName().toString().endsWith(li.digest().replace(':', '-') + ".entry"), e.toString());
      }
      try (Stream<Path> s = Files.list(c)) {
        assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temp files left");
      }
      assertEquals(0, inventory(image, c, Reporter.SILENT).layersRead());
    }
    assertTrue(want.contains("Debian:libc6"), want);
    assertTrue(want.contains(InstalledPackage.MAVEN + ":org.apache.logging.log4j:log4j-core@2.14.1"), want);
  }
}
