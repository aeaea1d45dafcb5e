package dev.imagegate.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagegate.Reporter;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian findings get Trivy's severity with the default configuration (OSV ecosystems Debian and Maven, no {@code GIT}):
 * the Debian urgency first, then NVD's CVSS. A loopback HTTP server serves the shipped real OSV zips and an NVD JSON 2.0
 * feed holding NVD's real metrics of CVE-2023-4911 and CVE-2023-45853 ({@code src/test/resources/nvd}).
 */
class DebianSeverityTest {
  static final Path NVD_DIR = Path.of("src/test/resources/nvd");

  @TempDir Path tmp;

  private HttpServer server;
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", this::serve);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      byte[] body = null;
      if (path.startsWith("/osv/") && path.endsWith("/all.zip")) {
        Path zip = OsvTestData.ZIP_DIR.resolve(path.substring("/osv/".length()));
        body = Files.isRegularFile(zip) ? Files.readAllBytes(zip) : null;
      } else if (path.startsWith("/nvd/")) {
        Path gz = NVD_DIR.resolve(path.substring("/nvd/".length()));
        body = Files.isRegularFile(gz) ? Files.readAllBytes(gz) : null;
      }
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  private OsvIndex open() throws Exception {
    OsvDatabase.Config config = new OsvDatabase.Config(tmp.resolve("cache"), base + "/osv", List.of("Debian", "Maven"), Duration.ofHours(24), false,
        new NvdFeeds(base + "/nvd", List.of("2023")), UpdateLimits.DEFAULT, OsvDatabase.DEFAULT_MAX_AGE);
    return new OsvDatabase(config, Reporter.SILENT, new OsvDownloadTest.MovableClock()).open();
  }

  private static List<Finding> match(OsvIndex index, SeveritySource mode, InstalledPackage p) throws Exception {
    return new Matcher(index, mode, Reporter.SILENT).match(new ImageInventory("debian", "12", "12.1", List.of(p), List.of(), 1));
  }

  private static InstalledPackage deb(String name, String version, String source) {
    return new InstalledPackage("Debian", name, version, source, version, "var/lib/dpkg/status.d/" + name, "sha256:l", "dpkg");
  }

  @Test
  void looneyTunablesInGlibcIsHighFromNvdAndBlocksByDefault() throws Exception {
    try (OsvIndex index = open()) {
      assertEquals(2, index.recordCounts().get("NVD-2023"));
      // OSV's Debian record says urgency "not yet assigned" and carries no CVSS; NVD rates it 7.8
      List<Finding> findings = match(index, SeveritySource.VENDOR, deb("libc6", "2.36-9+deb12u1", "glibc"));
      assertEquals(1, findings.size());
      Finding f = findings.get(0);
      assertEquals("CVE-2023-4911", f.id());
      assertEquals(Severity.HIGH, f.severity(), f.toString());
      assertEquals("nvd", f.severitySource());
      assertEquals(7.8, f.cvssScore());
      Policy.Outcome outcome = new Policy(EnumSet.of(Severity.HIGH, Severity.CRITICAL), true, List.of())
          .apply(findings, LocalDate.of(2026, 3, 1), Reporter.SILENT);
      assertEquals(List.of(f), outcome.blocking());
    }
  }

  @Test
  void zlibMinizipIsCriticalFromNvdAndAnUnscoredCveStaysUnknown() throws Exception {
    try (OsvIndex index = open()) {
      Finding zlib = match(index, SeveritySource.VENDOR, deb("zlib1g", "1:1.2.13.dfsg-1", "zlib")).get(0);
      assertEquals("CVE-2023-45853", zlib.id());
      assertEquals(Severity.CRITICAL, zlib.severity());
      assertNull(zlib.fixed(), "open in bookworm: hidden by ignoreUnfixed, but rated");
      // CVE-2024-6119 is not in the served NVD feed and its Debian record has no score: UNKNOWN, never dropped
      Finding ssl = match(index, SeveritySource.VENDOR, deb("libssl3", "3.0.14-1~deb12u1", "openssl")).stream()
          .filter(x -> x.id().equals("CVE-2024-6119")).findFirst().orElseThrow();
      assertEquals(Severity.UNKNOWN, ssl.severity());
      assertEquals("none", ssl.severitySource());
      // the record's own vector still decides when NVD has nothing: CVE-2026-28388 is HIGH from OSV's 7.5
      Finding own = match(index, SeveritySource.VENDOR, deb("libssl3", "3.0.17-1~deb12u2", "openssl")).get(0);
      assertEquals(Severity.HIGH, own.severity());
      assertEquals("cvss", own.severitySource());
      assertTrue(index.nvd("CVE-2023-4911").v3().startsWith("CVSS:3.1/AV:L"));
    }
  }

  @Test
  void theShippedFeedIsExactlyItsJsonSource() throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(NVD_DIR.resolve("nvdcve-2.0-2023.json.gz")))) {
      assertEquals(Files.readString(NVD_DIR.resolve("nvdcve-2.0-2023.json")), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
