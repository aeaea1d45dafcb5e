package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.ScanRequest;
import dev.imagegate.scan.Scanner;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.inventory.ProjectArtifact;
import dev.imagegate.scan.layer.LayerLimits;
import dev.imagegate.scan.osv.NvdFeeds;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.scan.osv.UpdateLimits;
import dev.imagegate.scan.secret.SecretAllowList;
import dev.imagegate.scan.secret.SecretsMode;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Scans the image that {@code build} wrote ({@code target/imagegate/image.tar}, the exact bytes {@code push} will
 * upload) for known vulnerabilities and fails the build on the policy: the drop-in for
 * {@code trivy image --severity HIGH,CRITICAL --ignore-unfixed --exit-code 1}.
 *
 * <p>Inventories Debian and Ubuntu packages (dpkg status and distroless {@code status.d}), Alpine packages (apk) and
 * jars (nested too); a jar without its own {@code pom.properties} takes the GAV of the project's resolved runtime
 * dependency that is the same file (name, size, SHA-1), and only failing that a guess from its MANIFEST, marked as
 * such; matches them against OSV data cached locally; writes
 * {@code target/imagegate/scan.json}, {@code scan.sarif} and {@code sbom.cdx.json}.
 */
@Mojo(name = "scan", defaultPhase = LifecyclePhase.VERIFY, requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class ScanMojo extends AbstractImagegateMojo {

  /** Severities that fail the build, comma separated: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL. */
  @Parameter(property = "imagegate.scan.failOn", defaultValue = "HIGH,CRITICAL")
  private String failOn;

  /** Hide vulnerabilities that have no fixed version yet (Trivy's {@code --ignore-unfixed}). */
  @Parameter(property = "imagegate.scan.ignoreUnfixed", defaultValue = "true")
  private boolean ignoreUnfixed;

  /**
   * The ignore file: {@code .trivyignore} format (one id a line, {@code #} comments, {@code exp:YYYY-MM-DD}), or a
   * {@code .trivyignore.yaml}. A missing file is fine. A {@code .trivyignore.yaml} beside the project is read too.
   */
  @Parameter(property = "imagegate.scan.ignoreFile", defaultValue = "${project.basedir}/.trivyignore")
  private File ignoreFile;

  /** How severity is decided: VENDOR (Debian urgency / GHSA first, as Trivy), CVSS (score first), or MAX. */
  @Parameter(property = "imagegate.scan.severitySource", defaultValue = "VENDOR")
  private String severitySource;

  /**
   * Where OSV data is downloaded from: a base URL holding {@code <Ecosystem>/all.zip} ({@code http(s)://},
   * {@code file://}) or a local directory. Point it at a mirror when the public bucket is not reachable.
   */
  @Parameter(property = "imagegate.scan.databaseUrl", defaultValue = OsvDatabase.DEFAULT_URL)
  private String databaseUrl;

  /**
   * OSV ecosystems to download. The ecosystem of the image's own operating system ({@code Ubuntu} for an Ubuntu base,
   * {@code Alpine} for an Alpine one) and {@code Maven} when the image holds jars are always added, so the default works
   * for any base image the scan covers.
   */
  @Parameter(property = "imagegate.scan.ecosystems", defaultValue = "Debian,Maven")
  private String ecosystems;

  /** The local vulnerability database cache, shared by builds (safe under parallel builds). */
  @Parameter(property = "imagegate.scan.cacheDirectory", defaultValue = "${user.home}/.cache/imagegate/osv")
  private File cacheDirectory;

  /** Refresh the database when it is older than this many hours. */
  @Parameter(property = "imagegate.scan.updateIntervalHours", defaultValue = "24")
  private int updateIntervalHours;

  /**
   * Where NVD's CVE JSON 2.0 feeds ({@code nvdcve-2.0-<year>.json.gz}) are downloaded from: an {@code http(s)://} or
   * {@code file://} base URL or a local directory. Only each CVE's CVSS vectors are kept; they rate a finding whose vendor
   * (Debian urgency, GHSA) gives no severity, as Trivy does. {@code none} turns them off (logged): most Debian findings
   * are then UNKNOWN and do not block.
   */
  @Parameter(property = "imagegate.scan.nvdUrl", defaultValue = NvdFeeds.DEFAULT_URL)
  private String nvdUrl;

  /** The NVD feeds to read, comma separated ({@code 2002} … {@code 2026}); empty: every year from 2002 to the current one. */
  @Parameter(property = "imagegate.scan.nvdFeeds")
  private String nvdFeeds;

  /**
   * The oldest vulnerability database a scan accepts, in days; an older one fails the scan (offline too) with the command
   * that refreshes it. Raising it is logged at every scan that uses an older database.
   */
  @Parameter(property = "imagegate.scan.maxDatabaseAge", defaultValue = "3")
  private int maxDatabaseAge;

  /**
   * A database update with fewer records in some source (an OSV ecosystem, an NVD feed) than this percentage of the
   * database in use is refused: the database in use stays, with a warning.
   */
  @Parameter(property = "imagegate.scan.minRecordPercent", defaultValue = "50")
  private int minRecordPercent;

  /** A downloaded archive that inflates to more than this multiple of its size is refused (a zip bomb). */
  @Parameter(property = "imagegate.scan.maxCompressionRatio", defaultValue = "100")
  private int maxCompressionRatio;

  /** The most an update's downloaded archives may inflate to, in megabytes, all together. */
  @Parameter(property = "imagegate.scan.maxInflatedMegabytes", defaultValue = "8192")
  private long maxInflatedMegabytes;

  /** The most minutes one database update (downloads and import) may take, holding the lock other builds wait for. */
  @Parameter(property = "imagegate.scan.maxUpdateMinutes", defaultValue = "10")
  private int maxUpdateMinutes;

  /** Use the cached database as is, never download (also on with Maven's {@code -o}). */
  @Parameter(property = "imagegate.scan.offline", defaultValue = "false")
  private boolean scanOffline;

  @Parameter(defaultValue = "${session.offline}", readonly = true)
  private boolean sessionOffline;

  /**
   * The per-layer inventory cache (base layers are read once; each layer's secret findings), which also remembers the
   * SHA-1 of the project's resolved artifacts by file status (see the scan page); set
   * {@code imagegate.scan.layerCache=none} to disable both.
   */
  @Parameter(property = "imagegate.scan.layerCache", defaultValue = "${user.home}/.cache/imagegate/scan-layers")
  private String layerCache;

  /**
   * Which layers the secret detectors of {@code detect-secrets} read: {@code app} (the layers the build added on top of
   * the base image, the default), {@code all} (the base image's too) or {@code none}. A secret found fails the build
   * like a CRITICAL vulnerability unless {@code allowedSecrets} accepts it.
   */
  @Parameter(property = "imagegate.scan.secrets", defaultValue = "app")
  private String secrets;

  /**
   * Secrets found in the image that do not fail the build: each entry a hashed secret (the 40-hex {@code hashedSecret}
   * of {@code scan.json}), accepted anywhere in the image, or {@code <path in the image>:<hashed secret>}, accepted in
   * that file only. As a property: comma separated.
   */
  @Parameter(property = "imagegate.scan.allowedSecrets")
  private List<String> allowedSecrets;

  /**
   * The most uncompressed bytes one layer may inflate to, in MiB. A layer past it fails the scan (a gzip bomb is
   * stopped here instead of running for minutes); raise it for an image with a genuinely larger layer.
   */
  @Parameter(property = "imagegate.scan.maxLayerMegabytes", defaultValue = "4096")
  private long maxLayerMegabytes;

  /**
   * The most uncompressed bytes all the layers one scan reads may inflate to together, in MiB (layers served by the
   * layer cache are not inflated and do not count). Past it the scan fails, naming the layer it stopped in.
   */
  @Parameter(property = "imagegate.scan.maxImageMegabytes", defaultValue = "16384")
  private long maxImageMegabytes;

  /**
   * The largest metadata file (dpkg {@code status}, {@code status.d/*}, {@code md5sums}, apk {@code installed}…) the
   * scan reads whole, in MiB. A larger one fails the scan, naming the file: its packages could not be checked.
   */
  @Parameter(property = "imagegate.scan.maxMetadataFileMegabytes", defaultValue = "16")
  private long maxMetadataFileMegabytes;

  /**
   * Let the scan pass although the image holds operating system packages it cannot match against advisories: an rpm
   * database (UBI, Amazon Linux), a distribution it has no advisories for (os-release {@code ID}), or dpkg/apk packages
   * whose release is not stated. Without it such an image fails the scan; with it, each unchecked database is logged
   * as a warning and listed in {@code scan.json}'s warnings.
   */
  @Parameter(property = "imagegate.scan.allowUnscannedOs", defaultValue = "false")
  private boolean allowUnscannedOs;

  /** Skips the scan goal only. */
  @Parameter(property = "imagegate.scan.skip", defaultValue = "false")
  private boolean skipScan;

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    Set<Severity> fail = EnumSet.noneOf(Severity.class);
    SeveritySource source;
    try {
      for (String s : failOn.split(",")) {
        if (!s.isBlank()) {
          fail.add(Severity.parse(s));
        }
      }
      source = SeveritySource.valueOf(severitySource.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ScanException("Bad scan parameter: " + e.getMessage(),
          "imagegate.scan.failOn takes UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL; imagegate.scan.severitySource takes VENDOR, CVSS, MAX.");
    }
    LayerLimits layerLimits;
    try {
      layerLimits = LayerLimits.ofMegabytes(maxLayerMegabytes, maxImageMegabytes, maxMetadataFileMegabytes);
    } catch (IllegalArgumentException e) {
      throw new ScanException("Bad scan parameter: " + e.getMessage(),
          "imagegate.scan.maxLayerMegabytes, imagegate.scan.maxImageMegabytes and imagegate.scan.maxMetadataFileMegabytes take a positive number of MiB.");
    }
    SecretsMode secretsMode;
    SecretAllowList allowList;
    try {
      secretsMode = SecretsMode.parse(secrets);
      List<String> allowed = new ArrayList<>();
      for (String entry : allowedSecrets == null ? List.<String>of() : allowedSecrets) {
        allowed.addAll(List.of(entry.split(",")));
      }
      allowList = SecretAllowList.parse(allowed);
    } catch (IllegalArgumentException e) {
      throw new ScanException("Bad scan parameter: " + e.getMessage(),
          "imagegate.scan.secrets takes app, all or none; imagegate.scan.allowedSecrets takes <hashedSecret> or <path>:<hashedSecret> entries.");
    }
    List<ProjectArtifact> deps = new ArrayList<>();
    for (Artifact a : project.getArtifacts()) {
      if (a.getFile() != null) {
        deps.add(new ProjectArtifact(a.getGroupId(), a.getArtifactId(), a.getVersion(), a.getFile().toPath()));
      }
    }
    Artifact own = project.getArtifact();
    if (own != null && own.getFile() != null) {
      deps.add(new ProjectArtifact(own.getGroupId(), own.getArtifactId(), own.getVersion(), own.getFile().toPath()));
    }
    List<Path> ignores = new ArrayList<>();
    ignores.add(ignoreFile.toPath());
    Path yaml = project.getBasedir().toPath().resolve(".trivyignore.yaml");
    if (!yaml.equals(ignoreFile.toPath())) {
      ignores.add(yaml);
    }
    if (maxDatabaseAge < 1 || minRecordPercent < 0 || minRecordPercent > 100 || maxCompressionRatio < 1 || maxInflatedMegabytes < 1 || maxUpdateMinutes < 1) {
      throw new ScanException("Bad scan parameter: maxDatabaseAge " + maxDatabaseAge + ", minRecordPercent " + minRecordPercent + ", maxCompressionRatio "
          + maxCompressionRatio + ", maxInflatedMegabytes " + maxInflatedMegabytes + ", maxUpdateMinutes " + maxUpdateMinutes,
          "imagegate.scan.maxDatabaseAge (days), maxCompressionRatio, maxInflatedMegabytes and maxUpdateMinutes take positive numbers;"
              + " imagegate.scan.minRecordPercent 0 to 100.");
    }
    NvdFeeds nvd;
    if (nvdUrl == null || nvdUrl.isBlank() || nvdUrl.trim().equals("none")) {
      reporter.warn("NVD data is off (imagegate.scan.nvdUrl=none): findings the vendor does not rate are rated only by CVSS vectors in the OSV records;"
          + " most Debian findings are then UNKNOWN and do not block.");
      nvd = NvdFeeds.NONE;
    } else if (nvdFeeds == null || nvdFeeds.isBlank()) {
      nvd = NvdFeeds.yearly(nvdUrl.trim(), java.time.Year.now(java.time.ZoneOffset.UTC).getValue());
    } else {
      nvd = new NvdFeeds(nvdUrl.trim(), List.of(nvdFeeds.trim().split("\\s*,\\s*")));
    }
    UpdateLimits limits = new UpdateLimits(maxInflatedMegabytes << 20, maxCompressionRatio, Duration.ofMinutes(maxUpdateMinutes), minRecordPercent / 100.0,
        UpdateLimits.DEFAULT.maxUnparsableShare());
    ScanRequest request = new ScanRequest(
        outputDirectory.toPath(),
        new OsvDatabase.Config(cacheDirectory.toPath(), databaseUrl.trim(), List.of(ecosystems.trim().split("\\s*,\\s*")),
            Duration.ofHours(updateIntervalHours), scanOffline || sessionOffline, nvd, limits, Duration.ofDays(maxDatabaseAge)),
        fail,
        ignoreUnfixed,
        ignores,
        source,
        layerCache == null || layerCache.isBlank() || layerCache.equals("none") ? Optional.empty() : Optional.of(Path.of(layerCache)),
        deps,
        List.of(),
        JarInspector.Limits.DEFAULT,
        pluginVersion(),
        secretsMode,
        allowList,
        layerLimits,
        allowUnscannedOs,
        sourceLocations());
    Scanner.Result result = new Scanner(reporter, Clock.systemUTC()).scan(request);
    reporter.info(Scanner.summaryLine(result.report(), (System.nanoTime() - started) / 1e9));
    Scanner.enforce(result);
  }

  @Override
  protected boolean skipGoal() {
    return skipScan;
  }

  @Override
  protected String goalName() {
    return "imagegate:scan";
  }
}
