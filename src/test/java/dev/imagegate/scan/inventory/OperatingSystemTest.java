package dev.imagegate.scan.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imagegate.scan.OsImages;
import org.junit.jupiter.api.Test;

/** os-release first; the OSV ecosystem names as osv.dev spells them. */
class OperatingSystemTest {
  @Test
  void osReleaseDecidesAndDebianVersionDoesNotMakeUbuntuDebian() {
    assertEquals(new OperatingSystem("ubuntu", "22.04", "22.04.1", "Ubuntu:22.04:LTS"),
        OperatingSystem.identify(OsImages.UBUNTU_2204_OS_RELEASE, "bookworm/sid\n", null));
    assertEquals(new OperatingSystem("ubuntu", "24.10", "24.10", "Ubuntu:24.10"),
        OperatingSystem.identify("ID=ubuntu\nVERSION_ID=\"24.10\"\nVERSION=\"24.10 (Oracular Oriole)\"\n", "trixie/sid\n", null));
    assertEquals(new OperatingSystem("debian", "12", "12.5", "Debian:12"),
        OperatingSystem.identify("ID=debian\nVERSION_ID=\"12\"\n", "12.5\n", null));
    assertEquals(new OperatingSystem("alpine", "3.18", "3.18.4", "Alpine:v3.18"),
        OperatingSystem.identify(OsImages.ALPINE_318_OS_RELEASE, null, "3.18.4\n"));
  }

  @Test
  void withoutOsReleaseTheDistributionFilesDecide() {
    assertEquals(new OperatingSystem("debian", "12", "12.13", "Debian:12"), OperatingSystem.identify(null, "12.13\n", null));
    assertEquals(new OperatingSystem("alpine", "3.19", "3.19.1", "Alpine:v3.19"), OperatingSystem.identify(null, null, "3.19.1\n"));
    assertEquals(OperatingSystem.NONE, OperatingSystem.identify(null, null, null));
    assertEquals(OperatingSystem.NONE, OperatingSystem.identify(null, "trixie/sid\n", null));
  }

  @Test
  void whatCannotBeMatchedHasNoEcosystem() {
    assertEquals(null, OperatingSystem.identify(OsImages.DEBIAN_SID_OS_RELEASE, "trixie/sid\n", null).ecosystem());
    assertEquals(null, OperatingSystem.identify(OsImages.UBI_93_OS_RELEASE, null, null).ecosystem());
    assertEquals("rhel 9.3", OperatingSystem.identify(OsImages.UBI_93_OS_RELEASE, null, null).label());
    assertEquals(null, OperatingSystem.identify(OsImages.WOLFI_OS_RELEASE, null, null).ecosystem());
    assertEquals("an unidentified operating system", OperatingSystem.NONE.label());
  }
}
