package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.report.CycloneDxLibraryReference;
import dev.imagegate.scan.report.CycloneDxWriter;
import dev.imagegate.scan.report.ScanReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sbom.cdx.json} is streamed with jackson-core: it must be byte for byte the document cyclonedx-core-java writes
 * for the same scan ({@link CycloneDxLibraryReference}, the writer before), and valid against the library's CycloneDX
 * 1.6 JSON schema: for a real scan (the inventory of {@link InventoryEndToEndTest}'s image matched against the real OSV
 * records of the test data) and for every optional part and awkward string a scan can produce.
 */
class CycloneDxStreamingTest {
  private static final String DIGEST = "sha256:" + "b".repeat(64);
  @TempDir Path tmp;

  private static void assertSameAsTheLibrary(ScanReport report, ImageInventory inventory) throws Exception {
    String library = CycloneDxLibraryReference.render(report, inventory, "0.1.0-test");
    String streamed = CycloneDxWriter.render(report, inventory, "0.1.0-test");
    assertEquals(library, streamed);
    // the library's own validator needs a json-schema-validator other than the one the tests use: the same schema
    // files (shipped in the library) through ReportSchemaTest's offline mapping
    assertEquals(Set.of(), ReportSchemaTest.schema("http://cyclonedx.org/schema/bom-1.6.schema.json").validate(new ObjectMapper().readTree(streamed)));
  }

  @Test
  void theSbomOfARealScanIsTheDocumentTheLibraryWrites() throws Exception {
    Path out = tmp.resolve("target/imagegate");
    Scanner.Result result = InventoryEndToEndTest.scanned(tmp, out);
    assertTrue(result.report().findings().size() >= 3, "findings to put in the SBOM: " + result.report().findings());
    assertTrue(result.inventory().packages().stream().anyMatch(p -> !p.osPackage()) && result.inventory().packages().stream().anyMatch(InstalledPackage::osPackage),
        "jars and OS packages: " + result.inventory().packages());
    // what the scan itself wrote is that document
    assertEquals(CycloneDxLibraryReference.render(result.report(), result.inventory(), "0.1.0-test"), Files.readString(out.resolve(CycloneDxWriter.FILE_NAME)));
    assertSameAsTheLibrary(result.report(), result.inventory());
  }

  @Test
  void everyOptionalPartAndAwkwardStringIsWrittenAsTheLibraryWritesIt() throws Exception {
    List<InstalledPackage> packages = new ArrayList<>(List.of(
        new InstalledPackage(InstalledPackage.DEBIAN, "libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", "var/lib/dpkg/status", "sha256:1", "dpkg"),
        new InstalledPackage(InstalledPackage.DEBIAN, "libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", "var/lib/dpkg/status.d/libssl3", "sha256:2",
            "dpkg"), // the same purl twice: one component
        new InstalledPackage(InstalledPackage.UBUNTU, "zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1", "var/lib/dpkg/status", "sha256:1", null),
        new InstalledPackage(InstalledPackage.ALPINE, "musl", "1.2.4-r2", "musl", "1.2.4-r2", "lib/apk/db/installed", "sha256:1", "apk"),
        new InstalledPackage(InstalledPackage.MAVEN, "org.yaml:snakeyaml", "1.33", "org.yaml:snakeyaml", "1.33", "app/libs/snakeyaml-1.33.jar", "sha256:3",
            "pom.properties"),
        new InstalledPackage(InstalledPackage.MAVEN, "org.springframework:spring-core", "6.1.14", "org.springframework:spring-core", "6.1.14",
            "app/libs/spring-core-6.1.14.jar", "sha256:3", "project"),
        new InstalledPackage(InstalledPackage.MAVEN, "Apache Software Foundation:commons weird \"name\"", "2.0 β", "x", "2.0 β",
            "app/libs/wéird name.jar", "sha256:3", "manifest-guess")));
    List<ScanReport.FindingEntry> findings = List.of(
        finding("GHSA-mjmj-j48q-9wg2", "SnakeYaml Constructor Deserialization Remote Code Execution", "org.yaml:snakeyaml", "1.33", "2.0", "CRITICAL", 9.8),
        finding("DEBIAN-CVE-2023-5678", "  a title\twith a tab,\r\na line break and  two spaces, \"quotes\", </script> and ünïcödé  ", "libssl3",
            "3.0.11-1~deb12u2", null, "MEDIUM", 5.3),
        finding("CVE-2023-45853", " ", "zlib1g", "1:1.2.13.dfsg-1", null, "UNKNOWN", 0),
        finding("GHSA-none-none-none", null, "org.yaml:snakeyaml", "9.9", "10.0", "HIGH", 10.0),
        finding("GHSA-4wrc-f8pq-fpqp", "Spring Framework URL parsing with host validation", "org.springframework:spring-core", "6.1.14", "6.1.15", "LOW", 3.1));
    ScanReport report = report(DIGEST, "app:1.0", "2026-03-01T12:34:56.789123456Z", findings);
    assertSameAsTheLibrary(report, new ImageInventory("debian", "12", "12.5", packages, List.of(), 1));
    assertSameAsTheLibrary(report(DIGEST, null, "2026-12-31T23:59:59.999Z", findings), new ImageInventory(null, null, null, packages, List.of(), 1));
  }

  @Test
  void anImageWithNothingInItIsWrittenAsTheLibraryWritesIt() throws Exception {
    assertSameAsTheLibrary(report(DIGEST, "scratch:1", "2026-03-01T12:00:00Z", List.of()), new ImageInventory(null, null, null, List.of(), List.of(), 1));
  }

  private static ScanReport.FindingEntry finding(String id, String title, String pkg, String installed, String fixed, String severity, double cvss) {
    return new ScanReport.FindingEntry(id, List.of(), title, pkg, pkg, "Maven", installed, fixed, severity, "ghsa", cvss, true, List.of());
  }

  private static ScanReport report(String digest, String image, String scannedAt, List<ScanReport.FindingEntry> findings) {
    return new ScanReport(1, digest, image, scannedAt, null, null, null, null, findings, List.of(), null, List.of(), null, null, null);
  }
}
