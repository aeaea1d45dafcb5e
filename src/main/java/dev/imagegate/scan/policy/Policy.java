package dev.imagegate.scan.policy;

import dev.imagegate.Reporter;
import dev.imagegate.scan.osv.Finding;
import dev.imagegate.scan.osv.Severity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gate: which severities fail the build, whether findings without a fix are shown, and the ignore rules.
 *
 * @param failOn severities that block (default HIGH, CRITICAL)
 * @param ignoreUnfixed drop findings without a fixed version (Trivy's {@code --ignore-unfixed})
 * @param ignores the ignore rules
 */
public record Policy(Set<Severity> failOn, boolean ignoreUnfixed, List<IgnoreRule> ignores) {

  /** A finding that an ignore rule hides. */
  public record Suppressed(Finding finding, IgnoreRule rule) {}

  /** What the policy made of the findings. */
  public record Outcome(List<Finding> reported, List<Finding> blocking, List<Suppressed> suppressed, int unfixedHidden, List<IgnoreRule> expired) {}

  public Outcome apply(List<Finding> findings, LocalDate today, Reporter reporter) {
    List<Finding> reported = new ArrayList<>();
    List<Finding> blocking = new ArrayList<>();
    List<Suppressed> suppressed = new ArrayList<>();
    List<IgnoreRule> expired = new ArrayList<>();
    int hidden = 0;
    for (IgnoreRule r : ignores) {
      if (r.expiredOn(today)) {
        expired.add(r);
        reporter.warn("The ignore entry for " + r.id() + " (" + r.origin() + ") expired on " + r.expires() + ": it no longer suppresses.");
      }
    }
    for (Finding f : findings) {
      if (ignoreUnfixed && f.fixed() == null) {
        hidden++;
        continue;
      }
      IgnoreRule rule = ignores.stream()
          .filter(r -> !r.expiredOn(today) && f.matchesId(r.id()) && (r.paths().isEmpty() || f.paths().stream().anyMatch(p -> r.paths().contains(p) || r.paths().contains("/" + p))))
          .findFirst().orElse(null);
      if (rule != null) {
        suppressed.add(new Suppressed(f, rule));
        continue;
      }
      reported.add(f);
      if (failOn.contains(f.severity())) {
        blocking.add(f);
      }
    }
    return new Outcome(reported, blocking, suppressed, hidden, expired);
  }
}
