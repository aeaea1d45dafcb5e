package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.secrets.SecretScanner;
import dev.imagegate.secrets.SecretsCheck;
import dev.imagegate.secrets.SecretsReport;
import dev.imagegate.secrets.SecretsRequest;
import dev.imagegate.secrets.SecretsSource;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Parameter;

/** What the two secrets goals share: the files scanned and the baseline. */
abstract class AbstractSecretsMojo extends AbstractImagegateMojo {

  /**
   * The detect-secrets baseline file (Yelp's {@code .secrets.baseline} JSON format). Default:
   * {@code .secrets.baseline} at the root of the git working tree, where the detect-secrets pre-commit hook keeps it.
   */
  @Parameter(property = "imagegate.secrets.baseline")
  protected File baseline;

  /**
   * Scan the whole git working tree instead of only the project's sub-tree (the default, so that each module of a
   * repository scans its own files).
   */
  @Parameter(property = "imagegate.secrets.wholeRepository", defaultValue = "false")
  protected boolean wholeRepository;

  /**
   * Glob patterns ({@code java.nio.file.PathMatcher} syntax) of files not to scan, matched against the path relative to
   * the repository root and to the project, e.g. {@code <exclude>src/test/resources/fixtures/**</exclude>}.
   */
  @Parameter
  protected List<String> excludes = new ArrayList<>();

  /**
   * Files larger than this many bytes are not searched (binary files never are): each is named in a warning and counted
   * in the summary line. Raise it to search them, or list them in {@code excludes}.
   */
  @Parameter(property = "imagegate.secrets.maxFileSize", defaultValue = "" + SecretScanner.DEFAULT_MAX_FILE_SIZE)
  protected long maxFileSize;

  /** Skips the secrets goals. */
  @Parameter(property = "imagegate.secrets.skip", defaultValue = "false")
  protected boolean skipSecrets;

  /** Which contents this run reads: the working tree unless the goal says otherwise. */
  protected SecretsSource source() throws ImagegateException {
    return SecretsSource.WORKTREE;
  }

  /** Whether this run writes the baseline instead of checking against it. */
  protected abstract boolean writesBaseline();

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    SecretsRequest request =
        new SecretsRequest(
            project.getBasedir().toPath(),
            wholeRepository,
            Optional.ofNullable(baseline).map(File::toPath),
            writesBaseline(),
            excludes == null ? List.of() : excludes,
            maxFileSize,
            source());
    SecretsReport report = new SecretsCheck(reporter).run(request);
    String baselineName = report.root().relativize(report.baseline()).toString();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (report.baselineWritten()) {
      reporter.info(
          String.format(
              Locale.ROOT,
              "imagegate:%s wrote %s with %d finding(s) (%d files scanned, %d skipped: %d binary, %d too large, not searched) in %.2f s",
              goalName().substring("imagegate:".length()),
              baselineName,
              report.accepted().size(),
              report.filesScanned(),
              report.filesSkipped(),
              report.binary(),
              report.tooLarge().size(),
              seconds));
      report.accepted().forEach(f -> reporter.info("  accepted " + f.location()));
    } else {
      reporter.info(
          String.format(
              Locale.ROOT,
              "imagegate:detect-secrets no new secrets: %d " + (request.source() == SecretsSource.STAGED ? "staged " : "") + "files scanned, %d skipped (%d binary, %d too large, not searched), %d accepted by %s, in %.2f s",
              report.filesScanned(),
              report.filesSkipped(),
              report.binary(),
              report.tooLarge().size(),
              report.accepted().size(),
              baselineName,
              seconds));
    }
  }

  @Override
  protected boolean skipGoal() {
    return skipSecrets;
  }

  @Override
  protected boolean runsOnPomProjects() {
    return true;
  }
}
