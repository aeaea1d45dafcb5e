package dev.imagegate.secrets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The listings of {@link RepositoryFiles} read with JGit: the working tree's files when the {@code git} command cannot
 * answer, and always the staged blobs. Apart from {@link RepositoryFiles} so that JGit (a signed jar: its classes
 * cost a signature check and its start reads the configuration and the index) is loaded only when it is used.
 */
final class JgitFiles {

  private JgitFiles() {}

  /** Blobs of the index, read when the listing is made (a commit's staged files), the large ones by size only. */
  private record StagedBlobs(Map<String, Long> sizes, Map<String, byte[]> bytes) implements RepositoryFiles.Contents {
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

  /**
   * @param directory the project directory, anywhere inside a working tree (or not in one)
   * @param wholeRepository list the whole working tree instead of only the sub-tree of {@code directory}
   */
  static RepositoryFiles list(Path directory, boolean wholeRepository) throws SecretsException {
    Path dir = directory.toAbsolutePath().normalize();
    // JGit otherwise measures the file system's timestamp resolution first, which takes seconds
    FS.FileStoreAttributes.setBackground(true);
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      return RepositoryFiles.walk(dir);
    }
    try (Repository repository = builder.setMustExist(true).build()) {
      if (repository.isBare()) {
        return RepositoryFiles.walk(dir);
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
      return new RepositoryFiles(root, scope, List.copyOf(files), true, RepositoryFiles.workingTree(root, sizes));
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
  static RepositoryFiles staged(Path directory, boolean wholeRepository, long maxFileSize) throws SecretsException {
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

}
