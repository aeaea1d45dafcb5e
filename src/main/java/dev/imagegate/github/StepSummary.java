package dev.imagegate.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.HandoverFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown section a goal appends to the job summary ({@code GITHUB_STEP_SUMMARY}): read from the files the goal
 * handed over ({@code image.json}, {@code scan.json}, {@code push.json}, {@code sign.json}, {@code audit.json},
 * {@code gitops.json}), so it says exactly what the next goal will read. A file about another image (left by an
 * earlier build) is left out.
 */
public final class StepSummary {
  private final Path outputDirectory;
  private final SourceLocations sources;
  private final Map<String, String> environment;

  /**
   * @param outputDirectory the handover directory
   * @param sources where findings are declared in the repository
   * @param environment {@code GITHUB_SERVER_URL}, {@code GITHUB_REPOSITORY} and {@code GITHUB_SHA} make the lines links
   */
  public StepSummary(Path outputDirectory, SourceLocations sources, Map<String, String> environment) {
    this.outputDirectory = outputDirectory;
    this.sources = sources;
    this.environment = environment;
  }

  /**
   * The section for one goal run.
   *
   * @param goal {@code imagegate:scan} or {@code scan}
   * @param failure the failure's message and fix, when the goal failed
   */
  public String render(String goal, Optional<Failure> failure) {
    String name = goal.startsWith("imagegate:") ? goal.substring("imagegate:".length()) : goal;
    StringBuilder md = new StringBuilder();
    md.append("### imagegate:").append(name).append(failure.isPresent() ? " failed" : " passed").append("\n\n");
    switch (name) {
      case "build" -> HandoverJson.read(outputDirectory, HandoverFile.IMAGE).ifPresent(i -> build(md, i));
      case "scan" -> HandoverJson.read(outputDirectory, HandoverFile.SCAN).ifPresent(s -> scan(md, s));
      case "push" -> HandoverJson.read(outputDirectory, HandoverFile.PUSH).ifPresent(p -> push(md, p));
      case "sign" -> HandoverJson.read(outputDirectory, HandoverFile.SIGN).ifPresent(s -> sign(md, s));
      case "audit" -> HandoverJson.read(outputDirectory, HandoverFile.AUDIT).ifPresent(a -> audit(md, a));
      case "gitops-update" -> HandoverJson.read(outputDirectory, HandoverFile.GITOPS).ifPresent(g -> gitops(md, g));
      default -> {}
    }
    failure.ifPresent(f -> {
      md.append("**Failure**\n\n```text\n").append(f.message().replace("```", "'''").strip()).append("\n```\n\n");
      if (!f.fix().isBlank()) {
        md.append("**Fix:** ").append(inline(f.fix())).append("\n\n");
      }
    });
    return md.toString();
  }

