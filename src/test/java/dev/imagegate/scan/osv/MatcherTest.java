package dev.imagegate.scan.osv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.version.VersionScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatcherTest {
  @TempDir Path tmp;

  private static InstalledPackage jar(String name, String version) {
    return new InstalledPackage("Maven", name, version, name, version, "app/libs/x.jar", "sha256:l", "pom.properties");
  }

  private static InstalledPackage deb(String name, String version, String source, String sourceVersion) {
    return new InstalledPackage("Debian", name, version, source, sourceVersion, "var/lib/dpkg/status.d/" + name, "sha256:l", "dpkg");
  }

  private List<Finding> match(SeveritySource mode, InstalledPackage... packages) throws Exception {
    try (OsvIndex index = OsvTestData.index(tmp.resolve("idx-" + mode))) {
      return new Matcher(index, mode, Reporter.SILENT).match(new ImageInventory("debian", "12", "12.13", List.of(packages), List.of(), 1));
    }
  }

  @Test
  void log4j2141IsCriticalWithBothCvesCollapsedToOneFindingEach() throws Exception {
    List<Finding> f = match(SeveritySource.VENDOR, jar("org.apache.logging.log4j:log4j-core", "2.14.1"));
    assertEquals(2, f.size(), f.toString());
    Finding shell = f.stream().filter(x -> x.id().equals("CVE-2021-44228")).findFirst().orElseThrow();
    assertEquals(Severity.CRITICAL, shell.severity());
    assertEquals("ghsa", shell.severitySource());
    assertEquals("2.15.0", shell.fixed());
    assertTrue(shell.aliases().contains("GHSA-jfh8-c2jp-5v3q"));
    assertEquals(10.0, shell.cvssScore());
    assertEquals("2.16.0", f.stream().filter(x -> x.id().equals("CVE-2021-45046")).findFirst().orElseThrow().fixed());
  }

  @Test
  void otherLog4jBranchesAndFixedVersions() throws Exception {
    assertEquals("2.12.2", match(SeveritySource.VENDOR, jar("org.apache.logging.log4j:log4j-core", "2.12.1")).get(0).fixed());
    assertEquals("2.3.1", match(SeveritySource.VENDOR, jar("org.apache.logging.log4j:log4j-core", "2.0-beta9")).stream()
        .filter(x -> x.id().equals("CVE-2021-44228")).findFirst().orElseThrow().fixed());
    assertTrue(match(SeveritySource.VENDOR, jar("org.apache.logging.log4j:log4j-core", "2.17.1")).isEmpty());
    assertTrue(match(SeveritySource.VENDOR, jar("org.apache.logging.log4j:log4j-core", "2.0-beta8")).stream()
        .noneMatch(x -> x.id().equals("CVE-2021-44228")));
  }

  @Test
  void snakeyamlIsHighByGhsaButCriticalByCvss() throws Exception {
    Finding vendor = match(SeveritySource.VENDOR, jar("org.yaml:snakeyaml", "1.33")).get(0);
    assertEquals("CVE-2022-1471", vendor.id());
    assertEquals(Severity.HIGH, vendor.severity());
    assertEquals("2.0", vendor.fixed());
    assertEquals(Severity.CRITICAL, match(SeveritySource.CVSS, jar("org.yaml:snakeyaml", "1.33")).get(0).severity());
    assertEquals(Severity.CRITICAL, match(SeveritySource.MAX, jar("org.yaml:snakeyaml", "1.33")).get(0).severity());
    assertTrue(match(SeveritySource.VENDOR, jar("org.yaml:snakeyaml", "2.0")).isEmpty());
  }

  @Test
  void debianMatchesBySourcePackageAndBorrowsTheCvssScore() throws Exception {
    List<Finding> old = match(SeveritySource.VENDOR, deb("libc6", "2.36-9+deb12u1", "glibc", "2.36-9+deb12u1"));
    assertEquals(1, old.size());
    Finding f = old.get(0);
    assertEquals("CVE-2023-4911", f.id());
    assertEquals("libc6", f.pkg());
    assertEquals("glibc", f.source());
    assertEquals("2.36-9+deb12u3", f.fixed());
    assertEquals(Severity.HIGH, f.severity(), "urgency 'not yet assigned' falls back to NVD's 7.8");
    assertEquals("cvss", f.severitySource());
    // the version in the test base image is fixed; u10 > u3 numerically, not lexically
    assertTrue(match(SeveritySource.VENDOR, deb("libc6", "2.36-9+deb12u14", "glibc", "2.36-9+deb12u14")).isEmpty());
    // a binary whose name differs from its source is NOT matched by binary name
    assertTrue(match(SeveritySource.VENDOR, deb("glibc-like", "1", "other", "1")).isEmpty());
    // openssl: fixed in ~deb12u2, installed 3.0.22: not affected; 3.0.14-1~deb12u1 < ~deb12u2: affected
    assertTrue(match(SeveritySource.VENDOR, deb("libssl3", "3.0.22-1~deb12u2", "openssl", "3.0.22-1~deb12u2")).isEmpty());
    assertEquals("3.0.14-1~deb12u2", match(SeveritySource.VENDOR, deb("libssl3", "3.0.14-1~deb12u1", "openssl", "3.0.14-1~deb12u1")).stream()
        .filter(x -> x.id().equals("CVE-2024-6119")).findFirst().orElseThrow().fixed());
    // the old-openssl test base (libssl3 3.0.17-1~deb12u2, bookworm-updates): CVE-2026-28388, fixed in 3.0.19-1~deb12u2,
    // HIGH from the record's own CVSS vector (no Debian urgency); the candidate 3.0.22-1~deb12u2 is not affected
    List<Finding> oldSsl = match(SeveritySource.VENDOR, deb("libssl3", "3.0.17-1~deb12u2", "openssl", "3.0.17-1~deb12u2"));
    assertEquals(List.of("CVE-2026-28388"), oldSsl.stream().map(Finding::id).toList());
    assertEquals("3.0.19-1~deb12u2", oldSsl.get(0).fixed());
    assertEquals("openssl", oldSsl.get(0).source());
    assertEquals(Severity.HIGH, oldSsl.get(0).severity());
    assertEquals("cvss", oldSsl.get(0).severitySource());
    assertEquals(7.5, oldSsl.get(0).cvssScore());
    assertTrue(match(SeveritySource.VENDOR, deb("libssl3", "3.0.19-1~deb12u2", "openssl", "3.0.19-1~deb12u2")).isEmpty());
    // another release's range does not apply
    List<Finding> zlib = match(SeveritySource.VENDOR, deb("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1"));
    assertEquals(1, zlib.size());
    assertNull(zlib.get(0).fixed(), "open in bookworm");
    assertEquals(Severity.CRITICAL, zlib.get(0).severity());
  }

  @Test
  void rangeSemantics() {
    Advisory a = new Advisory("X", List.of(), "", List.of(), null, List.of(new Advisory.Range("ECOSYSTEM", List.of(
        new Advisory.Event("introduced", "1.0"), new Advisory.Event("last_affected", "1.5"),
        new Advisory.Event("introduced", "2.0"), new Advisory.Event("fixed", "2.3")))), List.of("0.5"));
    assertTrue(Matcher.evaluate(VersionScheme.MAVEN, "0.5", a).affected());
    assertFalse(Matcher.evaluate(VersionScheme.MAVEN, "0.9", a).affected());
    assertTrue(Matcher.evaluate(VersionScheme.MAVEN, "1.5", a).affected());
    assertFalse(Matcher.evaluate(VersionScheme.MAVEN, "1.6", a).affected());
    assertEquals("2.3", Matcher.evaluate(VersionScheme.MAVEN, "2.1", a).fixed());
    assertFalse(Matcher.evaluate(VersionScheme.MAVEN, "2.3", a).affected());
  }

  @Test
  void malformedAndWithdrawnRecordsAreSkippedNotFatal() throws Exception {
    List<String> warnings = new ArrayList<>();
    OsvImporter imp = new OsvImporter(new Reporter() {
      public void info(String m) {}

      public void warn(String m) {
        warnings.add(m);
      }
    });
    imp.addRecord("bad.json", "{not json".getBytes());
    imp.addRecord("noid.json", "{\"affected\":[]}".getBytes());
    imp.addRecord("w.json", ("{\"id\":\"GHSA-x\",\"withdrawn\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"Maven\",\"name\":\"a:b\"},"
        + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"}]}]}]}").getBytes());
    imp.addRecord("odd.json", "{\"id\":\"GHSA-y\",\"affected\":[{\"package\":{\"ecosystem\":\"Maven\",\"name\":\"a:b\"},\"ranges\":\"nope\"}]}".getBytes());
    OsvImporter.Result r = imp.write(tmp.resolve("bad"), java.util.Map.of("updatedAt", "2026-01-01T00:00:00Z", "source", "t"));
    assertEquals(2, r.skippedMalformed());
    assertEquals(2, warnings.size());
    try (OsvIndex idx = OsvIndex.open(tmp.resolve("bad"))) {
      assertEquals(List.of("GHSA-y"), idx.advisories("Maven", "a:b").stream().map(Advisory::id).toList());
    }
  }

  @Test
  void shippedZipsHoldExactlyTheJsonSources() throws Exception {
    for (String eco : List.of("Maven", "Debian", "GIT", "Ubuntu", "Alpine")) {
      try (ZipFile zip = new ZipFile(OsvTestData.ZIP_DIR.resolve(eco).resolve("all.zip").toFile());
          var files = Files.list(OsvTestData.JSON_DIR.resolve(eco))) {
        List<Path> sources = files.toList();
        assertEquals(sources.size(), zip.size(), eco);
        for (Path p : sources) {
          var entry = zip.getEntry(p.getFileName().toString());
          assertTrue(entry != null, p + " missing from the zip");
          try (var in = zip.getInputStream(entry)) {
            assertEquals(Files.readString(p), new String(in.readAllBytes()), p.toString());
          }
        }
      }
    }
  }
}
