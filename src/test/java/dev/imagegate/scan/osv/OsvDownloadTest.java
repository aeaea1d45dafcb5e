package dev.imagegate.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download path against a real HTTP server on 127.0.0.1 (the JDK's) serving the shipped OSV zips: first
 * download, refresh after the interval, failed downloads keep the old database, concurrent updaters (threads and
 * two JVMs), offline without a cache.
 */
class OsvDownloadTest {
  private static final List<String> ECOSYSTEMS = List.of("Debian", "Maven");
  private static final Duration GUARD = Duration.ofSeconds(60);

  @TempDir Path tmp;

  /** How the server answers the next requests. */
  enum Mode { OK, ERROR_500, CUT_CONNECTION, TRUNCATED_ZIP, BAD_MD5, SLOW }

  private HttpServer server;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private String url;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.parse("2026-03-01T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static final class Lines implements Reporter {
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String m) {}

    @Override
    public void warn(String m) {
      warnings.add(m);
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::serve);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/osv";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(path);
      String[] parts = path.split("/");
      Path zip = OsvTestData.ZIP_DIR.resolve(parts.length > 2 ? parts[2] : "none").resolve("all.zip");
      if (parts.length != 4 || !parts[1].equals("osv") || !parts[3].equals("all.zip") || !Files.isRegularFile(zip)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(zip);
      Mode m = mode.get();
      String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
      switch (m) {
        case ERROR_500 -> ex.sendResponseHeaders(500, -1);
        case CUT_CONNECTION -> {
          ex.sendResponseHeaders(200, body.length); // promises the whole zip, sends half
          ex.getResponseBody().write(body, 0, body.length / 2);
          ex.getResponseBody().flush();
        }
        case TRUNCATED_ZIP -> {
          byte[] half = java.util.Arrays.copyOf(body, body.length / 2); // a consistent but truncated file
          ex.sendResponseHeaders(200, half.length);
          ex.getResponseBody().write(half);
        }
        case BAD_MD5 -> {
          ex.getResponseHeaders().add("x-goog-hash", "crc32c=AAAAAA==,md5=" + Base64.getEncoder().encodeToString(new byte[16]));
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
        }
        default -> {
          ex.getResponseHeaders().add("x-goog-hash", "crc32c=AAAAAA==,md5=" + md5);
          if (m == Mode.SLOW) {
            Thread.sleep(1500); // a slow mirror: concurrent updaters overlap
          }
          ex.sendResponseHeaders(200, body.length);
          OutputStream out = ex.getResponseBody();
          for (int off = 0; off < body.length; off += 4096) {
            out.write(body, off, Math.min(4096, body.length - off));
            if (m == Mode.SLOW) {
              Thread.sleep(20);
            }
          }
        }
      }
    } catch (Exception e) {
      // the client sees a broken response
    }
  }

  private OsvDatabase db(Path cache, Clock clock, Reporter reporter, boolean offline) {
    return new OsvDatabase(new OsvDatabase.Config(cache, url, ECOSYSTEMS, Duration.ofHours(24), offline), reporter, clock);
  }

  private static String generation(Path cache) throws IOException {
    return Files.readString(cache.resolve("current")).trim();
  }

  private static List<String> generations(Path cache) throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gen-")).sorted().toList();
    }
  }

  /** log4j-core advisories in the shipped Maven zip. */
  private int expectedLog4j;

  @BeforeEach
  void countShipped() throws IOException {
    OsvImporter importer = new OsvImporter(Reporter.SILENT);
    importer.addZip(OsvTestData.ZIP_DIR.resolve("Maven/all.zip"));
    importer.write(tmp.resolve("expected"), Map.of("updatedAt", "2026-01-01T00:00:00Z", "source", "test"));
    try (OsvIndex index = OsvIndex.open(tmp.resolve("expected"))) {
      expectedLog4j = log4jAdvisories(index);
    }
    assertTrue(expectedLog4j >= 2, "shipped log4j-core advisories: " + expectedLog4j);
  }

  private static int log4jAdvisories(OsvIndex index) throws IOException {
    return index.advisories("Maven", "org.apache.logging.log4j:log4j-core").size();
  }

  @Test
  void firstDownloadThenCachedThenRefreshedAfterTheInterval() throws Exception {
    Path cache = tmp.resolve("cache");
    MovableClock clock = new MovableClock();
    try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
      assertEquals(List.of("/osv/Debian/all.zip", "/osv/Maven/all.zip"), List.copyOf(requests));
      assertEquals(url, index.meta().get("source"));
      assertEquals("2026-03-01T10:00:00Z", index.meta().get("updatedAt"));
      assertEquals(expectedLog4j, log4jAdvisories(index));
      assertTrue(index.advisories("Debian:12", "glibc").size() >= 1);
    }
    String first = generation(cache);
    clock.now = clock.now.plus(Duration.ofHours(23));
    try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
      assertEquals(2, requests.size(), "no download within the interval");
      assertEquals("2026-03-01T10:00:00Z", index.meta().get("updatedAt"));
    }
    clock.now = clock.now.plus(Duration.ofHours(2));
    try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
      assertEquals(4, requests.size(), "downloaded again after the interval");
      assertEquals("2026-03-02T11:00:00Z", index.meta().get("updatedAt"));
    }
    assertNotEquals(first, generation(cache));
    // no download leftovers
    try (Stream<Path> s = Files.list(cache)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("download-")));
    }
  }

  @Test
  void aFailedDownloadKeepsTheOldDatabase() throws Exception {
    Path cache = tmp.resolve("cache");
    MovableClock clock = new MovableClock();
    db(cache, clock, Reporter.SILENT, false).open().close();
    String kept = generation(cache);
    Instant first = clock.now;
    for (Mode m : List.of(Mode.ERROR_500, Mode.CUT_CONNECTION, Mode.TRUNCATED_ZIP, Mode.BAD_MD5)) {
      mode.set(m);
      clock.now = first.plus(Duration.ofHours(25)); // due for an update, younger than the maximum age
      int before = requests.size();
      Lines lines = new Lines();
      try (OsvIndex index = assertTimeoutPreemptively(GUARD, () -> db(cache, clock, lines, false).open())) {
        assertTrue(requests.size() > before, m + ": tried to download");
        assertEquals("2026-03-01T10:00:00Z", index.meta().get("updatedAt"), m.toString());
        assertEquals(expectedLog4j, log4jAdvisories(index), m + ": the old database still answers");
      }
      assertEquals(kept, generation(cache), m.toString());
      assertEquals(1, lines.warnings.size(), m + " " + lines.warnings);
      assertTrue(lines.warnings.get(0).startsWith("Could not update the vulnerability database from " + url), lines.warnings.get(0));
      assertEquals(List.of(kept), generations(cache), m + ": no half-written generation is left");
    }
  }

  @Test
  void aFailedFirstDownloadIsAClearError() throws Exception {
    mode.set(Mode.ERROR_500);
    ScanException e = assertThrows(ScanException.class, () -> db(tmp.resolve("cache"), new MovableClock(), Reporter.SILENT, false).open());
    assertTrue(e.getMessage().startsWith("Cannot download the vulnerability database from " + url), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.scan.databaseUrl"), e.suggestion());
  }

  @Test
  void offlineWithoutACacheFailsClearlyAndDoesNotDownload() {
    ScanException e = assertThrows(ScanException.class, () -> db(tmp.resolve("cache"), new MovableClock(), Reporter.SILENT, true).open());
    assertTrue(e.getMessage().contains("not in the cache") && e.getMessage().contains("offline"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.scan.cacheDirectory"), e.suggestion());
    assertTrue(requests.isEmpty());
  }

  @Test
  void offlineUsesACacheOlderThanTheUpdateIntervalAsIs() throws Exception {
    Path cache = tmp.resolve("cache");
    MovableClock clock = new MovableClock();
    db(cache, clock, Reporter.SILENT, false).open().close();
    clock.now = clock.now.plus(Duration.ofDays(2)); // within the maximum age (a stale one fails: OsvUpdateRefusalTest)
    java.util.List<String> said = new java.util.ArrayList<>();
    Reporter reporter = new Reporter() {
      @Override
      public void info(String message) {
        said.add(message);
      }

      @Override
      public void warn(String message) {
        said.add(message);
      }
    };
    try (OsvIndex index = db(cache, clock, reporter, true).open()) {
      assertEquals(2, requests.size());
      assertEquals(expectedLog4j, log4jAdvisories(index));
    }
    assertTrue(said.stream().anyMatch(m -> m.startsWith("Offline: the vulnerability database in " + cache) && m.contains("not updated")),
        "the scan says it uses the cached database as it is: " + said);
  }

  @Test
  void aHalfWrittenGenerationIsNotOpened() throws Exception {
    Path cache = tmp.resolve("cache");
    MovableClock clock = new MovableClock();
    db(cache, clock, Reporter.SILENT, false).open().close();
    Path gen = cache.resolve(generation(cache));
    Files.delete(gen.resolve("meta.json")); // as if the process died before writing it
    try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
      assertEquals(4, requests.size(), "downloaded again");
      assertEquals(expectedLog4j, log4jAdvisories(index));
    }
  }

  @Test
  void concurrentUpdatersInOneJvmDownloadOnceAndShareTheResult() throws Exception {
    Path cache = tmp.resolve("cache");
    MovableClock clock = new MovableClock();
    mode.set(Mode.SLOW);
    int n = 4;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(pool.submit(() -> {
          go.await();
          try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
            return index.meta().get("updatedAt") + " " + log4jAdvisories(index);
          }
        }));
      }
      go.countDown();
      for (Future<String> f : results) {
        assertEquals("2026-03-01T10:00:00Z " + expectedLog4j, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2, requests.size(), "one download per ecosystem: " + requests);
    assertEquals(1, generations(cache).size());
  }

  @Test
  void twoJvmsUpdatingAtOnceNeverCorruptTheCache() throws Exception {
    Path cache = tmp.resolve("cache");
    mode.set(Mode.SLOW);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Map<Integer, Process> procs = new ConcurrentHashMap<>();
    for (int i = 0; i < 2; i++) {
      procs.put(i, new ProcessBuilder(java, "-cp", cp, OsvUpdaterMain.class.getName(), cache.toString(), url)
          .redirectErrorStream(true).redirectOutput(tmp.resolve("jvm" + i + ".log").toFile()).start());
    }
    AtomicInteger ok = new AtomicInteger();
    boolean waited = false;
    for (Map.Entry<Integer, Process> p : procs.entrySet()) {
      if (!p.getValue().waitFor(120, TimeUnit.SECONDS)) {
        p.getValue().destroyForcibly();
      }
      String log = Files.readString(tmp.resolve("jvm" + p.getKey() + ".log"));
      assertEquals(0, p.getValue().exitValue(), log);
      assertTrue(log.contains("advisories=" + expectedLog4j), log);
      waited |= log.contains("Waiting for another build");
      ok.incrementAndGet();
    }
    assertEquals(2, ok.get());
    System.out.println("two JVMs: one waited for the other's lock: " + waited);
    assertEquals(2, requests.size(), "the second JVM reused what the first imported: " + requests);
    assertEquals(1, generations(cache).size());
    try (OsvIndex index = OsvIndex.open(cache.resolve(generation(cache)))) {
      assertEquals(expectedLog4j, log4jAdvisories(index));
    }
  }
}
