package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.ConsoleReporter;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.osv.Finding;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, defect 3: an image whose operating system the scan cannot match never PASSES in silence. Ubuntu and Alpine
 * images are matched against their own OSV ecosystems (real records: {@code src/test/resources/osv/Ubuntu},
 * {@code .../Alpine}) with the default {@code ecosystems}; an rpm database, an unknown distribution and dpkg packages
 * without a release fail the scan, naming what was not checked, unless {@code allowUnscannedOs} is set.
 */
class OsCoverageScanTest {
  @TempDir Path tmp;
  private final ConsoleReporter reporter = new ConsoleReporter();
  private final List<String> console = reporter.lines();

  private Scanner.Result scan(List<byte[]> layers) throws Exception {
    return scan(layers, false);
  }

  private Scanner.Result scan(List<byte[]> layers, boolean allowUnscannedOs) throws Exception {
    Path out = tmp.resolve("target/imagegate");
    ImageFixtures.buildOutput(out, layers);
    // the plugin's default ecosystems: the OS's own must be added by the scan
    OsvDatabase.Config db = new OsvDatabase.Config(tmp.resolve("osv-cache"), Path.of("src/test/resources/osv-zips").toAbsolutePath().toString(),
        List.of("Debian", "Maven"), Duration.ofHours(24), false);
    ScanRequest request = new ScanRequest(out, db, EnumSet.of(Severity.HIGH, Severity.CRITICAL), true, List.of(), SeveritySource.VENDOR,
        Optional.of(tmp.resolve("layer-cache")), List.of(), List.of(), JarInspector.Limits.DEFAULT, "test")
        .withAllowUnscannedOs(allowUnscannedOs);
    return new Scanner(reporter, Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC)).scan(request);
  }

  @Test
  void ubuntuImageIsMatchedAgainstUbuntuAdvisoriesAndFails() throws Exception {
    Scanner.Result r = scan(OsImages.ubuntu2204());
    assertEquals("ubuntu", r.report().os().family());
    assertEquals("22.04", r.report().os().release());
    Finding f = r.all().stream().filter(x -> x.id().equals("CVE-2023-0286")).findFirst().orElseThrow(() -> new AssertionError(r.all() + "\n" + console));
    assertEquals("libssl3", f.pkg());
    assertEquals("openssl", f.source());
    assertEquals("Ubuntu:22.04:LTS", f.ecosystem());
    assertEquals("3.0.2-0ubuntu1.7", f.installed());
    assertEquals("3.0.2-0ubuntu1.8", f.fixed());
    assertEquals(Severity.HIGH, f.severity(), "Ubuntu priority high");
    assertEquals("ubuntu", f.severitySource());
    ScanException e = assertThrows(ScanException.class, () -> Scanner.enforce(r));
    assertTrue(e.getMessage().contains("CVE-2023-0286"), e.getMessage());
    assertTrue(r.inventory().packages().stream().noneMatch(p -> p.name().equals("libssl1.1")), "config-files only: not installed");
  }

  @Test
  void alpineImageIsMatchedAgainstAlpineAdvisoriesAndFails() throws Exception {
    Scanner.Result r = scan(OsImages.alpine318());
    assertEquals("alpine", r.report().os().family());
    assertEquals("3.18", r.report().os().release());
    assertEquals("3.18.4", r.report().os().version());
    List<Finding> ssl = r.all().stream().filter(x -> x.id().equals("CVE-2023-5363")).toList();
    assertEquals(List.of("libcrypto3", "libssl3"), ssl.stream().map(Finding::pkg).sorted().toList(), r.all() + "\n" + console);
    for (Finding f : ssl) {
      assertEquals("Alpine:v3.18", f.ecosystem());
      assertEquals("openssl", f.source());
      assertEquals("3.1.3-r0", f.installed());
      assertEquals("3.1.4-r0", f.fixed(), "v3.18's fix, not v3.17's 3.0.12-r0");
      assertEquals(Severity.HIGH, f.severity(), "CVSS 7.5");
    }
    assertEquals(4, r.report().packages().alpine());
    assertThrows(ScanException.class, () -> Scanner.enforce(r));
  }

  @Test
  void anRpmDatabaseFailsTheScanNamingWhatWasNotChecked() {
    ScanException e = assertThrows(ScanException.class, () -> scan(OsImages.ubi93()));
    assertTrue(e.getMessage().contains("var/lib/rpm/rpmdb.sqlite"), e.getMessage());
    assertTrue(e.getMessage().contains("rhel 9.3"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.scan.allowUnscannedOs"), e.suggestion());
  }

  @Test
  void theOptOutPassesWithAWarningThatNamesWhatWasNotChecked() throws Exception {
    Scanner.Result r = scan(OsImages.ubi93(), true);
    Scanner.enforce(r);
    assertTrue(r.report().summary().passed());
    assertTrue(console.stream().anyMatch(l -> l.startsWith("WARN ") && l.contains("var/lib/rpm/rpmdb.sqlite") && l.contains("allowUnscannedOs")),
        console.toString());
    assertTrue(r.report().warnings().stream().anyMatch(w -> w.contains("var/lib/rpm/rpmdb.sqlite")), "scan.json records it");
  }

  @Test
  void anUnknownDistributionFails() {
    ScanException e = assertThrows(ScanException.class, () -> scan(OsImages.wolfi()));
    assertTrue(e.getMessage().contains("wolfi"), e.getMessage());
    assertTrue(e.getMessage().contains("lib/apk/db/installed"), e.getMessage());
  }

  @Test
  void dpkgPackagesWithoutAReleaseFail() {
    ScanException e = assertThrows(ScanException.class, () -> scan(OsImages.debianSid()));
    assertTrue(e.getMessage().contains("var/lib/dpkg"), e.getMessage());
    assertTrue(e.getMessage().contains("no release"), e.getMessage());
  }
}
