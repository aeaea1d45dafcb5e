package dev.imagegate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One line at the end of the unit tests for a contributor without the peers: how many tests were skipped because a
 * peer (or a tool the peers install) is missing, how many {@code src/it} stories did not run (they run in the
 * {@code run-its} profile), and how to run everything: {@code scripts/test}. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; silent when nothing was skipped.
 *
 * <p>Peer tests skip themselves with an assumption ({@code assumeTrue(... "needs the peers: eval \"$(scripts/peers env)\"")}),
 * which JUnit reports as aborted: every aborted test is counted, and every test under an aborted class.
 */
public final class PeerSkipSummary implements TestExecutionListener {
  /** Set to {@code true} by the {@code run-its} profile: the stories run after the unit tests. */
  static final String ITS_PROPERTY = "imagegate.its";

  private final Set<String> skipped = new HashSet<>();
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    skipped.clear();
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
      return;
    }
    if (id.isTest()) {
      skipped.add(id.getUniqueId());
    } else if (plan != null) {
      plan.getDescendants(id).stream().filter(TestIdentifier::isTest).forEach(t -> skipped.add(t.getUniqueId()));
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    String line = summary(skipped.size(), Boolean.getBoolean(ITS_PROPERTY) ? 0 : stories(Path.of("src/it")));
    if (line != null) {
      System.out.println(line);
    }
  }

  /** The line, or null when nothing was left out. */
  static String summary(int skippedTests, int storiesNotRun) {
    if (skippedTests == 0 && storiesNotRun == 0) {
      return null;
    }
    return String.format(Locale.ROOT,
        "[imagegate] %d peer test(s) skipped (no peers: eval \"$(scripts/peers env)\" after scripts/peers start) and %d src/it stor%s not run"
            + " (profile run-its): scripts/test runs them all (it starts the peers and switches run-its on).",
        skippedTests, storiesNotRun, storiesNotRun == 1 ? "y" : "ies");
  }

  /** The stories: directories of {@code src/it} with an {@code invoker.properties}. */
  static int stories(Path it) {
    if (!Files.isDirectory(it)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(it)) {
      return (int) dirs.filter(d -> Files.isRegularFile(d.resolve("invoker.properties"))).count();
    } catch (IOException e) {
      return 0;
    }
  }
}
