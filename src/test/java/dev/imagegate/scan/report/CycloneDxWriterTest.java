package dev.imagegate.scan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycloneDxWriterTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void eachVulnerabilityAffectsTheComponentsOfItsPackageAndVersion() throws Exception {
    List<InstalledPackage> packages = List.of(
        new InstalledPackage(InstalledPackage.DEBIAN, "libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", "var/lib/dpkg/status", "sha256:1",
            "dpkg"),
        new InstalledPackage(InstalledPackage.MAVEN, "org.yaml:snakeyaml", "1.33", "org.yaml:snakeyaml", "1.33", "app/libs/snakeyaml-1.33.jar", "sha256:2",
            "pom.properties"),
        new InstalledPackage(InstalledPackage.MAVEN, "org.yaml:snakeyaml", "2.2", "org.yaml:snakeyaml", "2.2", "app/libs/snakeyaml-2.2.jar", "sha256:2",
            "pom.properties"));
    List<ScanReport.FindingEntry> findings = List.of(
        finding("GHSA-mjmj-j48q-9wg2", "org.yaml:snakeyaml", "1.33"), // CVE-2022-1471: fixed in 2.0
        finding("DEBIAN-CVE-2023-5678", "libssl3", "3.0.11-1~deb12u2"),
        finding("GHSA-none-none-none", "org.yaml:snakeyaml", "9.9")); // a version the image does not hold
    JsonNode sbom = new ObjectMapper().readTree(CycloneDxWriter.render(report(findings), inventory(packages), "test"));

    JsonNode vulns = sbom.get("vulnerabilities");
    assertEquals(List.of("pkg:maven/org.yaml/snakeyaml@1.33"), refs(vulns.get(0)));
    assertEquals(List.of("pkg:deb/debian/libssl3@3.0.11-1%7Edeb12u2?arch=amd64&distro=debian-12&upstream=openssl"), refs(vulns.get(1)));
    assertEquals(List.of(), refs(vulns.get(2)));
  }

  /**
   * The SBOM's cost grows with the packages and findings, not with their product: each finding used to look through
   * every component (12,447 findings × 5,000 components on the 1 GB image of scripts/bench/scale, a third of the scan's
   * CPU time). Measured in bytes allocated, not time: 10× the packages and findings must allocate about 10×, where
   * the product grows 100×.
   */
  @Test
  void renderingTenTimesThePackagesAndFindingsCostsAboutTenTimesNotAHundred() throws Exception {
    render(300); // class loading and the JIT
    render(300);
    long small = render(300);
    long large = render(3000);
    double ratio = (double) large / small;
    assertTrue(ratio < 25, "10x the packages and findings allocated " + String.format("%.1f", ratio) + "x the bytes (" + small + " -> " + large + ")");
  }

  /** Bytes this thread allocates rendering the SBOM of {@code n} jars and {@code 2n} findings (two per jar). */
  private static long render(int n) throws Exception {
    List<InstalledPackage> packages = new ArrayList<>();
    List<ScanReport.FindingEntry> findings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "org.gen.g" + (i % 97) + ":artifact" + i;
      packages.add(new InstalledPackage(InstalledPackage.MAVEN, name, "1." + (i % 7), name, "1." + (i % 7), "app/libs/artifact" + i + ".jar", "sha256:2",
          "pom.properties"));
      findings.add(finding("GHSA-" + i + "-a", name, "1." + (i % 7)));
      findings.add(finding("GHSA-" + i + "-b", name, "1." + (i % 7)));
    }
    ScanReport report = report(findings);
    ImageInventory inventory = inventory(packages);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    String sbom = CycloneDxWriter.render(report, inventory, "test");
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(sbom.contains("GHSA-" + (n - 1) + "-b"));
    return allocated;
  }

  private static ScanReport.FindingEntry finding(String id, String pkg, String installed) {
    return new ScanReport.FindingEntry(id, List.of(), "a flaw", pkg, pkg, "Maven", installed, null, "HIGH", "ghsa", 7.5, true, List.of());
  }

  private static ScanReport report(List<ScanReport.FindingEntry> findings) {
    return new ScanReport(1, DIGEST, "app:1.0", "2026-03-01T12:00:00Z", null, null, null, null, findings, List.of(), null, List.of(), null, null, null);
  }

  private static ImageInventory inventory(List<InstalledPackage> packages) {
    return new ImageInventory("debian", "12", "12.5", packages, List.of(), 1);
  }

  private static List<String> refs(JsonNode vulnerability) {
    List<String> refs = new ArrayList<>();
    JsonNode affects = vulnerability.get("affects");
    if (affects != null) {
      affects.forEach(a -> refs.add(a.get("ref").asText()));
    }
    return refs;
  }
}
