package dev.imagegate.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad database update never replaces a good one: a loopback HTTP server first serves the shipped real OSV zips, then
 * a broken update (every record unparsable, an empty zip, a zip bomb built here, a zip with far fewer records); the
 * database in use must stay {@code current}, the build must say why, and a database too old fails the scan, offline too.
 */
class OsvUpdateRefusalTest {
  private static final List<String> ECOSYSTEMS = List.of("Debian", "Maven");

  @TempDir Path tmp;

  private HttpServer server;
  private String url;
  /** What the server answers for {@code /osv/<Ecosystem>/all.zip}; absent: the shipped zip. */
  private final Map<String, byte[]> overrides = new ConcurrentHashMap<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::serve);
    server.setExecutor(Executors.newFixedThreadPool(2));
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
      String[] parts = ex.getRequestURI().getPath().split("/");
      if (parts.length != 4 || !parts[1].equals("osv") || !parts[3].equals("all.zip")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = overrides.get(parts[2]);
      if (body == null) {
        Path zip = OsvTestData.ZIP_DIR.resolve(parts[2]).resolve("all.zip");
        if (!Files.isRegularFile(zip)) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        body = Files.readAllBytes(zip);
      }
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (IOException e) {
      // the client sees a broken response
    }
  }

  private OsvDatabase db(Path cache, OsvDownloadTest.MovableClock clock, Reporter reporter, boolean offline) {
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

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] shipped(String ecosystem, String... names) throws IOException {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    for (String n : names) {
      entries.put(n, Files.readAllBytes(OsvTestData.JSON_DIR.resolve(ecosystem).resolve(n)));
    }
    return zip(entries);
  }

  /** Every shipped Debian record, each cut in half: none parses. */
  private static byte[] unparsableDebian() throws IOException {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (Stream<Path> s = Files.list(OsvTestData.JSON_DIR.resolve("Debian"))) {
      for (Path p : s.sorted().toList()) {
        byte[] b = Files.readAllBytes(p);
        entries.put(p.getFileName().toString(), Arrays.copyOf(b, b.length / 2));
      }
    }
    return zip(entries);
  }

  /** About 0.5 MB that inflates to 512 MiB: 64 entries of 8 MiB of spaces. */
  private static byte[] bomb() throws IOException {
    byte[] spaces = new byte[8 << 20];
    Arrays.fill(spaces, (byte) ' ');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.setLevel(9);
      for (int i = 0; i < 64; i++) {
        z.putNextEntry(new ZipEntry("BOMB-" + i + ".json"));
        z.write(spaces);
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** Downloads the good database at the clock's time; returns its generation. */
  private String good(Path cache, OsvDownloadTest.MovableClock clock) throws Exception {
    try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
      assertEquals(1, index.advisories("Debian:12", "glibc").size());
    }
    return generation(cache);
  }

  private void assertRefusedAndOldKept(byte[] debianZip, String reason) throws Exception {
    Path cache = tmp.resolve("cache");
    OsvDownloadTest.MovableClock clock = new OsvDownloadTest.MovableClock();
    String kept = good(cache, clock);
    overrides.put("Debian", debianZip);
    clock.now = clock.now.plus(Duration.ofHours(25));
    OsvDownloadTest.Lines lines = new OsvDownloadTest.Lines();
    try (OsvIndex index = db(cache, clock, lines, false).open()) {
      assertEquals("2026-03-01T10:00:00Z", index.meta().get("updatedAt"), "the old database answers");
      assertEquals(1, index.advisories("Debian:12", "glibc").size(), "CVE-2023-4911 is still known");
    }
    assertEquals(kept, generation(cache), "current still names the good database");
    assertEquals(List.of(kept), generations(cache), "the refused import left nothing behind");
    assertTrue(lines.warnings.stream().anyMatch(w -> w.contains("refused") && w.contains(reason)), lines.warnings.toString());
    // with no database to fall back on, the same update is a clear error
    ScanException e = assertThrows(ScanException.class, () -> db(tmp.resolve("empty-cache"), clock, Reporter.SILENT, false).open().close());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(generations(tmp.resolve("empty-cache")).isEmpty());
  }

  @Test
  void anUpdateWhoseRecordsAllFailToParseIsRefused() throws Exception {
    assertRefusedAndOldKept(unparsableDebian(), "could not be parsed");
  }

  @Test
  void anEmptyZipIsRefused() throws Exception {
    assertRefusedAndOldKept(zip(Map.of()), "Debian has no records");
  }

  @Test
  void aZipBombIsStoppedAndRefused() throws Exception {
    byte[] bomb = bomb();
    assertTrue(bomb.length < 2 << 20, "a small zip: " + bomb.length);
    assertRefusedAndOldKept(bomb, "inflates");
  }

  @Test
  void anUpdateWithFarFewerRecordsThanTheDatabaseInUseIsRefused() throws Exception {
    Path cache = tmp.resolve("cache");
    OsvDownloadTest.MovableClock clock = new OsvDownloadTest.MovableClock();
    String kept = good(cache, clock);
    // one real record of the four: a quarter of the database in use
    overrides.put("Debian", shipped("Debian", "DEBIAN-CVE-2024-6119.json"));
    clock.now = clock.now.plus(Duration.ofHours(25));
    OsvDownloadTest.Lines lines = new OsvDownloadTest.Lines();
    try (OsvIndex index = db(cache, clock, lines, false).open()) {
      assertEquals(1, index.advisories("Debian:12", "glibc").size());
    }
    assertEquals(kept, generation(cache));
    assertTrue(lines.warnings.stream().anyMatch(w -> w.contains("refused") && w.contains("Debian has 1 records") && w.contains("4")),
        lines.warnings.toString());
    // three of four is plausible: accepted
    overrides.put("Debian", shipped("Debian", "DEBIAN-CVE-2023-4911.json", "DEBIAN-CVE-2024-6119.json", "DEBIAN-CVE-2026-28388.json"));
    clock.now = clock.now.plus(Duration.ofHours(25));
    try (OsvIndex index = db(cache, clock, Reporter.SILENT, false).open()) {
      assertEquals(clock.now.toString(), index.meta().get("updatedAt"));
    }
  }

  @Test
  void aStaleDatabaseFailsTheScanOfflineTooNamingTheCommandThatRefreshesIt() throws Exception {
    Path cache = tmp.resolve("cache");
    OsvDownloadTest.MovableClock clock = new OsvDownloadTest.MovableClock();
    good(cache, clock);
    clock.now = clock.now.plus(Duration.ofDays(30));
    ScanException e = assertThrows(ScanException.class, () -> db(cache, clock, Reporter.SILENT, true).open().close());
    assertTrue(e.getMessage().contains("30 days old"), e.getMessage());
    assertTrue(e.suggestion().contains("mvn imagegate:scan -Dimagegate.scan.updateIntervalHours=0"), e.suggestion());
    assertTrue(e.suggestion().contains("imagegate.scan.maxDatabaseAge"), e.suggestion());
    // online, a refused update of a stale database is an error too, never a silent use of the old data
    overrides.put("Debian", zip(Map.of()));
    ScanException online = assertThrows(ScanException.class, () -> db(cache, clock, Reporter.SILENT, false).open().close());
    assertTrue(online.getMessage().contains("30 days old") && online.getMessage().contains("Debian has no records"), online.getMessage());
  }

  @Test
  void unparsableRecordsBeyondASmallShareFailTheImport() throws Exception {
    // the four real Debian records plus one broken one: 20 % unparsable
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (Stream<Path> s = Files.list(OsvTestData.JSON_DIR.resolve("Debian"))) {
      for (Path p : s.sorted().toList()) {
        entries.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    entries.put("DEBIAN-CVE-BROKEN.json", "{\"id\": \"DEBIAN-CVE-".getBytes(StandardCharsets.UTF_8));
    overrides.put("Debian", zip(entries));
    ScanException e = assertThrows(ScanException.class,
        () -> db(tmp.resolve("cache"), new OsvDownloadTest.MovableClock(), Reporter.SILENT, false).open().close());
    assertTrue(e.getMessage().contains("1 of 5 Debian records could not be parsed"), e.getMessage());
  }
}
