package dev.imagegate.secrets;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Benchmark driver for scripts/bench/secrets (not a test): times, in one JVM and on the same tree, (1) the floor of
 * reading every file git lists once, and (2) the full detect-secrets check (git listing, reading, scanning, baseline).
 * Best of N runs each, after one warm-up of each.
 */
public final class SecretsBench {
  public static void main(String[] args) throws Exception {
    Path tree = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean whole = args.length < 3 || !args[2].equals("project");
    long cold0 = System.nanoTime();
    int coldFindings = check(tree, whole);
    long cold = System.nanoTime() - cold0;
    RepositoryFiles listing = RepositoryFiles.list(tree, whole);
    List<String> files = listing.files();
    Path root = listing.root();
    long bytes = 0;
    for (String f : files) {
      bytes += Files.size(root.resolve(f));
    }
    readAll(root, files);
    long bestRead = Long.MAX_VALUE;
    long bestScan = Long.MAX_VALUE;
    int findings = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      readAll(root, files);
      bestRead = Math.min(bestRead, System.nanoTime() - t0);
      long t1 = System.nanoTime();
      findings = check(tree, whole);
      bestScan = Math.min(bestScan, System.nanoTime() - t1);
    }
    System.out.printf(
        Locale.ROOT,
        "first check in a fresh JVM (class loading included, as the first goal of a build): %.3f s (%d findings)%n",
        cold / 1e9,
        coldFindings);
    System.out.printf(
        Locale.ROOT,
        "files %d, %.1f MB%njava read-every-file floor: %.3f s%ndetect-secrets check:      %.3f s (%d findings)%nratio check/java-read:     %.2f%n",
        files.size(),
        bytes / 1e6,
        bestRead / 1e9,
        bestScan / 1e9,
        findings,
        (double) bestScan / bestRead);
  }

  private static long readAll(Path tree, List<String> files) throws IOException {
    long sum = 0;
    for (String f : files) {
      sum += Files.readAllBytes(tree.resolve(f)).length;
    }
    return sum;
  }

  private static int check(Path tree, boolean whole) {
    try {
      return new SecretsCheck(Reporter.SILENT)
          .run(new SecretsRequest(tree, whole, Optional.empty(), false, List.of(), SecretScanner.DEFAULT_MAX_FILE_SIZE))
          .newFindings()
          .size();
    } catch (SecretsException e) {
      return (int) e.getMessage().lines().count() - 1;
    }
  }
}
