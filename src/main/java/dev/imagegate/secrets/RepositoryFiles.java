package dev.imagegate.secrets;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.FS;

/**
 * The files to scan: those git tracks (in the index) plus untracked files that are not ignored, i.e. what
 * {@code git ls-files --cached --others --exclude-standard} lists, that still exist in the working tree. Submodules
 * and symbolic links are not followed.
 *
 * @param root the working tree's root (or the scanned directory when there is no repository)
 * @param scope the repository-relative folder scanned, "" for the whole tree
 * @param files repository-relative, '/'-separated paths, in git's order
 * @param git whether the list came from a git repository
 */
public record RepositoryFiles(Path root, String scope, List<String> files, boolean git) {

  private static final Set<String> NON_GIT_SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".idea");

  /**
   * @param directory the project directory, anywhere inside a working tree (or not in one)
   * @param wholeRepository list the whole working tree instead of only the sub-tree of {@code directory}
   */
  public static RepositoryFiles list(Path directory, boolean wholeRepository) throws SecretsException {
    Path dir = directory.toAbsolutePath().normalize();
    // JGit otherwise measures the file system's timestamp resolution first, which takes seconds
    FS.FileStoreAttributes.setBackground(true);
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      return walk(dir);
    }
    try (Repository repository = builder.setMustExist(true).build()) {
      if (repository.isBare()) {
        return walk(dir);
      }
      Path root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
      String scope =
          wholeRepository ? "" : root.toRealPath().relativize(dir.toRealPath()).toString().replace('\\', '/');
      List<String> files = new ArrayList<>();
      DirCache index = repository.readDirCache();
      try (TreeWalk walk = new TreeWalk(repository)) {
        int indexTree = walk.addTree(new DirCacheIterator(index));
        int workTree = walk.addTree(new FileTreeIterator(repository));
        if (!scope.isEmpty()) {
          walk.setFilter(PathFilter.create(scope));
        }
        walk.setRecursive(false);
        while (walk.next()) {
          DirCacheIterator tracked = walk.getTree(indexTree, DirCacheIterator.class);
          WorkingTreeIterator present = walk.getTree(workTree, WorkingTreeIterator.class);
          if (present == null) {
            continue; // deleted from the working tree: nothing to commit there
          }
          if (tracked == null && present.isEntryIgnored()) {
            continue;
          }
          if (walk.isSubtree()) {
            walk.enterSubtree();
            continue;
          }
          FileMode mode = present.getEntryFileMode();
          if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            files.add(walk.getPathString());
          }
        }
      }
      return new RepositoryFiles(root, scope, List.copyOf(files), true);
    } catch (IOException e) {
      throw new SecretsException(
          "Could not list the files of the git repository at " + builder.getGitDir() + ": " + e.getMessage(),
          "Check that git status works in " + dir + ".",
          e);
    }
  }

  /** No repository: every file under the directory, except build output and VCS folders. */
  private static RepositoryFiles walk(Path dir) throws SecretsException {
    List<String> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              return !d.equals(dir) && NON_GIT_SKIPPED_DIRECTORIES.contains(d.getFileName().toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                files.add(dir.relativize(f).toString().replace('\\', '/'));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new SecretsException("Could not list the files under " + dir + ": " + e.getMessage(), "Check its permissions.", e);
    }
    files.sort(null);
    return new RepositoryFiles(dir, "", List.copyOf(files), false);
  }

  /** The file on disk. */
  public Path resolve(String file) {
    return root.resolve(file);
  }

  /** Whether a repository-relative path lies in the scanned scope. */
  public boolean inScope(String file) {
    return scope.isEmpty() || file.equals(scope) || file.startsWith(scope + "/");
  }

  /** The path relative to the scanned scope. */
  public Optional<String> relativeToScope(String file) {
    if (scope.isEmpty()) {
      return Optional.of(file);
    }
    return inScope(file) ? Optional.of(file.substring(Math.min(file.length(), scope.length() + 1))) : Optional.empty();
  }
}
