package dev.imagegate.secrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link SecretsCheck} does.
 *
 * @param projectDirectory the project's directory, anywhere inside a git working tree
 * @param wholeRepository scan the whole working tree, not only the project's sub-tree
 * @param baseline the baseline file; empty for {@code .secrets.baseline} at the working tree's root
 * @param updateBaseline write the baseline from this scan (keeping audit labels) instead of failing on new findings
 * @param excludes glob patterns ({@code java.nio.file.PathMatcher} syntax, e.g. {@code src/test/resources/**}) of
 *     files not to scan, matched against the repository-relative and the project-relative path
 * @param maxFileSize files larger than this many bytes are skipped
 * @param source the working tree (every file) or the index (only the files the next commit changes, as staged)
 */
public record SecretsRequest(
    Path projectDirectory,
    boolean wholeRepository,
    Optional<Path> baseline,
    boolean updateBaseline,
    List<String> excludes,
    long maxFileSize,
    SecretsSource source) {

  public SecretsRequest {
    excludes = List.copyOf(excludes);
    java.util.Objects.requireNonNull(source, "source");
  }

  /** A check of the working tree. */
  public SecretsRequest(
      Path projectDirectory,
      boolean wholeRepository,
      Optional<Path> baseline,
      boolean updateBaseline,
      List<String> excludes,
      long maxFileSize) {
    this(projectDirectory, wholeRepository, baseline, updateBaseline, excludes, maxFileSize, SecretsSource.WORKTREE);
  }
}
