package dev.imagegate.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Push's check of the later goals: every check runs, at the same time, and every problem is reported, in order. */
class PreflightTest {

  /** Records info lines in the order they are logged. */
  private static final class Lines implements Reporter {
    final List<String> info = new ArrayList<>();

    @Override
    public synchronized void info(String message) {
      info.add(message);
    }

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
  }

  /**
   * Two checks that each wait for the other to have started: they pass only when they run at the same time (sign's key
   * decryption and audit's S3 calls then overlap instead of adding up). Run one after the other, the first gives up
   * waiting (a bound, not a timing assertion) and the preflight fails.
   */
  @Test
  void checksRunAtTheSameTime() throws Exception {
    CyclicBarrier bothStarted = new CyclicBarrier(2);
    Preflight.Check waitsForTheOther = () -> {
      try {
        bothStarted.await(10, TimeUnit.SECONDS);
        return "ran beside the other check";
      } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
        throw new ImagegateException("the other check did not run at the same time (" + e + ")", "");
      }
    };
    Lines lines = new Lines();
    new Preflight().add("sign", waitsForTheOther).add("audit", waitsForTheOther).run(lines);
    assertEquals(List.of("  sign: ran beside the other check", "  audit: ran beside the other check"), lines.info);
  }

  @Test
  void everyProblemIsReportedInTheOrderTheChecksWereAdded() {
    Lines lines = new Lines();
    PreflightException e = assertThrows(PreflightException.class, () -> new Preflight()
        .add("sign", () -> { throw new ImagegateException("no key", "set one"); })
        .add("verify-signature", () -> "fine")
        .add("audit", () -> { throw new IllegalStateException("no bucket"); })
        .run(lines));
    assertEquals(List.of("sign", "audit"), e.problems().stream().map(Preflight.Problem::goal).toList());
    assertEquals("no bucket", e.problems().get(1).failure().getMessage());
    assertEquals(List.of("  verify-signature: fine"), lines.info);
  }
}
