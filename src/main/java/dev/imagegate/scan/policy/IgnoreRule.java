package dev.imagegate.scan.policy;

import java.time.LocalDate;
import java.util.List;

/**
 * One ignore entry from {@code .trivyignore} ({@code ID [exp:YYYY-MM-DD]}) or {@code .trivyignore.yaml}
 * ({@code vulnerabilities: [{id, paths, purls, expired_at, statement}]}).
 *
 * @param id the vulnerability id (any alias matches)
 * @param expires the date from which it no longer suppresses, or null
 * @param reason the comment or statement
 * @param paths only these paths in the image (yaml), empty for all
 * @param origin file and line, for messages
 */
public record IgnoreRule(String id, LocalDate expires, String reason, List<String> paths, String origin) {

  /** Trivy's rule: expired once the current time is after midnight UTC of the expiry date. */
  public boolean expiredOn(LocalDate today) {
    return expires != null && !today.isBefore(expires);
  }
}
