package dev.imagegate.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Base images of the distributions a scan meets, as their package databases and release files read: the real
 * {@code os-release} of each release and real package names and versions of that release (Ubuntu and Alpine packages
 * cannot be downloaded here, so the images carry their database entries, not the packages' files).
 */
public final class OsImages {
  private OsImages() {}

  /** eclipse-temurin:17-jre of early 2023: Ubuntu 22.04 (jammy), openssl 3.0.2-0ubuntu1.7 (before USN-5844-1). */
  public static final String UBUNTU_2204_OS_RELEASE = """
      PRETTY_NAME="Ubuntu 22.04.1 LTS"
      NAME="Ubuntu"
      VERSION_ID="22.04"
      VERSION="22.04.1 LTS (Jammy Jellyfish)"
      VERSION_CODENAME=jammy
      ID=ubuntu
      ID_LIKE=debian
      HOME_URL="https://www.ubuntu.com/"
      SUPPORT_URL="https://help.ubuntu.com/"
      BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
      PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
      UBUNTU_CODENAME=jammy
      """;

  /** eclipse-temurin:17-jre-alpine of autumn 2023: Alpine 3.18.4, openssl 3.1.3-r0 (before 3.1.4-r0). */
  public static final String ALPINE_318_OS_RELEASE = """
      NAME="Alpine Linux"
      ID=alpine
      VERSION_ID=3.18.4
      PRETTY_NAME="Alpine Linux v3.18"
      HOME_URL="https://alpinelinux.org/"
      BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
      """;

  /** Red Hat Universal Base Image 9.3. */
  public static final String UBI_93_OS_RELEASE = """
      NAME="Red Hat Enterprise Linux"
      VERSION="9.3 (Plow)"
      ID="rhel"
      ID_LIKE="fedora"
      VERSION_ID="9.3"
      PLATFORM_ID="platform:el9"
      PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"
      ANSI_COLOR="0;31"
      LOGO="fedora-logo-icon"
      CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
      HOME_URL="https://www.redhat.com/"
      """;

  /** Wolfi (Chainguard images): an apk database, but not Alpine's releases. */
  public static final String WOLFI_OS_RELEASE = """
      ID=wolfi
      NAME="Wolfi"
      PRETTY_NAME="Wolfi"
      VERSION_ID="20230201"
      HOME_URL="https://wolfi.dev"
      """;

  /** Debian testing: no VERSION_ID, {@code /etc/debian_version} names no number. */
  public static final String DEBIAN_SID_OS_RELEASE = """
      PRETTY_NAME="Debian GNU/Linux trixie/sid"
      NAME="Debian GNU/Linux"
      VERSION_CODENAME=trixie
      ID=debian
      HOME_URL="https://www.debian.org/"
      SUPPORT_URL="https://www.debian.org/support"
      BUG_REPORT_URL="https://bugs.debian.org/"
      """;

  private static String ubuntuStanza(String pkg, String version, String source, String section, String description) {
    return "Package: " + pkg + "\nStatus: install ok installed\nPriority: required\nSection: " + section + "\nInstalled-Size: 1000\n"
        + "Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\nArchitecture: amd64\nMulti-Arch: same\n"
        + (source == null ? "" : "Source: " + source + "\n") + "Version: " + version + "\nDescription: " + description + "\n"
        + "Original-Maintainer: Debian Maintainers <debian@lists.debian.org>\n";
  }

  /** Ubuntu 22.04: {@code /etc/debian_version} says {@code bookworm/sid}, the dpkg database is one status file. */
  public static List<byte[]> ubuntu2204() throws IOException {
    String status = String.join("\n",
        ubuntuStanza("base-files", "12ubuntu4.2", null, "admin", "Debian base system miscellaneous files"),
        ubuntuStanza("libc6", "2.35-0ubuntu3.1", "glibc", "libs", "GNU C Library: Shared libraries"),
        ubuntuStanza("libssl3", "3.0.2-0ubuntu1.7", "openssl", "libs", "Secure Sockets Layer toolkit - shared libraries"),
        ubuntuStanza("zlib1g", "1:1.2.11.dfsg-2ubuntu9.2", "zlib", "libs", "compression library - runtime"),
        // removed, config files left: not installed, never matched
        "Package: libssl1.1\nStatus: deinstall ok config-files\nPriority: optional\nSection: libs\nArchitecture: amd64\nSource: openssl\n"
            + "Version: 1.1.1f-1ubuntu2.16\nDescription: Secure Sockets Layer toolkit - shared libraries\n");
    return List.of(new ImageFixtures.Layer()
        .file("etc/debian_version", "bookworm/sid\n")
        .file("etc/os-release", UBUNTU_2204_OS_RELEASE)
        .file("usr/lib/os-release", UBUNTU_2204_OS_RELEASE)
        .file("etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.1 LTS\"\n")
        .file("var/lib/dpkg/status", status)
        .tarGz());
  }

  private static String apk(String name, String version, String origin, String description, String license, String files) {
    return "P:" + name + "\nV:" + version + "\nA:x86_64\nT:" + description + "\nU:https://www.openssl.org/\nL:" + license + "\no:" + origin
        + "\nm:Ariadne Conill <ariadne@dereferenced.org>\n" + files;
  }

  /** Alpine 3.18.4: {@code /etc/os-release} links to {@code /usr/lib/os-release}; apk's database is lib/apk/db/installed. */
  public static List<byte[]> alpine318() throws IOException {
    String installed = String.join("\n",
        apk("alpine-baselayout-data", "3.4.3-r1", "alpine-baselayout", "Alpine base dir structure and init scripts", "GPL-2.0-only",
            "F:etc\nR:fstab\nR:group\nR:hostname\nR:hosts\nR:passwd\n"),
        apk("libcrypto3", "3.1.3-r0", "openssl", "Crypto library from openssl", "Apache-2.0",
            "F:lib\nR:libcrypto.so.3\nF:usr/lib/engines-3\nR:afalg.so\n"),
        apk("libssl3", "3.1.3-r0", "openssl", "SSL shared libraries", "Apache-2.0", "F:lib\nR:libssl.so.3\n"),
        apk("zlib", "1.2.13-r1", "zlib", "A compression/decompression Library", "Zlib", "F:lib\nR:libz.so.1\nR:libz.so.1.2.13\n"),
        "");
    return List.of(new ImageFixtures.Layer()
        .file("etc/alpine-release", "3.18.4\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/lib/os-release", ALPINE_318_OS_RELEASE)
        .file("lib/apk/db/installed", installed)
        .tarGz());
  }

  /** UBI 9: an rpm database (sqlite since RHEL 9). */
  public static List<byte[]> ubi93() throws IOException {
    return List.of(new ImageFixtures.Layer()
        .file("etc/redhat-release", "Red Hat Enterprise Linux release 9.3 (Plow)\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("usr/lib/os-release", UBI_93_OS_RELEASE)
        .file("var/lib/rpm/rpmdb.sqlite", "SQLite format 3\0".getBytes(StandardCharsets.ISO_8859_1))
        .tarGz());
  }

  /** Wolfi: apk packages of a distribution the scan has no advisories for. */
  public static List<byte[]> wolfi() throws IOException {
    return List.of(new ImageFixtures.Layer()
        .file("etc/os-release", WOLFI_OS_RELEASE)
        .file("lib/apk/db/installed", "P:wolfi-baselayout\nV:20230201-r7\nA:x86_64\nT:Wolfi base layout\nL:MIT\no:wolfi-baselayout\n\n")
        .tarGz());
  }

  /** Debian testing: dpkg packages but no release to match them against. */
  public static List<byte[]> debianSid() throws IOException {
    return List.of(new ImageFixtures.Layer()
        .file("etc/debian_version", "trixie/sid\n")
        .file("etc/os-release", DEBIAN_SID_OS_RELEASE)
        .file("var/lib/dpkg/status.d/libc6", ImageFixtures.stanza("libc6", "2.37-12", "glibc"))
        .tarGz());
  }
}
