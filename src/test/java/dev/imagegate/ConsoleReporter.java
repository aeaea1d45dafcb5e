package dev.imagegate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A reporter for tests that keeps what a user would read: info lines as they are, warnings prefixed {@code WARN }. */
public final class ConsoleReporter implements Reporter {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    lines.add(message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  /** The lines so far, live. */
  public List<String> lines() {
    return lines;
  }
}
