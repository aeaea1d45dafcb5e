package dev.imagegate.scan.osv;

import dev.imagegate.Reporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A separate JVM updating the OSV cache (for {@link OsvDownloadTest}): {@code <cacheDir> <baseUrl>}. */
public final class OsvUpdaterMain {
  private OsvUpdaterMain() {}

  public static void main(String[] args) throws Exception {
    Reporter out = new Reporter() {
      @Override
      public void info(String m) {
        System.out.println("INFO " + m);
      }

      @Override
      public void warn(String m) {
        System.out.println("WARN " + m);
      }
    };
    OsvDatabase db = new OsvDatabase(new OsvDatabase.Config(Path.of(args[0]), args[1], List.of("Debian", "Maven"), Duration.ofHours(24), false),
        out, Clock.systemUTC());
    try (OsvIndex index = db.open()) {
      System.out.println("advisories=" + index.advisories("Maven", "org.apache.logging.log4j:log4j-core").size());
    }
  }
}
