package dev.imagegate.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
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
 * @param contents where the files' bytes are read: the working tree, or the index for {@link #staged}
 */
public record RepositoryFiles(Path root, String scope, List<String> files, boolean git, Contents contents) {

  /** Reads the listed files' bytes. */
  public interface Contents {
    /** The file's size in bytes. */
    long size(String file) throws IOException;

    /** At most {@code max} bytes of the file. */
    byte[] read(String file, int max) throws IOException;
  }

  /** A listing read from the working tree under {@code root}. */
  public RepositoryFiles(Path root, String scope, List<String> files, boolean git) {
    this(root, scope, files, git, new WorkingTree(root, Map.of()));
  }

  /** The working tree; sizes the listing already knows are not asked again. */
  private record WorkingTree(Path root, Map<String, Long> sizes) implements Contents {
    @Override
    public long size(String file) throws IOException {
      Long known = sizes.get(file);
      return known != null ? known : Files.size(root.resolve(file));
    }

    @Override
    public byte[] read(String file, int max) throws IOException {
      try (InputStream in = Files.newInputStream(root.resolve(file))) {
        return in.readNBytes(max);
      }
    }
  }

  /** Blobs of the index, read when the listing is made (a commit's staged files), the large ones by size only. */
  private record StagedBlobs(Map<String, Long> sizes, Map<String, byte[]> bytes) implements Contents {
    @Override
    public long size(String file) {
      return sizes.get(file);
    }

    @Override
    public byte[] read(String file, int max) throws IOException {
      byte[] b = bytes.get(file);
      if (b == null) {
        throw new IOException("the staged blob of " + file + " was not read (" + sizes.get(file) + " bytes)");
      }
      return b.length <= max ? b : Arrays.copyOf(b, max);
    }
  }

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
      Map<String, Long> sizes = new HashMap<>();
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
            sizes.put(walk.getPathString(), present.getEntryLength()); // the walk has stat()ed it already
          }
        }
      }
      return new RepositoryFiles(root, scope, List.copyOf(files), true, new WorkingTree(root, sizes));
    } catch (IOException e) {
      throw new SecretsException(
          "Could not list the files of the git repository at " + builder.getGitDir() + ": " + e.getMessage(),
          "Check that git status works in " + dir + ".",
          e);
    }
  }

  /**
   * The files the next commit changes, with their staged contents (the index's blobs, not the working tree): every
   * regular or executable file of the index (stage 0) whose blob or mode differs from {@code HEAD}'s, or that
   * {@code HEAD} does not have; what {@code git diff --cached --name-only --diff-filter=ACMRT} lists. Blobs larger than
   * {@code maxFileSize} are listed with their size but not read.
   *
   * @throws SecretsException when the directory is not in a git working tree (there is no index to read) or the
   *     repository cannot be read
   */
  public static RepositoryFiles staged(Path directory, boolean wholeRepository, long maxFileSize) throws SecretsException {
    Path dir = directory.toAbsolutePath().normalize();
    FS.FileStoreAttributes.setBackground(true);
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      throw new SecretsException(
          "imagegate.secrets.mode=staged reads the git index, but " + dir + " is not in a git working tree.",
          "Run the staged check from a pre-commit hook of a git repository, or use imagegate.secrets.mode=worktree.",
          (Throwable) null);
    }
    try (Repository repository = builder.setMustExist(true).build();
        ObjectReader reader = repository.newObjectReader()) {
      if (repository.isBare()) {
        throw new SecretsException(
            "imagegate.secrets.mode=staged needs a working tree; " + builder.getGitDir() + " is a bare repository.",
            "Run it in a clone with a working tree, or use imagegate.secrets.mode=worktree.",
            (Throwable) null);
      }
      Path root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
      String scope =
          wholeRepository ? "" : root.toRealPath().relativize(dir.toRealPath()).toString().replace('\\', '/');
      List<String> files = new ArrayList<>();
      Map<String, Long> sizes = new HashMap<>();
      Map<String, byte[]> bytes = new HashMap<>();
      ObjectId head = repository.resolve("HEAD^{tree}");
      try (TreeWalk walk = new TreeWalk(repository, reader)) {
        int headTree = head == null ? -1 : walk.addTree(head);
        int indexTree = walk.addTree(new DirCacheIterator(repository.readDirCache()));
        walk.setRecursive(true);
        if (!scope.isEmpty()) {
          walk.setFilter(PathFilter.create(scope));
        }
        while (walk.next()) {
          DirCacheIterator staged = walk.getTree(indexTree, DirCacheIterator.class);
          if (staged == null || staged.getDirCacheEntry().getStage() != 0) {
            continue; // deleted, or an unresolved merge conflict (git refuses that commit itself)
          }
          FileMode mode = staged.getEntryFileMode();
          if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
            continue;
          }
          ObjectId blob = staged.getEntryObjectId();
          if (headTree >= 0 && blob.equals(walk.getObjectId(headTree)) && mode.equals(walk.getFileMode(headTree))) {
            continue; // unchanged since HEAD: not part of this commit
          }
          String path = walk.getPathString();
          long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
          files.add(path);
          sizes.put(path, size);
          if (size <= maxFileSize) {
            bytes.put(path, reader.open(blob, Constants.OBJ_BLOB).getBytes());
          }
        }
      }
      return new RepositoryFiles(root, scope, List.copyOf(files), true, new StagedBlobs(sizes, bytes));
    } catch (IOException e) {
      throw new SecretsException(
          "Could not read the staged files of the git repository at " + builder.getGitDir() + ": " + e.getMessage(),
          "Check that git diff --cached works in " + dir + ".",
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

  /** The file's size in bytes, in the listing's source (working tree or index). */
  public long size(String file) throws IOException {
    return contents.size(file);
  }

  /** At most {@code max} bytes of the file, from the listing's source (working tree or index). */
  public byte[] read(String file, int max) throws IOException {
    return contents.read(file, max);
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
