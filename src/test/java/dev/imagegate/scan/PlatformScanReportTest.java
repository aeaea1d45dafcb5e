package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.osv.Finding;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.policy.Policy;
import dev.imagegate.scan.report.ScanReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What scan.json says about each platform's image of a multi-platform image. */
class PlatformScanReportTest {
  // real: CVE-2024-2961 (glibc iconv ISO-2022-CN-EXT), fixed in Debian 12 by glibc 2.36-9+deb12u6 (DSA-5673-1);
  // CVE-2023-4911 (Looney Tunables), fixed by 2.36-9+deb12u3 (DSA-5514-1)
  private static final Finding ICONV = finding("CVE-2024-2961", "2.36-9+deb12u1", "2.36-9+deb12u6", Severity.HIGH);
  private static final Finding TUNABLES = finding("CVE-2023-4911", "2.36-9+deb12u1", "2.36-9+deb12u3", Severity.HIGH);
  private static final Finding ICONV_ARM = finding("CVE-2024-2961", "2.36-9+deb12u4", "2.36-9+deb12u6", Severity.HIGH);

  private static Finding finding(String id, String installed, String fixed, Severity severity) {
    return new Finding(id, List.of(), "glibc", "glibc", "Debian:12", installed, fixed, severity, "debian", 0, "", List.of("var/lib/dpkg/status"));
  }

  private static ImageInventory inventory(String glibc, String warning) {
    return new ImageInventory("debian", "12", "12.5",
        List.of(new InstalledPackage("Debian", "libc6", glibc, "glibc", glibc, "var/lib/dpkg/status", "sha256:" + "0".repeat(64), null)),
        warning == null ? List.of() : List.of(warning), 1, "Debian:12", List.of(), List.of());
  }

  @Test
  void eachPlatformListsItsOwnReportedFindingsAndHowManyBlock() {
    Scanner.PlatformScan amd = new Scanner.PlatformScan("linux/amd64", "sha256:" + "a".repeat(64), inventory("2.36-9+deb12u1", null), null);
    Scanner.PlatformScan arm = new Scanner.PlatformScan("linux/arm64", "sha256:" + "b".repeat(64), inventory("2.36-9+deb12u4", null), null);
    Map<Scanner.PlatformScan, List<Finding>> perPlatform = new LinkedHashMap<>();
    perPlatform.put(amd, List.of(ICONV, TUNABLES));
    perPlatform.put(arm, List.of(ICONV_ARM));
    // the outcome is given (this test is about the split per platform): TUNABLES is not reported (suppressed), ICONV
    // blocks, ICONV_ARM is reported without blocking
    Policy.Outcome outcome = new Policy.Outcome(List.of(ICONV, ICONV_ARM), List.of(ICONV), List.of(), 0, List.of());
    ScanReport single = new ScanReport(1, "sha256:" + "c".repeat(64), "app:sha-1", "2026-03-01T12:00:00Z", null, null, null, null, List.of(),
        List.of(), null, List.of(), null, null, null);

    ScanReport report = Scanner.withPlatforms(single, perPlatform, outcome);

    assertEquals("sha256:" + "c".repeat(64), report.digest(), "the report stays about the index");
    assertEquals(List.of("linux/amd64", "linux/arm64"), report.platforms().stream().map(ScanReport.PlatformEntry::platform).toList());
    assertEquals(List.of(amd.digest(), arm.digest()), report.platforms().stream().map(ScanReport.PlatformEntry::digest).toList());
    ScanReport.PlatformEntry amdEntry = report.platforms().get(0);
    assertEquals(List.of("CVE-2024-2961 glibc 2.36-9+deb12u1"), amdEntry.findings());
    assertEquals(1, amdEntry.blocking());
    assertEquals(1, amdEntry.packages());
    assertEquals(new ScanReport.Os("debian", "12", "12.5"), amdEntry.os());
    ScanReport.PlatformEntry armEntry = report.platforms().get(1);
    assertEquals(List.of("CVE-2024-2961 glibc 2.36-9+deb12u4"), armEntry.findings());
    assertEquals(0, armEntry.blocking());
  }

  @Test
  void theReportedInventoryIsTheUnionWithWarningsNamingTheirPlatform() {
    Scanner.PlatformScan amd = new Scanner.PlatformScan("linux/amd64", "sha256:" + "a".repeat(64), inventory("2.36-9+deb12u1", null), null);
    Scanner.PlatformScan arm = new Scanner.PlatformScan("linux/arm64", "sha256:" + "b".repeat(64),
        inventory("2.36-9+deb12u4", "a jar could not be identified"), null);
    ImageInventory union = Scanner.union(List.of(amd, arm));
    assertEquals(List.of("2.36-9+deb12u1", "2.36-9+deb12u4"), union.packages().stream().map(InstalledPackage::version).toList());
    assertEquals(List.of("linux/arm64: a jar could not be identified"), union.warnings());
    assertEquals(2, union.layersRead());
    // a package both platforms hold (the same record) counts once
    assertEquals(1, Scanner.union(List.of(amd, amd)).packages().size());
  }
}
