package dev.imagegate.scan.report;

import dev.imagegate.AtomicWrite;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code target/imagegate/scan.json}, schema version 1 (documented in {@code src/site/markdown/scan.md}). Fields are
 * only ever added within a schema version; a change of meaning bumps {@code schemaVersion}.
 *
 * @param schemaVersion 1
 * @param digest the scanned image's manifest digest (equals image.json's)
 * @param image the image name and tag from image.json
 * @param scannedAt when the scan ran (ISO-8601)
 * @param os the operating system found
 * @param database the vulnerability database used
 * @param policy the policy applied
 * @param summary counts
 * @param findings the reported findings (not suppressed, not hidden by ignoreUnfixed), worst first
 * @param suppressed findings hidden by an ignore rule
 * @param packages how many packages of each ecosystem were found
 * @param warnings what could not be read
 * @param secrets secrets found in the image's layers (never the secret: its SHA-1), allowed ones included and marked
 * @param secretsNotSearched files of the layers the secret scan reads that are over its size limit (5 MiB) and were not
 *     searched, by path in the image (absent when the secret scan is off)
 * @param jars every jar of the image (nested ones too) with the identity the scan matched advisories against and how
 *     it was found; a MANIFEST.MF identity is marked {@code guess}, a jar nothing identifies has no GAV
 * @param platforms for a multi-platform image (an image index: {@code digest} is the index's), what the scan found in
 *     each platform's image; absent for a single image. The findings, packages and jars above are then the union of
 *     every platform's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScanReport(
    int schemaVersion,
    String digest,
    String image,
    String scannedAt,
    Os os,
    Database database,
    PolicyInfo policy,
    Summary summary,
    List<FindingEntry> findings,
    List<SuppressedEntry> suppressed,
    Packages packages,
    List<String> warnings,
    List<SecretEntry> secrets,
    List<String> secretsNotSearched,
    List<JarEntry> jars,
    List<PlatformEntry> platforms) implements HandoverRecord {

  /** A report of a single image. */
  public ScanReport(int schemaVersion, String digest, String image, String scannedAt, Os os, Database database, PolicyInfo policy,
      Summary summary, List<FindingEntry> findings, List<SuppressedEntry> suppressed, Packages packages, List<String> warnings,
      List<SecretEntry> secrets, List<String> secretsNotSearched, List<JarEntry> jars) {
    this(schemaVersion, digest, image, scannedAt, os, database, policy, summary, findings, suppressed, packages, warnings, secrets,
        secretsNotSearched, jars, null);
  }

  /**
   * One platform's image of a multi-platform image.
   *
   * @param platform e.g. {@code linux/arm64}
   * @param digest its image manifest digest
   * @param os the operating system found in it
   * @param packages how many OS and Maven packages it holds
   * @param findings its reported findings, as {@code <id> <package> <installed version>}
   * @param blocking how many of them block
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlatformEntry(String platform, String digest, Os os, int packages, List<String> findings, int blocking) {}

  /** A report without a secret scan. */
  public ScanReport(int schemaVersion, String digest, String image, String scannedAt, Os os, Database database, PolicyInfo policy,
      Summary summary, List<FindingEntry> findings, List<SuppressedEntry> suppressed, Packages packages, List<String> warnings) {
    this(schemaVersion, digest, image, scannedAt, os, database, policy, summary, findings, suppressed, packages, warnings, null, null, null);
  }

  /** A report without the jar list. */
  public ScanReport(int schemaVersion, String digest, String image, String scannedAt, Os os, Database database, PolicyInfo policy,
      Summary summary, List<FindingEntry> findings, List<SuppressedEntry> suppressed, Packages packages, List<String> warnings,
      List<SecretEntry> secrets) {
    this(schemaVersion, digest, image, scannedAt, os, database, policy, summary, findings, suppressed, packages, warnings, secrets, null, null);
  }

  public static final int SCHEMA_VERSION = 1;
  public static final HandoverFile FILE = HandoverFile.SCAN;
  public static final String FILE_NAME = "scan.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** @param family the os-release {@code ID} ({@code debian}, {@code ubuntu}, {@code alpine}…) or null; @param release the major release ({@code 12}); @param version as stated ({@code 12.5}) */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Os(String family, String release, String version) {}

  /**
   * The vulnerability database a scan used.
   *
   * @param updatedAt when the local index was last refreshed
   * @param source the OSV base URL it came from
   * @param ecosystems the OSV ecosystems imported
   * @param nvd the NVD feeds imported for CVSS vectors ({@code <url> <feed,…>}, or {@code none})
   * @param records records imported from each source ({@code Debian}, {@code Maven}, {@code NVD-2024}…)
   * @param ageHours how old the database was when the scan used it, in hours
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Database(String updatedAt, String source, String ecosystems, String nvd, Map<String, Integer> records, double ageHours) {
    public Database(String updatedAt, String source, String ecosystems) {
      this(updatedAt, source, ecosystems, null, null, 0);
    }
  }

  /** @param secrets the secret scan's layers: {@code app}, {@code all} or {@code none} (null when not recorded) */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PolicyInfo(List<String> failOn, boolean ignoreUnfixed, String severitySource, String ignoreFile, String secrets) {
    public PolicyInfo(List<String> failOn, boolean ignoreUnfixed, String severitySource, String ignoreFile) {
      this(failOn, ignoreUnfixed, severitySource, ignoreFile, null);
    }
  }

  /**
   * Counts of reported findings by severity, plus blocking, suppressed and unfixed-hidden counts; {@code secrets} are
   * the secrets found and not allowed (each blocks, like a CRITICAL finding, and is not counted in {@code blocking}),
   * {@code secretsAllowed} those an allow-list entry accepts. {@code passed} is false when anything blocks.
   */
  public record Summary(int critical, int high, int medium, int low, int unknown, int blocking, int suppressed, int unfixedHidden, boolean passed,
      int secrets, int secretsAllowed) {
    public Summary(int critical, int high, int medium, int low, int unknown, int blocking, int suppressed, int unfixedHidden, boolean passed) {
      this(critical, high, medium, low, unknown, blocking, suppressed, unfixedHidden, passed, 0, 0);
    }
  }

  /**
   * A secret found in a layer: the layer's digest, the file's absolute path in the image, the line, the
   * detect-secrets type and the SHA-1 of the secret; {@code allowedBy} is the allow-list entry that accepts it, or
   * null when it blocks.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretEntry(String layer, String path, int line, String type, String hashedSecret, boolean blocking, String allowedBy) {}

  /**
   * How many packages of each ecosystem were found; {@code jarsGuessed} of the maven ones are only a guess from a
   * MANIFEST.MF, and {@code jarsUnidentified} jars could not be identified at all (neither is matched reliably).
   */
  public record Packages(int debian, int maven, int ubuntu, int alpine, int jarsGuessed, int jarsUnidentified) {
    public Packages(int debian, int maven) {
      this(debian, maven, 0, 0, 0, 0);
    }

    /** OS packages of any distribution. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int os() {
      return debian + ubuntu + alpine;
    }
  }

  /**
   * One jar's identity: {@code identifiedBy} is {@code pom.properties}, {@code project} (the project's resolved artifact
   * that is the same file: name, size and SHA-1), {@code MANIFEST.MF} (a guess: {@code guess} is true) or {@code none}
   * (no GAV: nothing identifies it).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JarEntry(String path, String groupId, String artifactId, String version, String identifiedBy, boolean guess) {}

  /** One finding. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FindingEntry(
      String id,
      List<String> aliases,
      String title,
      String packageName,
      String sourcePackage,
      String ecosystem,
      String installed,
      String fixed,
      String severity,
      String severitySource,
      double cvssScore,
      boolean blocking,
      List<String> paths) {}

  /** One suppressed finding: its id, package, the reason and the expiry of the rule. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SuppressedEntry(String id, String packageName, String installed, String severity, String reason, String expires, String rule) {}

  public void write(Path directory) throws IOException {
    writeAtomically(directory, FILE_NAME, JSON.writeValueAsBytes(this));
  }

  /** A report with one of every part, for the warm-ups (nothing a scan found). */
  static ScanReport sample() {
    String digest = "sha256:" + "0".repeat(64);
    return new ScanReport(SCHEMA_VERSION, digest, "warm-up:0", "2026-01-01T00:00:00Z", new Os("debian", "12", "12.0"),
        new Database("2026-01-01T00:00:00Z", "file:/", "Maven", "none", Map.of("Maven", 1), 1.0),
        new PolicyInfo(List.of("HIGH"), true, "VENDOR", null, "app"), new Summary(0, 1, 0, 0, 0, 1, 1, 0, false, 1, 0),
        List.of(new FindingEntry("CVE-0000-0000", List.of("GHSA-0000-0000-0000"), "warm-up", "g:a", null, "Maven", "1", "2", "HIGH", "ghsa", 7.5, true,
            List.of("app/libs/a-1.jar"))),
        List.of(new SuppressedEntry("CVE-0000-0001", "g:a", "1", "LOW", "warm-up", null, "file:1")), new Packages(0, 1, 0, 0, 0, 0), List.of("warm-up"),
        List.of(new SecretEntry(digest, "/a", 1, "warm-up", "0".repeat(40), true, null)), List.of(),
        List.of(new JarEntry("app/libs/a-1.jar", "g", "a", "1", "pom.properties", false)),
        List.of(new PlatformEntry("linux/amd64", digest, new Os("debian", "12", "12.0"), 1, List.of("CVE-0000-0000 g:a 1"), 1)));
  }

  /**
   * Renders {@link #sample()} with scan.json's own mapper and throws it away: the serializers of every part are then
   * built (and cached in that mapper) on the spare thread that runs this at the scan's start, not when scan.json is
   * written. Nothing is written.
   */
  public static void warmUp() {
    try {
      JSON.writeValueAsBytes(sample());
    } catch (IOException | RuntimeException e) {
      // only a warm-up: writing scan.json reports its own failure
    }
  }

  /** Reads scan.json of the image {@code digest}: missing, unreadable or of another image, refused. */
  public static ScanReport read(Path directory, String digest) throws HandoverException {
    return FILE.read(directory, digest, ScanReport.class);
  }

  /** Reads scan.json of the image {@code digest} when there is one; one of another image is refused. */
  public static Optional<ScanReport> readIfPresent(Path directory, String digest) throws HandoverException {
    return FILE.readIfPresent(directory, digest, ScanReport.class);
  }

  static void writeAtomically(Path directory, String name, byte[] bytes) throws IOException {
    AtomicWrite.replace(directory.resolve(name), bytes);
  }
}
