package dev.imagegate.gitops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which values files of the GitOps repository one update edits: one file per environment from a path template
 * ({@code apps/myapp/values-{environment}.yaml}), or an explicit list whose files that name an environment are kept only
 * when that environment is asked for (promotion: {@code dev} on every push, {@code production} on demand).
 *
 * @param environments the environments to update; each entry may itself be a comma-separated list
 * @param template the values file of an environment; {@code {environment}} is replaced (used without explicit files)
 * @param tagPath the YAML path of the tag in the template's files
 * @param repositoryPath the YAML path of the image repository in the template's files, if it is to be written
 * @param digestPath the YAML path of the digest in the template's files, if it is to be written
 * @param files explicit files instead of the template
 */
public record ValuesFileSelection(
    List<String> environments, String template, String tagPath, Optional<String> repositoryPath, Optional<String> digestPath, List<Explicit> files) {

  /** The YAML path of the tag when an explicit file gives none. */
  public static final String DEFAULT_TAG_PATH = "image.tag";

  /**
   * One explicit file ({@code <gitopsFile>}). Blank values count as absent.
   *
   * @param path relative to the repository root
   * @param tagPath default {@value #DEFAULT_TAG_PATH}
   * @param environment the environment the file belongs to, if any
   */
  public record Explicit(String path, String tagPath, String repositoryPath, String digestPath, String environment) {}

  public ValuesFileSelection {
    environments = environments == null ? List.of() : List.copyOf(environments);
    repositoryPath = repositoryPath == null ? Optional.empty() : repositoryPath;
    digestPath = digestPath == null ? Optional.empty() : digestPath;
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** The environments asked for, split at commas and trimmed, blanks dropped. */
  public List<String> environmentNames() {
    List<String> envs = new ArrayList<>();
    for (String e : environments) {
      for (String part : e == null ? new String[0] : e.split(",")) {
        if (!part.isBlank()) {
          envs.add(part.trim());
        }
      }
    }
    return envs;
  }

  /** The files to edit; fails when none is left or a path is not a relative path or YAML path. */
  public List<ValuesFile> select() throws GitopsException {
    List<String> envs = environmentNames();
    List<ValuesFile> out = new ArrayList<>();
    try {
      if (files.isEmpty()) {
        if (envs.isEmpty()) {
          throw new GitopsException(
              "No environment to update: imagegate.gitops.environments is empty.",
              "Set imagegate.gitops.environments (e.g. dev,staging,production) or configure <gitopsFiles>.");
        }
        for (String env : envs) {
          out.add(new ValuesFile(template.replace("{environment}", env), YamlPath.parse(tagPath),
              repositoryPath.map(YamlPath::parse), digestPath.map(YamlPath::parse)));
        }
      } else {
        for (Explicit f : files) {
          if (blank(f.path()).isEmpty()) {
            throw new GitopsException("A <gitopsFile> in <gitopsFiles> has no <path>.", "Give each file its path relative to the repository root.");
          }
          if (blank(f.environment()).isPresent() && !envs.contains(f.environment().trim())) {
            continue;
          }
          out.add(new ValuesFile(f.path().trim(), YamlPath.parse(blank(f.tagPath()).orElse(DEFAULT_TAG_PATH)),
              blank(f.repositoryPath()).map(YamlPath::parse), blank(f.digestPath()).map(YamlPath::parse)));
        }
        if (out.isEmpty()) {
          throw new GitopsException(
              "None of the configured <gitopsFiles> belongs to the environments " + envs + ".",
              "Check imagegate.gitops.environments against the <environment> of each file.");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new GitopsException(
          "Invalid values file configuration: " + e.getMessage(),
          "Use paths relative to the repository root and YAML paths like image.tag.",
          e);
    }
    return out;
  }

  static Optional<String> blank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
