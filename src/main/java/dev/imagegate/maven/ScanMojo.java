package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.scan.ScanException;
import dev.imagegate.scan.ScanRequest;
import dev.imagegate.scan.Scanner;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.inventory.ProjectArtifact;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
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
 * <p>Inventories Debian packages (dpkg status and distroless {@code status.d}) and jars (nested too); a jar without its
 * own {@code pom.properties} takes the GAV of the project's resolved runtime dependency that is the same file (name,
 * size, SHA-1), and only failing that a guess from its MANIFEST, marked as such; matches them against OSV data cached
 * locally; writes
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

  /** OSV ecosystems to download. */
  @Parameter(property = "imagegate.scan.ecosystems", defaultValue = "Debian,Maven")
  private String ecosystems;

  /** The local vulnerability database cache, shared by builds (safe under parallel builds). */
  @Parameter(property = "imagegate.scan.cacheDirectory", defaultValue = "${user.home}/.cache/imagegate/osv")
  private File cacheDirectory;

  /** Refresh the database when it is older than this many hours. */
  @Parameter(property = "imagegate.scan.updateIntervalHours", defaultValue = "24")
  private int updateIntervalHours;

  /** Use the cached database as is, never download (also on with Maven's {@code -o}). */
  @Parameter(property = "imagegate.scan.offline", defaultValue = "false")
  private boolean scanOffline;

  @Parameter(defaultValue = "${session.offline}", readonly = true)
  private boolean sessionOffline;

  /** The per-layer inventory cache (base layers are read once); set {@code imagegate.scan.layerCache=none} to disable. */
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
    ScanRequest request = new ScanRequest(
        outputDirectory.toPath(),
        new OsvDatabase.Config(cacheDirectory.toPath(), databaseUrl.trim(), List.of(ecosystems.trim().split("\\s*,\\s*")),
            Duration.ofHours(updateIntervalHours), scanOffline || sessionOffline),
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
        allowList);
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
