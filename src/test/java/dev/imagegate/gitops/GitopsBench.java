package dev.imagegate.gitops;

import dev.imagegate.Reporter;
import dev.imagegate.registry.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Driver for {@code scripts/bench/gitops} (not a test): runs {@link GitopsUpdater} N times in one JVM against a
 * repository, each time with a new tag, and prints one line per run: {@code run <i> <seconds>}.
 *
 * <p>Arguments: url, iterations, tag-prefix (37 hex chars; the run number fills the last 3), files... The credential
 * comes from IMAGEGATE_GIT_USER / IMAGEGATE_GIT_PASSWORD when the URL is http(s).
 */
public final class GitopsBench {
  private GitopsBench() {}

  /** With -Dbench.debug=true, the updater's phase timings go to stderr. */
  private static final Reporter REPORTER =
      new Reporter() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {
          System.err.println(message);
        }

        @Override
        public void debug(String message) {
          if (Boolean.getBoolean("bench.debug")) {
            System.err.println(message);
          }
        }
      };

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int iterations = Integer.parseInt(args[1]);
    String prefix = args[2];
    List<ValuesFile> files = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      files.add(ValuesFile.of(args[i], "image.tag"));
    }
    Optional<Credential> credential =
        url.startsWith("http")
            ? Optional.of(new Credential(System.getenv("IMAGEGATE_GIT_USER"), System.getenv("IMAGEGATE_GIT_PASSWORD")))
            : Optional.empty();
    Path work = Files.createTempDirectory("gitops-bench");
    for (int i = 0; i < iterations; i++) {
      String tag = "sha-" + prefix + String.format(Locale.ROOT, "%03x", i);
      ImageRelease release = new ImageRelease(tag, "sha256:" + "0".repeat(64), Optional.empty(), Optional.empty(), work);
      GitopsRequest request =
          new GitopsRequest(url, "main", Optional.empty(), files, release, "ci: update image tag to {tag}", "bench", "bench@imagegate.dev",
              credential, 5, Duration.ofMillis(100), Duration.ofSeconds(60), work, false, true, SshOptions.defaults());
      long t0 = System.nanoTime();
      GitopsResult r = new GitopsUpdater(REPORTER).update(request);
      double s = (System.nanoTime() - t0) / 1e9;
      if (!r.changed()) {
        throw new IllegalStateException("run " + i + " changed nothing");
      }
      System.out.printf(Locale.ROOT, "run %d %.4f%n", i, s);
    }
  }
}
