package dev.imagegate.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The working tree's files as the {@code git} command lists them: {@code git ls-files -z --cached --others
 * --exclude-standard}, run at the working tree's root, then only the entries that are regular files in the working
 * tree (not deleted, not a symbolic link, not a submodule or nested repository), as {@link JgitFiles} lists them.
 *
 * <p>Git answers in a few milliseconds where JGit, in a fresh JVM, first loads and checks its signed jar, reads the
 * configuration (and runs {@code git} to find the system configuration) and walks the index and the working tree:
 * a few hundred milliseconds before the first file is read. Empty when git is not on the PATH, does not accept the
 * repository (ownership, an unknown index or repository format), or {@code GIT_DIR} / {@code GIT_WORK_TREE} choose the
 * repository: the caller then lists with JGit. Never a partial list: git's exit status and its whole output decide.
 */
final class GitLsFiles {

  private GitLsFiles() {}

  /** Long enough for a repository of hundreds of thousands of files; git then gives way to JGit. */
  private static final long TIMEOUT_SECONDS = 60;

  /** More paths than this are checked on every core. */
  private static final int PARALLEL_FROM = 256;

  /** The command, or empty when git cannot be used here. */
  static Optional<RepositoryFiles> list(Path directory, boolean wholeRepository) {
    if (System.getenv("GIT_DIR") != null || System.getenv("GIT_WORK_TREE") != null) {
      return Optional.empty(); // the environment chooses the repository: JGit reads it the same way (readEnvironment)
    }
    Path dir = directory.toAbsolutePath().normalize();
    Optional<Path> top = workingTreeRoot(dir);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    Path root = top.get();
    try {
      String scope = wholeRepository ? "" : root.toRealPath().relativize(dir.toRealPath()).toString().replace('\\', '/');
      List<String> command = new ArrayList<>(
          List.of("git", "-c", "core.fsmonitor=false", "-C", root.toString(), "ls-files", "-z", "--cached", "--others",
              "--exclude-standard"));
      if (!scope.isEmpty()) {
        command.add("--");
        command.add(":(literal)" + scope);
      }
      Optional<byte[]> out = run(command);
      if (out.isEmpty()) {
        return Optional.empty();
      }
      List<String> paths = paths(out.get());
      // one lstat per path, on every core for a large tree (the files' reads and scans use them the same way next)
      long[] sizeOf = new long[paths.size()];
      IntStream indexes = IntStream.range(0, paths.size());
      (paths.size() > PARALLEL_FROM ? indexes.parallel() : indexes).forEach(i -> sizeOf[i] = regularFileSize(root, paths.get(i)));
      Map<String, Long> sizes = new HashMap<>();
      List<String> files = new ArrayList<>();
      for (int i = 0; i < sizeOf.length; i++) {
        if (sizeOf[i] >= 0) {
          files.add(paths.get(i));
          sizes.put(paths.get(i), sizeOf[i]);
        }
      }
      return Optional.of(new RepositoryFiles(root, scope, List.copyOf(files), true, RepositoryFiles.workingTree(root, sizes)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The size of a regular file of the working tree, or -1 for what is not one: deleted from the working tree (nothing
   * to commit there), a symbolic link, a directory (a submodule or nested repository), a FIFO or device.
   */
  private static long regularFileSize(Path root, String path) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(root.resolve(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() ? attributes.size() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * The paths of {@code git ls-files -z} output, each once (an unmerged path is listed once per stage), in git's
   * order (byte order of the UTF-8 path).
   */
  static List<String> paths(byte[] nulSeparated) {
    TreeSet<String> paths = new TreeSet<>();
    int start = 0;
    for (int i = 0; i < nulSeparated.length; i++) {
      if (nulSeparated[i] == 0) {
        if (i > start) {
          paths.add(new String(nulSeparated, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return new ArrayList<>(paths);
  }

  /**
   * The nearest folder at or above {@code dir} holding a {@code .git} folder (with a {@code HEAD}) or a {@code .git}
   * file (a linked worktree's {@code gitdir:} pointer), where git itself finds the repository; empty if there is none.
   */
  static Optional<Path> workingTreeRoot(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      Path git = d.resolve(".git");
      if (Files.isDirectory(git)) {
        return Files.isRegularFile(git.resolve("HEAD")) ? Optional.of(d) : Optional.empty();
      }
      if (Files.isRegularFile(git)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** git's standard output when it exits with 0 in time; empty otherwise (not installed, refused, too slow). */
  private static Optional<byte[]> run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return Optional.empty(); // no git on the PATH
    }
    try (InputStream in = process.getInputStream()) {
      process.getOutputStream().close(); // git reads nothing
      byte[] out = in.readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      process.destroyForcibly();
      return Optional.empty();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