  /** Appends {@code section} to the summary file (created when missing). */
  public static void append(Path summaryFile, String section) throws IOException {
    Files.writeString(summaryFile, section, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  /**
   * Why a goal failed.
   *
   * @param message what went wrong
   * @param fix what to do, or empty
   */
  public record Failure(String message, String fix) {}

  private void build(StringBuilder md, JsonNode i) {
    md.append("| Image | Digest | Base image |\n|---|---|---|\n");
    JsonNode base = i.path("base");
    String baseText = base.path("reference").asText("") + (base.hasNonNull("digest") && !base.path("reference").asText("").contains("@")
        ? "@" + base.path("digest").asText() : "");
    md.append("| ").append(code(i.path("name").asText("") + ":" + i.path("tag").asText(""))).append(" | ").append(code(i.path("digest").asText("")))
        .append(" | ").append(code(baseText)).append(" |\n\n");
    md.append("Commit ").append(code(i.path("commit").asText(""))).append(i.path("dirty").asBoolean() ? " (with uncommitted changes)" : "").append("\n\n");
  }

  private void scan(StringBuilder md, JsonNode s) {
    JsonNode sum = s.path("summary");
    md.append("Image ").append(code(s.path("digest").asText(""))).append(": ").append(sum.path("passed").asBoolean() ? "passed" : "**blocked**")
        .append(" (fails on ").append(String.join(", ", HandoverJson.texts(s.path("policy").path("failOn")))).append(")\n\n");
    md.append("| Critical | High | Medium | Low | Unknown | Blocking | Suppressed | Secrets |\n|---|---|---|---|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d |%n%n", sum.path("critical").asInt(), sum.path("high").asInt(),
        sum.path("medium").asInt(), sum.path("low").asInt(), sum.path("unknown").asInt(), sum.path("blocking").asInt(), sum.path("suppressed").asInt(),
        sum.path("secrets").asInt()));
    boolean header = false;
    for (JsonNode f : s.path("findings")) {
      if (!f.path("blocking").asBoolean()) {
        continue;
      }
      if (!header) {
        md.append("**Blocking vulnerabilities**\n\n| Vulnerability | Severity | Package | Installed | Fixed | Change it in |\n|---|---|---|---|---|---|\n");
        header = true;
      }
      String id = f.path("id").asText();
      md.append("| [").append(cell(id)).append("](https://osv.dev/vulnerability/").append(id).append(") | ").append(f.path("severity").asText())
          .append(" | ").append(cell(f.path("packageName").asText())).append(" | ").append(cell(f.path("installed").asText())).append(" | ")
          .append(cell(f.path("fixed").asText("none"))).append(" | ")
          .append(link(sources.ofPackage(f.path("ecosystem").asText(), f.path("packageName").asText()))).append(" |\n");
    }
    if (header) {
      md.append("\n");
    }
    header = false;
    for (JsonNode x : s.path("secrets")) {
      if (!x.path("blocking").asBoolean()) {
        continue;
      }
      if (!header) {
        md.append("**Secrets in the image**\n\n| Type | Path in the image | Line | Change it in |\n|---|---|---|---|\n");
        header = true;
      }
      SourceLocation at = sources.ofImageFile(x.path("path").asText(), x.path("line").asInt()).orElse(sources.build());
      md.append("| ").append(cell(x.path("type").asText())).append(" | ").append(code(x.path("path").asText())).append(" | ").append(x.path("line").asInt())
          .append(" | ").append(link(at)).append(" |\n");
    }
    if (header) {
      md.append("\n");
    }
  }

  private void push(StringBuilder md, JsonNode p) {
    md.append("Pushed ").append(code(p.path("digest").asText(""))).append(" as ").append(code(p.path("tag").asText("")))
        .append(p.hasNonNull("pushedBy") ? " by " + code(p.path("pushedBy").asText()) : "").append("\n\n");
    md.append("| Region | Repository | Digest |\n|---|---|---|\n");
    for (JsonNode t : p.path("targets")) {
      md.append("| ").append(cell(t.path("region").asText("-"))).append(" | ").append(code(t.path("registry").asText() + "/" + t.path("repository").asText()))
          .append(" | ").append(code(p.path("digest").asText(""))).append(" |\n");
    }
    md.append("\n");
  }

  private void sign(StringBuilder md, JsonNode s) {
    JsonNode key = s.path("key");
    md.append("Signed ").append(code(s.path("digest").asText(""))).append(" with ").append(code(key.path("reference").asText("")))
        .append(key.hasNonNull("fingerprint") ? " (SHA-256 " + code(key.path("fingerprint").asText()) + ")" : "").append("\n\n");
    md.append("| Image | Signature | Attestations |\n|---|---|---|\n");
    for (JsonNode sig : s.path("signatures")) {
      String att = sig.hasNonNull("attestationTag") ? code(sig.path("attestationTag").asText()) + " " + cell(String.join(", ", HandoverJson.texts(sig.path("predicateTypes"))))
          : "none";
      md.append("| ").append(code(sig.path("reference").asText())).append(" | ").append(code(sig.path("signatureTag").asText())).append(" | ").append(att)
          .append(" |\n");
    }
    md.append("\n");
  }

  private void audit(StringBuilder md, JsonNode a) {
    md.append("Audit record ").append(code(a.path("s3_uri").asText(""))).append(" for ").append(code(a.path("digest").asText("")))
        .append(a.hasNonNull("pushed_by") ? ", pushed by " + code(a.path("pushed_by").asText()) : "").append("\n\n");
  }

  private void gitops(StringBuilder md, JsonNode g) {
    String repository = g.path("repository").asText("");
    String commit = g.path("commit").asText("");
    String web = repository.replaceFirst("\\.git$", "");
    String commitText = web.startsWith("https://github.com/") || web.startsWith(environment.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/")
        ? "[" + code(commit) + "](" + web + "/commit/" + commit + ")" : code(commit);
    md.append(g.path("changed").asBoolean() ? "Committed " : "Already up to date at ").append(commitText).append(" on ")
        .append(code(g.path("branch").asText(""))).append(" of ").append(code(repository)).append(": tag ").append(code(g.path("tag").asText("")))
        .append("\n\n");
    for (JsonNode f : g.path("files")) {
      md.append("- ").append(code(f.asText())).append("\n");
    }
    md.append("\n");
  }

  /** {@code pom.xml:18}, linked to the line on GitHub when the run says which repository and commit. */
  private String link(SourceLocation at) {
    String server = environment.get("GITHUB_SERVER_URL");
    String repo = environment.get("GITHUB_REPOSITORY");
    String sha = environment.get("GITHUB_SHA");
    if (server == null || repo == null || sha == null) {
      return code(at.toString());
    }
    return "[" + code(at.toString()) + "](" + server + "/" + repo + "/blob/" + sha + "/" + at.file() + "#L" + at.line() + ")";
  }

  private static String code(String s) {
    return "`" + s.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`";
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  private static String inline(String s) {
    return s.replace("\r", "").replace("\n", " ");
  }
}
