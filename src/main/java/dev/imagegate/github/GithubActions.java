package dev.imagegate.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.HandoverFile;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.secrets.SecretFinding;
import dev.imagegate.secrets.SecretsException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a goal adds to a GitHub Actions run after it ran: its section of the job summary when
 * {@code GITHUB_STEP_SUMMARY} names a file, and, when {@code GITHUB_ACTIONS=true}, an {@code ::error} annotation for
 * each blocking vulnerability, each secret found and the goal's failure, on the repository line to change. Neither
 * ever fails the goal: a summary that cannot be written is a warning.
 */
public final class GithubActions {
  private final Map<String, String> environment;
  private final PrintStream out;
  private final Reporter reporter;

  /**
   * @param environment the process environment
   * @param out where workflow commands go (standard output: the runner reads them there, at the start of a line)
   * @param reporter for the warning when the summary cannot be written
   */
  public GithubActions(Map<String, String> environment, PrintStream out, Reporter reporter) {
    this.environment = environment;
    this.out = out;
    this.reporter = reporter;
  }

  /** Whether this is a GitHub Actions run with anything to write. */
  public boolean active() {
    return annotate() || summaryFile().isPresent();
  }

  /**
   * Reports one goal run.
   *
   * @param goal {@code imagegate:scan}
   * @param outputDirectory the handover directory
   * @param sources where findings are declared (asked only when needed)
   * @param failure why the goal failed, or null
   */
  public void afterGoal(String goal, Path outputDirectory, Supplier<SourceLocations> sources, Throwable failure) {
    if (!active()) {
      return;
    }
    SourceLocations at = sources.get();
    Optional<StepSummary.Failure> why = Optional.ofNullable(failure).map(GithubActions::failure);
    Optional<Path> file = summaryFile();
    if (file.isPresent()) {
      try {
        StepSummary.append(file.get(), new StepSummary(outputDirectory, at, environment).render(goal, why));
      } catch (IOException | RuntimeException e) {
        reporter.warn("Could not append to the GitHub step summary " + file.get() + " (GITHUB_STEP_SUMMARY): " + e.getMessage());
      }
    }
    if (annotate()) {
      if (goal.endsWith(":scan")) {
        HandoverJson.read(outputDirectory, HandoverFile.SCAN).ifPresent(scan -> annotateScan(scan, at));
      }
      if (failure instanceof SecretsException secrets) {
        for (SecretFinding f : secrets.findings()) {
          out.println(WorkflowCommand.error(new SourceLocation(f.path(), f.line()), "Secret: " + f.type().label(),
              f.type().label() + " committed at " + f.location() + ". Remove it and rotate it; it may already be in git history."));
        }
      }
      why.ifPresent(w -> out.println(WorkflowCommand.error(at.build(), goal + " failed",
          w.message() + (w.fix().isBlank() ? "" : "\nFix: " + w.fix()))));
      out.flush();
    }
  }

  private void annotateScan(JsonNode scan, SourceLocations at) {
    for (JsonNode f : scan.path("findings")) {
      if (f.path("blocking").asBoolean()) {
        String title = f.path("id").asText() + " " + f.path("severity").asText() + " in " + f.path("packageName").asText() + " " + f.path("installed").asText();
        String fixed = f.hasNonNull("fixed") ? "fixed in " + f.path("fixed").asText() : "no fixed version yet";
        String message = title + " (" + fixed + ")" + (f.hasNonNull("title") ? ": " + f.path("title").asText() : "") + "\nImage path: "
            + String.join(", ", HandoverJson.texts(f.path("paths")));
        out.println(WorkflowCommand.error(at.ofPackage(f.path("ecosystem").asText(), f.path("packageName").asText()), title, message));
      }
    }
    for (JsonNode s : scan.path("secrets")) {
      if (s.path("blocking").asBoolean()) {
        String where = s.path("path").asText() + ":" + s.path("line").asInt();
        out.println(WorkflowCommand.error(at.ofImageFile(s.path("path").asText(), s.path("line").asInt()).orElse(at.build()),
            "Secret in the image: " + s.path("type").asText(), s.path("type").asText() + " in the image at " + where
                + ". Remove it from the files the image is built from and rotate it."));
      }
    }
  }

  private static StepSummary.Failure failure(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new StepSummary.Failure(message, t instanceof ImagegateException e ? e.suggestion() : "");
  }

  private boolean annotate() {
    return "true".equalsIgnoreCase(environment.getOrDefault("GITHUB_ACTIONS", ""));
  }

  private Optional<Path> summaryFile() {
    String file = environment.get("GITHUB_STEP_SUMMARY");
    return file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
  }
}
