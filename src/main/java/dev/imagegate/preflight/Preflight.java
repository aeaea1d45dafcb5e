package dev.imagegate.preflight;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the later goals of a build will need, checked before the first of them changes anything outside the build
 * (before {@code push} uploads a byte): every check runs, and every problem found is reported at once, so that one
 * failed build says everything there is to fix instead of one thing per push.
 *
 * <pre>{@code
 * new Preflight()
 *     .add("audit", () -> AuditRun.preflight(...))
 *     .add("sign", () -> Signers.check(...))
 *     .run(reporter);   // throws PreflightException listing every failed check
 * }</pre>
 */
public final class Preflight {
  /** One check; it throws what it found wrong, with the fix. */
  @FunctionalInterface
  public interface Check {
    /** @return what was checked, for the log (e.g. {@code s3://bucket/key is free}) */
    String run() throws ImagegateException;
  }

  /** One problem: the goal that would fail later, and why. */
  public record Problem(String goal, ImagegateException failure) {}

  private record Named(String goal, Check check) {}

  private final List<Named> checks = new ArrayList<>();

  /** Adds the check of what {@code goal} (e.g. {@code audit}) will need. */
  public Preflight add(String goal, Check check) {
    checks.add(new Named(goal, check));
    return this;
  }

  public boolean isEmpty() {
    return checks.isEmpty();
  }

  /** Runs every check; throws when any failed, listing them all. */
  public void run(Reporter reporter) throws PreflightException {
    List<Problem> problems = new ArrayList<>();
    for (Named n : checks) {
      try {
        String checked = n.check().run();
        reporter.info("  " + n.goal() + ": " + checked);
      } catch (ImagegateException e) {
        problems.add(new Problem(n.goal(), e));
      } catch (RuntimeException e) {
        problems.add(new Problem(n.goal(), new ImagegateException(String.valueOf(e.getMessage()), "", e)));
      }
    }
    if (!problems.isEmpty()) {
      throw new PreflightException(problems);
    }
  }
}
