package dev.imagegate.scan;

import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.scan.secret.SecretAllowList;
import dev.imagegate.scan.secret.SecretsMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A scan that fails at once (its output directory has no image.json) while the warm-up it started is still loading
 * classes: {@code DaemonThreadsTest} runs it in a class loader it then closes, as Maven closes a plugin's realm after a
 * failed goal.
 */
public final class FailingScan {
  private FailingScan() {}

  /** The scan's failure message. */
  public static String run(String missingDirectory) {
    Path out = Path.of(missingDirectory);
    OsvDatabase.Config db = new OsvDatabase.Config(out.resolve("osv-cache"), out.resolve("osv").toString(), List.of("Debian", "Maven"), Duration.ofDays(1), true);
    ScanRequest request = new ScanRequest(out, db, Set.of(Severity.HIGH, Severity.CRITICAL), false, List.of(), SeveritySource.VENDOR, Optional.empty(),
        List.of(), List.of(), JarInspector.Limits.DEFAULT, "test", SecretsMode.APP, SecretAllowList.empty());
    try {
      new Scanner(Reporter.SILENT, Clock.systemUTC()).scan(request);
      return "the scan did not fail";
    } catch (ScanException e) {
      return e.getMessage();
    }
  }
}
