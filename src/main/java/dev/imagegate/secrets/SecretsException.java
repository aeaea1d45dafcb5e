package dev.imagegate.secrets;

import dev.imagegate.ImagegateException;
import java.util.List;

/** Secrets were found, or the files or the baseline could not be read. */
public class SecretsException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  private final transient List<SecretFinding> findings;

  public SecretsException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
    this.findings = List.of();
  }

  /** Secrets were found: {@code findings} are the ones no baseline entry accepts (for annotations on their lines). */
  public SecretsException(String message, String suggestion, List<SecretFinding> findings) {
    super(message, suggestion, null);
    this.findings = List.copyOf(findings);
  }

  /** The secrets found that fail the check; empty when the failure is of another kind. */
  public List<SecretFinding> findings() {
    return findings == null ? List.of() : findings;
  }
}
