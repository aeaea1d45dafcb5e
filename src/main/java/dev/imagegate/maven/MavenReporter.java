package dev.imagegate.maven;

import dev.imagegate.LogLine;
import dev.imagegate.Reporter;
import org.apache.maven.plugin.logging.Log;

/** Sends core progress to Maven's log, digests shortened where the full one is in a handover file ({@link LogLine}). */
final class MavenReporter implements Reporter {
  private final Log log;

  MavenReporter(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(LogLine.shortDigests(message));
  }

  @Override
  public void warn(String message) {
    log.warn(LogLine.shortAllDigests(message));
  }

  @Override
  public void debug(String message) {
    if (log.isDebugEnabled()) {
      log.debug(message);
    }
  }
}
