package dev.imagegate.preflight;

import dev.imagegate.DaemonThreads;
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

  /**
   * Runs every check, all at the same time (each on its own thread: sign's key decryption and audit's S3 calls overlap
   * instead of adding up), and waits for all of them; logs what each checked in the order they were added and throws
   * when any failed, listing them all. A check that ends without a result (an error, an interruption) is a problem too.
   */
  public void run(Reporter reporter) throws PreflightException {
    List<Thread> threads = new ArrayList<>();
    Object[] outcomes = new Object[checks.size()]; // the String a check returned, or the ImagegateException it failed with
    for (int i = 0; i < checks.size(); i++) {
      int at = i;
      threads.add(DaemonThreads.start("imagegate-preflight-" + checks.get(at).goal(), () -> outcomes[at] = outcome(checks.get(at))));
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Named n = checks.get(i);
      Object o = outcomes[i]; // join() makes the thread's write visible
      if (o instanceof String checked) {
        reporter.info("  " + n.goal() + ": " + checked);
      } else {
        problems.add(new Problem(n.goal(), o instanceof ImagegateException e ? e
            : new ImagegateException("its check ended without a result (" + (interrupted ? "interrupted" : String.valueOf(o)) + ").",
                "Run the build again (with -e for details).")));
      }
    }
    if (!problems.isEmpty()) {
      throw new PreflightException(problems);
    }
  }

  /** What one check found: the String it returned, or the ImagegateException it failed with (never null but for a lost thread). */
  private static Object outcome(Named n) {
    try {
      String checked = n.check().run();
      return checked == null ? "checked" : checked;
    } catch (ImagegateException e) {
      return e;
    } catch (RuntimeException e) {
      return new ImagegateException(String.valueOf(e.getMessage()), "", e);
    } catch (Error e) {
      return new ImagegateException("its check failed: " + e, "Run the build again (with -e for details).", e);
    }
  }
}
