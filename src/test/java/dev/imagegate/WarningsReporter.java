package dev.imagegate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A reporter for tests that keeps the warnings (thread-safe) and drops the rest. */
public final class WarningsReporter implements Reporter {
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {}

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  /** The warnings so far, live. */
  public List<String> warnings() {
    return warnings;
  }
}
