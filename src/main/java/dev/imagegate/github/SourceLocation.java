package dev.imagegate.github;

import java.util.Objects;

/**
 * A line of a file in the repository: what an annotation or a code-scanning result points at.
 *
 * @param file the path relative to the repository root, '/'-separated ({@code pom.xml}, {@code app/pom.xml})
 * @param line the 1-based line
 */
public record SourceLocation(String file, int line) {

  public SourceLocation {
    Objects.requireNonNull(file, "file");
    file = file.replace('\\', '/');
    if (file.startsWith("/") || file.isEmpty()) {
      throw new IllegalArgumentException("a repository-relative path is needed: " + file);
    }
    line = Math.max(1, line);
  }

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
