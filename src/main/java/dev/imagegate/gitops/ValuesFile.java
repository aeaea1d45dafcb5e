package dev.imagegate.gitops;

import java.util.Objects;
import java.util.Optional;

/**
 * One values file of the GitOps repository and where the image goes in it.
 *
 * @param path the file's path in the repository, with forward slashes, e.g. {@code apps/myapp/values-dev.yaml}
 * @param tagPath the YAML path of the tag, e.g. {@code image.tag}
 * @param repositoryPath the YAML path of the image repository, if it is to be written too
 * @param digestPath the YAML path of the digest, if it is to be written too
 */
public record ValuesFile(String path, YamlPath tagPath, Optional<YamlPath> repositoryPath, Optional<YamlPath> digestPath) {

  public ValuesFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(tagPath, "tagPath");
    repositoryPath = repositoryPath == null ? Optional.empty() : repositoryPath;
    digestPath = digestPath == null ? Optional.empty() : digestPath;
    path = path.replace('\\', '/');
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    if (path.isEmpty() || path.startsWith("/") || path.equals("..") || path.startsWith("../") || path.contains("/../")) {
      throw new IllegalArgumentException("values file path must be relative to the repository root: " + path);
    }
  }

  public static ValuesFile of(String path, String tagPath) {
    return new ValuesFile(path, YamlPath.parse(tagPath), Optional.empty(), Optional.empty());
  }
}
