package dev.imagegate.scan.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.ScanRequest;
import dev.imagegate.scan.Scanner;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.secrets.SecretScanner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret detectors over an image's layers, through the real {@link Scanner} (real OCI archive, real OSV test
 * records): which layers are read, what is skipped, what the reports and messages say, and that the secret itself
 * appears in none of them.
 */
class ImageSecretScanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Made up (AKIA + 16 of [A-Z2-7]); built at run time so that this source holds no key. */
  private static final String KEY_ID = "AKIA" + "Q7MZ3XK4RWT2NB6P";
  private static final String SECRET_KEY = "k9Qz4Lm2Xv8Rt6Wp1Ys3" + "Bn7Dh5Fj0Gc2Ha4Ke8Ui";
  private static final String PROPERTIES =
      "app.name=orders\napp.region=us-west-2\naws_access_key_id=" + KEY_ID + "\naws_secret_access_key=" + SECRET_KEY + "\n";

  @TempDir Path tmp;

  private final List<String> console = new ArrayList<>();
  private final Reporter reporter = new Reporter() {
    @Override
    public void info(String message) {
      console.add(message);
    }

    @Override
    public void warn(String message) {
      console.add("WARN " + message);
    }

    @Override
    public void debug(String message) {
      console.add("DEBUG " + message);
    }
  };

  private static Map<String, byte[]> files(Object... pathAndContent) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < pathAndContent.length; i += 2) {
      Object c = pathAndContent[i + 1];
      m.put((String) pathAndContent[i], c instanceof byte[] b ? b : ((String) c).getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  private static String sha1(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** A base layer with a key in /etc, an application layer with a key in a resource, a binary and a jar holding one. */
  private Path image() throws Exception {
    // an ELF header (magic, class, data, version, padding NULs), then text: binary (NULs before text alone are padding)
    byte[] binary = ("\u007fELF\2\1\1\0\0\0\0\0\0\0\0\0" + PROPERTIES).getBytes(StandardCharsets.UTF_8);
    Path out = tmp.resolve("target/imagegate");
    TestImage.write(out, List.of(
        TestImage.base(files("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "etc/base.conf", "# base\naws_access_key_id=" + KEY_ID + "\n")),
        TestImage.app(files("app/libs/x.jar", PROPERTIES)),
        TestImage.app(files("app/resources/app.properties", PROPERTIES, "app/resources/logo.dat", binary, "app/classes/Main.class", PROPERTIES))));
    return out;
  }

  private Scanner.Result scan(Path out, SecretsMode mode, List<String> allowed) throws Exception {
    return scan(out, mode, allowed, new FilesStreamed());
  }

  /** Counts the files the layer walk streams (it offers every regular file of every layer it reads to each analyzer). */
  private static final class FilesStreamed implements LayerFileAnalyzer {
    int files;

    @Override
    public boolean accepts(String path, long size) {
      files++;
      return false;
    }

    @Override
    public void analyze(LayerFile file, java.io.InputStream content) {
      throw new AssertionError("accepts nothing");
    }

    @Override
    public boolean needsLayer(int layerIndex) {
      return false;
    }
  }

  private Scanner.Result scan(Path out, SecretsMode mode, List<String> allowed, FilesStreamed streamed) throws Exception {
    ScanRequest request = new ScanRequest(out,
        new OsvDatabase.Config(tmp.resolve("osv-cache"), Path.of("src/test/resources/osv-zips").toAbsolutePath().toString(),
            List.of("Debian", "Maven"), Duration.ofHours(24), false),
        EnumSet.of(Severity.HIGH, Severity.CRITICAL), true, List.of(), SeveritySource.VENDOR, Optional.of(tmp.resolve("layer-cache")),
        List.of(), List.of(streamed), JarInspector.Limits.DEFAULT, "test", mode, SecretAllowList.parse(allowed));
    Scanner.Result r = new Scanner(reporter, Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC)).scan(request);
    console.add(Scanner.summaryLine(r.report(), 1.0));
    return r;
  }

  /** Every file and message the scan produced, concatenated. */
  private String everything(Path out, Throwable failure) throws Exception {
    StringBuilder all = new StringBuilder(String.join("\n", console));
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(p -> !p.getFileName().toString().equals("image.tar")).toList()) {
        all.append(Files.readString(p));
      }
    }
    if (failure != null) {
      all.append(failure.getMessage());
      if (failure instanceof dev.imagegate.ImagegateException e) {
        all.append(e.suggestion());
      }
    }
    return all.toString();
  }

  @Test
  void utf16AndCrOnlyFilesAreSearchedWithTheRightLineAndAnOversizedFileIsNamed() throws Exception {
    byte[] utf16 = ("\uFEFF" + PROPERTIES.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_16LE);
    byte[] crOnly = PROPERTIES.replace("\n", "\r").getBytes(StandardCharsets.UTF_8);
    byte[] big = (PROPERTIES + "#".repeat((int) SecretScanner.DEFAULT_MAX_FILE_SIZE)).getBytes(StandardCharsets.UTF_8);
    Path out = tmp.resolve("target/imagegate");
    TestImage.write(out, List.of(
        TestImage.base(files("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")),
        TestImage.app(files("app/resources/windows.properties", utf16, "app/resources/mac.properties", crOnly, "app/resources/big.txt", big))));
    assertThrows(ScanException.class, () -> Scanner.enforce(scan(out, SecretsMode.APP, List.of())));

    JsonNode scan = JSON.readTree(out.resolve("scan.json").toFile());
    List<String> found = new ArrayList<>();
    scan.get("secrets").forEach(s -> found.add(s.get("path").asText() + ":" + s.get("line").asInt() + " " + s.get("hashedSecret").asText()));
    assertEquals(List.of(
        "/app/resources/windows.properties:3 " + sha1(KEY_ID), "/app/resources/windows.properties:4 " + sha1(SECRET_KEY),
        "/app/resources/mac.properties:3 " + sha1(KEY_ID), "/app/resources/mac.properties:4 " + sha1(SECRET_KEY)), found);
    assertEquals("/app/resources/big.txt", scan.path("secretsNotSearched").path(0).asText(), scan.toString());
    assertTrue(console.stream().anyMatch(l -> l.startsWith("WARN ") && l.contains("/app/resources/big.txt") && l.contains("not searched for secrets")),
        console.toString());
    assertTrue(console.get(console.size() - 1).contains("1 files not searched for secrets"), console.get(console.size() - 1));
  }

  @Test
  void appModeFindsTheResourceKeysOnlyAndFailsTheGateNamingFileAndLine() throws Exception {
    Path out = image();
    Scanner.Result r = scan(out, SecretsMode.APP, List.of());

    JsonNode scan = JSON.readTree(out.resolve("scan.json").toFile());
    JsonNode secrets = scan.get("secrets");
    assertEquals(2, secrets.size(), secrets.toString());
    for (JsonNode s : secrets) {
      assertEquals("/app/resources/app.properties", s.get("path").asText());
      assertEquals("AWS Access Key", s.get("type").asText());
      assertTrue(s.get("blocking").asBoolean());
      assertEquals(r.report().secrets().get(0).layer(), s.get("layer").asText());
    }
    assertEquals(List.of(3, 4), List.of(secrets.get(0).get("line").asInt(), secrets.get(1).get("line").asInt()));
    assertEquals(sha1(KEY_ID), secrets.get(0).get("hashedSecret").asText());
    assertEquals(sha1(SECRET_KEY), secrets.get(1).get("hashedSecret").asText());
    // the layer is the third (the resources layer), not the base one
    assertEquals(JSON.readTree(out.resolve("image.json").toFile()).get("layers").get(2).get("digest").asText(), secrets.get(0).get("layer").asText());
    assertEquals(2, scan.get("summary").get("secrets").asInt());
    assertFalse(scan.get("summary").get("passed").asBoolean());
    assertEquals("app", scan.get("policy").get("secrets").asText());

    JsonNode sarif = JSON.readTree(out.resolve("scan.sarif").toFile()).get("runs").get(0);
    List<JsonNode> secretResults = new ArrayList<>();
    sarif.get("results").forEach(n -> {
      if (n.get("ruleId").asText().startsWith("secret/")) {
        secretResults.add(n);
      }
    });
    assertEquals(2, secretResults.size());
    assertEquals("secret/aws-access-key", secretResults.get(0).get("ruleId").asText());
    // no repository file is known here: the result is on the pom, the file in the image is its related location
    JsonNode loc = secretResults.get(1).get("relatedLocations").get(0).get("physicalLocation");
    assertEquals("app/resources/app.properties", loc.get("artifactLocation").get("uri").asText());
    assertEquals(4, loc.get("region").get("startLine").asInt());
    assertEquals("pom.xml", secretResults.get(1).get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText());
    long secretRules = 0;
    for (JsonNode rule : sarif.get("tool").get("driver").get("rules")) {
      secretRules += rule.get("id").asText().startsWith("secret/") ? 1 : 0;
    }
    assertEquals(1, secretRules, "one rule per secret type");

    ScanException e = assertThrows(ScanException.class, () -> Scanner.enforce(r));
    assertTrue(e.getMessage().contains("/app/resources/app.properties:3: AWS Access Key"), e.getMessage());
    assertTrue(e.getMessage().contains("/app/resources/app.properties:4: AWS Access Key"), e.getMessage());
    assertTrue(e.suggestion().contains("/app/resources/app.properties:" + sha1(KEY_ID)), e.suggestion());
    assertTrue(console.stream().anyMatch(l -> l.startsWith("Secret in the image: /app/resources/app.properties:3: AWS Access Key")), console.toString());
    assertTrue(console.stream().anyMatch(l -> l.contains("FAILED") && l.contains("2 secrets, 0 allowed")), console.toString());

    String all = everything(out, e);
    assertFalse(all.contains(KEY_ID), "the key id leaked");
    assertFalse(all.contains(SECRET_KEY), "the secret key leaked");
    assertFalse(all.contains(SECRET_KEY.substring(0, 12)), "part of the secret key leaked");
  }

  @Test
  void allModeAlsoReadsTheBaseLayers() throws Exception {
    Path out = image();
    Scanner.Result r = scan(out, SecretsMode.ALL, List.of());
    List<String> where = r.report().secrets().stream().map(s -> s.path() + ":" + s.line()).toList();
    assertEquals(List.of("/etc/base.conf:2", "/app/resources/app.properties:3", "/app/resources/app.properties:4"), where);
    assertFalse(everything(out, null).contains(KEY_ID));
  }

  @Test
  void noneModeScansNoSecretsAndKeepsTheLayerCache() throws Exception {
    Path out = image();
    Scanner.Result r = scan(out, SecretsMode.NONE, List.of());
    assertNull(r.report().secrets());
    assertFalse(JSON.readTree(out.resolve("scan.json").toFile()).has("secrets"));
    assertTrue(r.report().summary().passed());
    Scanner.enforce(r);
    // a second run is served from the layer cache: no layer read
    assertEquals(0, scan(out, SecretsMode.NONE, List.of()).inventory().layersRead());
    // app mode reads only the two application layers, the base one comes from the cache
    assertEquals(2, scan(out, SecretsMode.APP, List.of()).inventory().layersRead());
  }

  @Test
  void aWarmScanReadsNoLayerRewritesNoEntryAndReportsTheSameSecretsUnderTheCurrentAllowList() throws Exception {
    Path out = image();
    FilesStreamed cold = new FilesStreamed();
    Scanner.Result first = scan(out, SecretsMode.APP, List.of(), cold);
    assertEquals(3, first.inventory().layersRead());
    assertTrue(cold.files >= 5, "the cold scan streams the layers' files: " + cold.files);
    assertEquals(2, first.blockingSecrets().size());
    // age every cache entry: a rewrite would give it a new modification time
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    List<Path> entries;
    try (Stream<Path> s = Files.list(tmp.resolve("layer-cache"))) {
      entries = s.filter(p -> p.toString().endsWith(".entry")).toList();
    }
    assertTrue(entries.size() >= 3, entries.toString());
    for (Path e : entries) {
      Files.setLastModifiedTime(e, old);
    }

    FilesStreamed warm = new FilesStreamed();
    console.clear();
    Scanner.Result second = scan(out, SecretsMode.APP, List.of(sha1(SECRET_KEY)), warm);
    assertEquals(0, second.inventory().layersRead(), "no layer is inflated for the inventory or the secrets");
    assertEquals(0, warm.files, "the walk streamed no file of any layer");
    assertEquals(first.secrets().stream().map(SecretAllowList.Decision::secret).toList(),
        second.secrets().stream().map(SecretAllowList.Decision::secret).toList(), "the same secrets (layer, path, line, type, hash), from the cache");
    // the allow-list is applied after detection: today's list decides, not the one of the scan that filled the cache
    assertEquals(1, second.blockingSecrets().size());
    assertEquals(sha1(KEY_ID), second.blockingSecrets().get(0).secret().hashedSecret());
    String allowedHash = sha1(SECRET_KEY);
    assertTrue(second.secrets().stream().anyMatch(d -> d.allowed() && d.secret().hashedSecret().equals(allowedHash)));
    for (Path e : entries) {
      assertEquals(old, Files.getLastModifiedTime(e), e + " was rewritten");
    }
    assertFalse(console.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("cache")), console.toString());
  }

  @Test
  void aDamagedSecretEntryIsIgnoredAndItsLayerReadAgain() throws Exception {
    Path out = image();
    Scanner.Result first = scan(out, SecretsMode.APP, List.of());
    List<Path> secretEntries;
    try (Stream<Path> s = Files.list(tmp.resolve("layer-cache"))) {
      secretEntries = s.filter(p -> p.getFileName().toString().startsWith("secrets-")).toList();
    }
    assertEquals(2, secretEntries.size(), "one per application layer: " + secretEntries);
    for (Path e : secretEntries) {
      byte[] b = Files.readAllBytes(e);
      b[b.length - 3] ^= 1;
      Files.write(e, b);
    }
    console.clear();
    Scanner.Result second = scan(out, SecretsMode.APP, List.of());
    assertEquals(2, second.inventory().layersRead());
    assertEquals(first.report().secrets(), second.report().secrets());
    assertTrue(console.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("checksum")), console.toString());
  }

  @Test
  void secretEntriesOfAnotherRuleSetAreNotUsed() throws Exception {
    Path out = image();
    scan(out, SecretsMode.APP, List.of());
    ImageSecretAnalyzer a = new ImageSecretAnalyzer(new SecretScanner(), i -> true);
    ImageSecretAnalyzer smaller = new ImageSecretAnalyzer(new SecretScanner(1000), i -> true);
    assertFalse(a.cacheVariant().equals(smaller.cacheVariant()), "the size limit changes what is found");
    assertTrue(a.cacheVariant().matches("secrets-[0-9a-f]{16}-5242880"), a.cacheVariant());
  }

  @Test
  void allowedSecretsPassTheGateAndAreReportedAsAllowed() throws Exception {
    Path out = image();
    Scanner.Result r = scan(out, SecretsMode.APP, List.of("app/resources/app.properties:" + sha1(KEY_ID), sha1(SECRET_KEY).toUpperCase()));
    Scanner.enforce(r);
    JsonNode scan = JSON.readTree(out.resolve("scan.json").toFile());
    assertTrue(scan.get("summary").get("passed").asBoolean());
    assertEquals(0, scan.get("summary").get("secrets").asInt());
    assertEquals(2, scan.get("summary").get("secretsAllowed").asInt());
    assertEquals("app/resources/app.properties:" + sha1(KEY_ID), scan.get("secrets").get(0).get("allowedBy").asText());
    JsonNode results = JSON.readTree(out.resolve("scan.sarif").toFile()).get("runs").get(0).get("results");
    results.forEach(n -> assertFalse(n.get("ruleId").asText().startsWith("secret/"), "allowed secrets are not SARIF results"));
    assertTrue(console.stream().anyMatch(l -> l.contains("PASSED") && l.contains("0 secrets, 2 allowed")), console.toString());
  }

  @Test
  void anAllowEntryForAnotherFileDoesNotAllow() throws Exception {
    Path out = image();
    Scanner.Result r = scan(out, SecretsMode.APP, List.of("/etc/base.conf:" + sha1(KEY_ID), sha1(SECRET_KEY)));
    assertEquals(1, r.blockingSecrets().size());
    assertEquals(3, r.blockingSecrets().get(0).secret().line());
    assertThrows(ScanException.class, () -> Scanner.enforce(r));
  }

  @Test
  void withoutHistoryEveryLayerIsScannedWithAWarning() throws Exception {
    Path out = tmp.resolve("target/imagegate");
    TestImage.write(out, List.of(
        TestImage.base(files("etc/base.conf", "aws_access_key_id=" + KEY_ID + "\n")),
        TestImage.app(files("app/resources/app.properties", PROPERTIES))), false);
    Scanner.Result r = scan(out, SecretsMode.APP, List.of());
    assertEquals(3, r.report().secrets().size());
    assertTrue(console.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("all 2 layers")), console.toString());
  }

  @Test
  void applicationLayersAreTheTrailingLayersTheBuildAdded() throws Exception {
    String history = """
        {"history":[
          {"created_by":"ADD file:1 in /"},
          {"created_by":"CMD [\\"sh\\"]","empty_layer":true},
          {"created_by":"imagegate:0.0.9","author":"Jib","comment":"a base image built by imagegate too"},
          {"created_by":"RUN apt-get install"},
          {"created_by":"imagegate:0.1.0","author":"Jib","comment":"dependencies"},
          {"created_by":"imagegate:0.1.0","author":"Jib","comment":"resources"},
          {"created_by":"imagegate:0.1.0","author":"Jib","comment":"classes"}
        ]}""";
    assertEquals(Optional.of(3), ApplicationLayers.firstApplicationLayer(JSON.readTree(history), 6));
    assertEquals(Optional.empty(), ApplicationLayers.firstApplicationLayer(JSON.readTree(history), 5), "history does not pair with the layers");
    assertEquals(Optional.empty(), ApplicationLayers.firstApplicationLayer(JSON.readTree("{}"), 1));
    assertEquals(Optional.of(1), ApplicationLayers.firstApplicationLayer(JSON.readTree("{\"history\":[{\"comment\":\"auto-generated by Jib\"}]}"), 1));
  }

  @Test
  void analyzerSkipsBinaryLargeAndArchiveFilesAndUnselectedLayers() throws Exception {
    ImageSecretAnalyzer a = new ImageSecretAnalyzer(new SecretScanner(200), i -> i == 1);
    String big = PROPERTIES + "#".repeat(300);
    assertTrue(a.accepts("app/resources/big.properties", big.length()), "larger than the limit: not read, but listed");
    assertFalse(a.accepts("app/libs/x.jar", 100));
    assertFalse(a.accepts("app/classes/Main.CLASS", 100));
    assertFalse(a.accepts("app/empty", 0));
    assertTrue(a.accepts("app/resources/app.properties", PROPERTIES.length()));
    assertTrue(a.accepts("app/jar.d/readme", PROPERTIES.length()), "an extension in a directory name does not count");
    assertFalse(a.needsLayer(0));
    assertTrue(a.needsLayer(1));

    a.analyze(new LayerFileAnalyzer.LayerFile("sha256:l0", 0, "app/resources/app.properties", PROPERTIES.length()), stream(PROPERTIES));
    assertEquals(0, a.findings().size(), "layer 0 is not selected");
    byte[] binary = ("\u007fELF\2\1\1\0\0\0\0\0\0\0\0\0" + PROPERTIES).getBytes(StandardCharsets.UTF_8);
    a.analyze(new LayerFileAnalyzer.LayerFile("sha256:l1", 1, "app/resources/logo", binary.length), new ByteArrayInputStream(binary));
    assertEquals(0, a.findings().size(), "binary content");
    assertEquals(1, a.filesSkipped());
    a.analyze(new LayerFileAnalyzer.LayerFile("sha256:l1", 1, "app/resources/app.properties", PROPERTIES.length()), stream(PROPERTIES));
    assertEquals(2, a.findings().size());
    assertEquals(1, a.filesScanned());
    a.analyze(new LayerFileAnalyzer.LayerFile("sha256:l1", 1, "app/resources/big.properties", big.length()), stream(big));
    assertEquals(List.of("/app/resources/big.properties"), a.tooLarge());
    assertEquals(2, a.findings().size());
    assertEquals(1, a.filesScanned());
    ImageSecret s = a.findings().get(0);
    assertEquals(new ImageSecret("sha256:l1", 1, "/app/resources/app.properties", 3, "AWS Access Key", sha1(KEY_ID)), s);
    assertFalse(s.toString().contains(KEY_ID));
    assertEquals("/app/resources/app.properties:3: AWS Access Key", s.location());
  }

  @Test
  void allowListEntriesAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> SecretAllowList.parse(List.of("app/x.properties:abc")));
    assertThrows(IllegalArgumentException.class, () -> SecretAllowList.parse(List.of(KEY_ID)));
    assertThrows(IllegalArgumentException.class, () -> SecretsMode.parse("layers"));
    assertEquals(SecretsMode.ALL, SecretsMode.parse(" All "));
    SecretAllowList l = SecretAllowList.parse(List.of(" ", "x/y.txt:" + "a".repeat(40), "B".repeat(40)));
    assertEquals(2, l.entries().size());
    assertEquals("/x/y.txt", l.entries().get(0).path());
    assertNull(l.entries().get(1).path());
    assertEquals("b".repeat(40), l.entries().get(1).hashedSecret());
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
