package dev.imagegate.scan;

import dev.imagegate.github.SourceLocations;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.inventory.ProjectArtifact;
import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.scan.layer.LayerLimits;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.scan.secret.SecretAllowList;
import dev.imagegate.scan.secret.SecretsMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a scan needs.
 *
 * @param outputDirectory {@code target/imagegate}: image.json and image.tar are read, reports written
 * @param database where the vulnerability data comes from
 * @param failOn severities that fail the build
 * @param ignoreUnfixed hide findings without a fix
 * @param ignoreFiles {@code .trivyignore} / {@code .trivyignore.yaml} files (missing ones are skipped)
 * @param severitySource how severity is decided
 * @param layerCache the per-layer inventory cache directory, or empty for none
 * @param project the project's resolved runtime dependencies
 * @param extraAnalyzers more analyzers for the layer walk (e.g. a secrets detector)
 * @param limits jar inspection limits
 * @param pluginVersion for the reports
 * @param secrets which layers the secret detectors read
 * @param allowedSecrets the secrets found in the image that do not fail the gate
 * @param layerLimits how many uncompressed bytes a layer and the image may have, and a metadata file read whole
 * @param allowUnscannedOs let the scan pass although the image holds OS packages it cannot match (an rpm database, an
 *     unknown distribution, dpkg packages without a release): each is logged as a warning and recorded in scan.json
 * @param sources the repository lines {@code scan.sarif}'s results point at (the pom line declaring a package…)
 */
public record ScanRequest(
    Path outputDirectory,
    OsvDatabase.Config database,
    Set<Severity> failOn,
    boolean ignoreUnfixed,
    List<Path> ignoreFiles,
    SeveritySource severitySource,
    Optional<Path> layerCache,
    List<ProjectArtifact> project,
    List<LayerFileAnalyzer> extraAnalyzers,
    JarInspector.Limits limits,
    String pluginVersion,
    SecretsMode secrets,
    SecretAllowList allowedSecrets,
    LayerLimits layerLimits,
    boolean allowUnscannedOs,
    SourceLocations sources) {

  public ScanRequest {
    sources = sources == null ? SourceLocations.NONE : sources;
  }

  /** A request with the default {@link LayerLimits} that fails on OS packages it cannot match. */
  public ScanRequest(Path outputDirectory, OsvDatabase.Config database, Set<Severity> failOn, boolean ignoreUnfixed, List<Path> ignoreFiles,
      SeveritySource severitySource, Optional<Path> layerCache, List<ProjectArtifact> project, List<LayerFileAnalyzer> extraAnalyzers,
      JarInspector.Limits limits, String pluginVersion, SecretsMode secrets, SecretAllowList allowedSecrets) {
    this(outputDirectory, database, failOn, ignoreUnfixed, ignoreFiles, severitySource, layerCache, project, extraAnalyzers, limits, pluginVersion,
        secrets, allowedSecrets, LayerLimits.DEFAULT, false, SourceLocations.NONE);
  }

  /** The same request, letting unscanned OS packages pass with a warning (or not). */
  public ScanRequest withAllowUnscannedOs(boolean allow) {
    return new ScanRequest(outputDirectory, database, failOn, ignoreUnfixed, ignoreFiles, severitySource, layerCache, project, extraAnalyzers,
        limits, pluginVersion, secrets, allowedSecrets, layerLimits, allow, sources);
  }

  /** A request without a secret scan. */
  public ScanRequest(Path outputDirectory, OsvDatabase.Config database, Set<Severity> failOn, boolean ignoreUnfixed, List<Path> ignoreFiles,
      SeveritySource severitySource, Optional<Path> layerCache, List<ProjectArtifact> project, List<LayerFileAnalyzer> extraAnalyzers,
      JarInspector.Limits limits, String pluginVersion) {
    this(outputDirectory, database, failOn, ignoreUnfixed, ignoreFiles, severitySource, layerCache, project, extraAnalyzers, limits, pluginVersion,
        SecretsMode.NONE, SecretAllowList.empty());
  }
}
