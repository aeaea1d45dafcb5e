package dev.imagegate.scan.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import dev.imagegate.scan.ScanRequest;
import dev.imagegate.scan.Scanner;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.OsvTestData;
import dev.imagegate.scan.osv.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.scan.ImageFixtures;
import dev.imagegate.scan.osv.Finding;
import dev.imagegate.scan.osv.Matcher;
import dev.imagegate.scan.osv.OsvImporter;
import dev.imagegate.scan.osv.OsvIndex;
import dev.imagegate.scan.osv.SeveritySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jar's identity: its own pom.properties; else the project's resolved artifact that is the same file (name, size,
 * SHA-1); a MANIFEST.MF guess only as the last resort. Spring Framework jars carry no pom.properties, and their
 * MANIFEST names them {@code spring.web:spring-web}: only the resolved artifact gives {@code org.springframework}.
 */
class JarIdentityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private byte[] springWeb;
  private byte[] springCore;
  private byte[] springAop;
  private List<ProjectArtifact> resolved;
  private byte[] layer;

  /** A jar as Spring's Gradle build writes it: classes and a MANIFEST, no META-INF/maven. */
  static byte[] manifestOnlyJar(String title, String module, String version) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", ("Manifest-Version: 1.0\nImplementation-Title: " + title + "\nAutomatic-Module-Name: " + module
        + "\nImplementation-Version: " + version + "\n").getBytes(StandardCharsets.UTF_8));
    entries.put("org/springframework/" + module + "/X.class", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61});
    return ImageFixtures.jar(entries);
  }

  private ProjectArtifact resolvedArtifact(String g, String a, String v, byte[] content) throws Exception {
    Path file = Files.createDirectories(tmp.resolve("m2").resolve(g.replace('.', '/')).resolve(a).resolve(v)).resolve(a + "-" + v + ".jar");
    Files.write(file, content);
    return new ProjectArtifact(g, a, v, file);
  }

  @BeforeEach
  void jars() throws Exception {
    springWeb = manifestOnlyJar("spring-web", "spring.web", "6.1.14");
    springCore = manifestOnlyJar("spring-core", "spring.core", "6.1.14");
    springAop = manifestOnlyJar("spring-aop", "spring.aop", "6.1.14");
    byte[] otherAop = manifestOnlyJar("spring-aop", "spring.aop", "6.1.14-patched");
    resolved = List.of(
        resolvedArtifact("org.springframework", "spring-web", "6.1.14", springWeb),
        resolvedArtifact("org.springframework", "spring-core", "6.1.14", springCore),
        // the image's spring-aop-6.1.14.jar is not this file: same name, other bytes
        resolvedArtifact("org.springframework", "spring-aop", "6.1.14", otherAop));
    layer = layer();
  }

  private ImageInventory inventory(Optional<Path> cache, List<ProjectArtifact> project) throws Exception {
    Path file = ImageFixtures.archive(tmp.resolve("image.tar"), List.of(layer));
    try (OciArchive archive = OciArchive.open(file)) {
      return new InventoryScanner(cache, JarInspector.Limits.DEFAULT, List.of(), Reporter.SILENT).inventory(archive, project);
    }
  }

  /** One layer: two Spring jars in app/libs, a jar without metadata, a fat jar holding spring-core. */
  private byte[] layer() throws Exception {
    byte[] fat = ImageFixtures.mavenJar("com.example", "app", "1.0", Map.of("BOOT-INF/lib/spring-core-6.1.14.jar", springCore));
    return new ImageFixtures.Layer()
        .file("app/libs/spring-web-6.1.14.jar", springWeb)
        .file("app/libs/spring-aop-6.1.14.jar", springAop)
        .file("app/libs/nothing-1.0.jar", ImageFixtures.jar(Map.of("a/B.class", new byte[] {1, 2, 3})))
        .file("app/app.jar", fat)
        .tarGz();
  }

  private static Set<String> identities(ImageInventory inv) {
    return inv.packages().stream().map(p -> p.path() + " " + p.name() + ":" + p.version() + " " + p.identifiedBy())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void aJarWithoutPomPropertiesTakesTheGavOfTheResolvedArtifactThatIsTheSameFile() throws Exception {
    ImageInventory inv = inventory(Optional.empty(), resolved);
    assertEquals(new TreeSet<>(List.of(
        "app/libs/spring-web-6.1.14.jar org.springframework:spring-web:6.1.14 project",
        "app/app.jar!BOOT-INF/lib/spring-core-6.1.14.jar org.springframework:spring-core:6.1.14 project",
        "app/app.jar com.example:app:1.0 pom.properties",
        // same name as a resolved artifact, other bytes: only a guess, marked as one
        "app/libs/spring-aop-6.1.14.jar spring.aop:spring-aop:6.1.14 MANIFEST.MF")), identities(inv));
    assertEquals(List.of("app/libs/spring-aop-6.1.14.jar"), inv.guessedJars().stream().map(InstalledPackage::path).toList());
    assertEquals(List.of("app/libs/nothing-1.0.jar"), inv.unidentifiedJars());
    assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("app/libs/spring-aop-6.1.14.jar: has the name of the project's resolved "
        + "org.springframework:spring-aop:6.1.14 but not its bytes")), inv.warnings().toString());
    assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("app/libs/nothing-1.0.jar: a jar without Maven metadata")), inv.warnings().toString());
  }

  @Test
  void withoutTheProjectTheManifestIsOnlyAGuess() throws Exception {
    ImageInventory inv = inventory(Optional.empty(), List.of());
    assertTrue(identities(inv).contains("app/libs/spring-web-6.1.14.jar spring.web:spring-web:6.1.14 MANIFEST.MF"), identities(inv).toString());
    assertEquals(3, inv.guessedJars().size());
  }

  @Test
  void theLayerCacheKeepsWhatTheProjectNeedsToNameTheJars() throws Exception {
    Path cache = tmp.resolve("layer-cache");
    ImageInventory cold = inventory(Optional.of(cache), List.of());
    ImageInventory warm = inventory(Optional.of(cache), resolved);
    assertEquals(1, cold.layersRead());
    assertEquals(0, warm.layersRead());
    assertEquals(identities(inventory(Optional.empty(), resolved)), identities(warm));
  }

  @Test
  void scanJsonAndTheSbomListEveryJarWithItsIdentityAndMarkTheGuesses() throws Exception {
    Path out = tmp.resolve("target/imagegate");
    ImageFixtures.buildOutput(out, List.of(layer));
    ScanRequest request = new ScanRequest(out,
        new OsvDatabase.Config(tmp.resolve("osv"), OsvTestData.ZIP_DIR.toAbsolutePath().toString(), List.of("Debian", "Maven"), Duration.ofHours(24), false),
        Set.of(Severity.HIGH, Severity.CRITICAL), false, List.of(), SeveritySource.VENDOR, Optional.empty(), resolved, List.of(),
        JarInspector.Limits.DEFAULT, "0.1.0-test");
    Scanner.Result r = new Scanner(Reporter.SILENT, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC)).scan(request);

    JsonNode scan = JSON.readTree(out.resolve("scan.json").toFile());
    Map<String, String> jars = new java.util.TreeMap<>();
    for (JsonNode j : scan.path("jars")) {
      jars.put(j.path("path").asText(), j.path("groupId").asText("-") + ":" + j.path("artifactId").asText("-") + ":" + j.path("version").asText("-")
          + " " + j.path("identifiedBy").asText() + (j.path("guess").asBoolean() ? " guess" : ""));
    }
    assertEquals(Map.of(
        "app/libs/spring-web-6.1.14.jar", "org.springframework:spring-web:6.1.14 project",
        "app/app.jar!BOOT-INF/lib/spring-core-6.1.14.jar", "org.springframework:spring-core:6.1.14 project",
        "app/app.jar", "com.example:app:1.0 pom.properties",
        "app/libs/spring-aop-6.1.14.jar", "spring.aop:spring-aop:6.1.14 MANIFEST.MF guess",
        "app/libs/nothing-1.0.jar", "-:-:- none"), jars);
    assertEquals(1, scan.path("packages").path("jarsGuessed").asInt());
    assertEquals(1, scan.path("packages").path("jarsUnidentified").asInt());
    assertTrue(Scanner.summaryLine(r.report(), 1.0).contains("4 maven packages, 1 jars identified by guess, 1 jars not identified"),
        Scanner.summaryLine(r.report(), 1.0));

    JsonNode sbom = JSON.readTree(out.resolve("sbom.cdx.json").toFile());
    Map<String, String> guessedInSbom = new java.util.TreeMap<>();
    for (JsonNode c : sbom.path("components")) {
      for (JsonNode p : c.path("properties")) {
        if (p.path("name").asText().equals("imagegate:identityGuessed")) {
          guessedInSbom.put(c.path("purl").asText(), p.path("value").asText());
        }
      }
    }
    assertEquals(Map.of("pkg:maven/spring.aop/spring-aop@6.1.14", "true"), guessedInSbom);
    assertTrue(sbom.path("components").findValuesAsText("purl").contains("pkg:maven/org.springframework/spring-web@6.1.14"));
  }

  @Test
  void theSpringFrameworkAdvisoryIsMatchedOnceTheJarIsNamedByTheProject() throws Exception {
    OsvImporter importer = new OsvImporter(Reporter.SILENT);
    Path record = Path.of("src/test/resources/osv-jar-identity/GHSA-6r3c-xf4w-jxjm.json");
    importer.addRecord(record.toString(), Files.readAllBytes(record));
    importer.write(tmp.resolve("idx"), Map.of("updatedAt", "2026-01-01T00:00:00Z", "source", "test"));
    try (OsvIndex index = OsvIndex.open(tmp.resolve("idx"))) {
      Matcher matcher = new Matcher(index, SeveritySource.VENDOR, Reporter.SILENT);
      List<Finding> guessed = matcher.match(inventory(Optional.empty(), List.of()));
      assertFalse(guessed.stream().anyMatch(f -> f.id().equals("CVE-2025-41234")), guessed.toString());
      List<Finding> named = matcher.match(inventory(Optional.empty(), resolved));
      Finding rfd = named.stream().filter(f -> f.id().equals("CVE-2025-41234")).findFirst().orElseThrow(() -> new AssertionError(named.toString()));
      assertEquals("org.springframework:spring-web", rfd.pkg());
      assertEquals("6.1.21", rfd.fixed());
    }
  }
}
