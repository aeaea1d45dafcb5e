package dev.imagegate.secrets;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code detect-secrets} goal's work: list the repository's files, scan them, compare with the baseline, and
 * either fail on new findings or write the baseline.
 */
public final class SecretsCheck {

  /** The baseline's default name, at the working tree's root (as the detect-secrets pre-commit hook expects). */
  public static final String DEFAULT_BASELINE = ".secrets.baseline";

  /** Up to this many files are scanned one after the other. */
  private static final int SEQUENTIAL_UP_TO = 32;

  private final Reporter reporter;
  private final Clock clock;

  public SecretsCheck(Reporter reporter) {
    this(reporter, Clock.systemUTC());
  }

  public SecretsCheck(Reporter reporter, Clock clock) {
    this.reporter = reporter;
    this.clock = clock;
  }

  /**
   * @throws SecretsException when a secret no baseline entry accepts is found (unless the baseline is being
   *     updated), or when the files or the baseline cannot be read
   */
  public SecretsReport run(SecretsRequest request) throws SecretsException {
    boolean staged = request.source() == SecretsSource.STAGED;
    if (staged && request.updateBaseline()) {
      throw new SecretsException(
          "The baseline is written from a scan of the whole working tree, not from the staged files"
              + " (imagegate.secrets.mode=staged with updateBaseline).",
          "Run mvn imagegate:secrets-baseline (mode worktree) to write .secrets.baseline, then stage it.",
          (Throwable) null);
    }
    RepositoryFiles files =
        staged
            ? RepositoryFiles.staged(request.projectDirectory(), request.wholeRepository(), request.maxFileSize())
            : RepositoryFiles.list(request.projectDirectory(), request.wholeRepository());
    if (!files.git()) {
      reporter.warn(
          "imagegate:detect-secrets: " + files.root() + " is not in a git repository; scanning every file under it.");
    }
    Path baselineFile = request.baseline().orElse(files.root().resolve(DEFAULT_BASELINE)).toAbsolutePath().normalize();
    SecretsBaseline baseline = Files.isRegularFile(baselineFile) ? SecretsBaseline.read(baselineFile) : SecretsBaseline.empty();
    String baselineRel = relative(files.root(), baselineFile);

    List<PathMatcher> excludes = new ArrayList<>();
    for (String glob : request.excludes()) {
      excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }
    SecretScanner scanner = new SecretScanner(request.maxFileSize());
    AtomicInteger scanned = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    AtomicInteger binary = new AtomicInteger();
    List<String> tooLarge = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> toScan =
        files.files().stream()
            .filter(f -> !f.equals(baselineRel))
            .filter(f -> !excluded(excludes, f, files.relativeToScope(f).orElse(f)))
            .toList();
    // a handful of files (a small project, a commit's staged files) is read in this thread: no pool to start
    java.util.stream.Stream<String> work = toScan.size() > SEQUENTIAL_UP_TO ? toScan.parallelStream() : toScan.stream();
    List<SecretFinding> findings =
        work
            .flatMap(
                f -> {
                  try {
                    long size = files.size(f);
                    if (size > scanner.maxFileSize()) {
                      skipped.incrementAndGet();
                      tooLarge.add(f + " (" + size + " bytes)");
                      return java.util.stream.Stream.empty();
                    }
                    SecretScanner.Outcome outcome = scanner.examine(f, files.read(f, (int) size + 1));
                    if (outcome.skipped().isPresent()) {
                      skipped.incrementAndGet();
                      binary.incrementAndGet();
                      return java.util.stream.Stream.empty();
                    }
                    scanned.incrementAndGet();
                    return outcome.findings().stream();
                  } catch (IOException e) {
                    reporter.warn("imagegate:detect-secrets: could not read " + f + ": " + e.getMessage());
                    skipped.incrementAndGet();
                    return java.util.stream.Stream.empty();
                  }
                })
            .sorted(Comparator.comparing(SecretFinding::path).thenComparingInt(SecretFinding::line))
            .toList();
    List<String> notSearched = new ArrayList<>();
    for (String f : tooLarge.stream().sorted().toList()) {
      // not a silent pass: the file was not checked, and the build log says which and how to check it
      reporter.warn("imagegate:detect-secrets: " + f + " is over maxFileSize (" + scanner.maxFileSize() + " bytes): not searched for secrets."
          + " Raise imagegate.secrets.maxFileSize to search it, or list it in <excludes> to say it needs no search.");
      notSearched.add(f.substring(0, f.lastIndexOf(" (")));
    }

    List<SecretFinding> fresh = new ArrayList<>();
    List<SecretFinding> accepted = new ArrayList<>();
    for (SecretFinding f : findings) {
      Optional<SecretsBaseline.Entry> entry = baseline.accepting(f);
      if (entry.isPresent()) {
        accepted.add(f);
        if (entry.get().isSecret().orElse(false)) {
          reporter.warn(
              "imagegate:detect-secrets: " + f.location() + " is in the baseline and audited as a real secret"
                  + " (is_secret: true): remove it and rotate it.");
        }
      } else {
        fresh.add(f);
      }
    }

    if (request.updateBaseline()) {
      List<SecretsBaseline.Entry> kept = new ArrayList<>();
      for (SecretsBaseline.Entry e : baseline.entries()) {
        if (!files.inScope(e.filename()) || excluded(excludes, e.filename(), e.filename())) {
          kept.add(e); // outside what this run scanned: not ours to drop
        }
      }
      List<SecretsBaseline.Entry> entries = new ArrayList<>(kept);
      entries.addAll(SecretsBaseline.of(findings, baseline).entries());
      new SecretsBaseline(entries).write(baselineFile, clock.instant());
      return new SecretsReport(files.root(), baselineFile, scanned.get(), skipped.get(), List.of(), findings, true, binary.get(), notSearched);
    }
    SecretsReport report =
        new SecretsReport(files.root(), baselineFile, scanned.get(), skipped.get(), List.copyOf(fresh), List.copyOf(accepted), false, binary.get(),
            notSearched);
    if (!fresh.isEmpty()) {
      StringBuilder message = new StringBuilder();
      message
          .append(fresh.size())
          .append(fresh.size() == 1 ? " secret" : " secrets")
          .append(staged ? " found in the staged files" : " found")
          .append(" that the baseline ")
          .append(baselineRel)
          .append(Files.isRegularFile(baselineFile) ? "" : " (absent)")
          .append(" does not accept:");
      for (SecretFinding f : fresh) {
        message.append(System.lineSeparator()).append("    ").append(f.location());
      }
      throw new SecretsException(
          message.toString(),
          "Remove each secret and rotate it (it may already be in git history). If one is not a secret, mark its line"
              + " with a comment 'pragma: allowlist secret', or accept the current findings into the baseline with"
              + " mvn imagegate:secrets-baseline (or -Dimagegate.secrets.updateBaseline) and commit "
              + baselineRel
              + ".",
          List.copyOf(fresh));
    }
    return report;
  }

  private static boolean excluded(List<PathMatcher> excludes, String repoRelative, String projectRelative) {
    for (PathMatcher m : excludes) {
      if (m.matches(Path.of(repoRelative)) || m.matches(Path.of(projectRelative))) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path root, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(root) ? root.relativize(abs).toString().replace('\\', '/') : abs.toString();
  }
}
