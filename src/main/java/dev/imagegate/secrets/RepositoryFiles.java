package dev.imagegate.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
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

    /**
     * One buffer of the file's size (as the listing saw it, or else as the open file says) plus one byte, filled by
     * the channel, no chunks to join. A file of the listed size takes one read: a read of a regular file returns fewer
     * bytes than asked only at the file's end, and the end is where the listing saw it. A file that grew meanwhile is
     * read on, up to {@code max} bytes; one that shrank, to its end.
     */
    @Override
    public byte[] read(String file, int max) throws IOException {
      try (SeekableByteChannel channel = Files.newByteChannel(root.resolve(file))) {
        Long listed = sizes.get(file);
        long expected = listed != null ? listed : channel.size();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, expected + 1));
        while (buffer.hasRemaining()) {
          if (channel.read(buffer) < 0 || buffer.position() == expected && buffer.hasRemaining()) {
            break;
          }
        }
        if (buffer.hasRemaining()) {
          return Arrays.copyOf(buffer.array(), buffer.position());
        }
        if (buffer.capacity() == max) {
          return buffer.array();
        }
        byte[] more = Channels.newInputStream(channel).readNBytes(max - buffer.capacity()); // a file that grew meanwhile
        byte[] all = Arrays.copyOf(buffer.array(), buffer.capacity() + more.length);
        System.arraycopy(more, 0, all, buffer.capacity(), more.length);
        return all;
      }
    }
  }

  private static final Set<String> NON_GIT_SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".idea");

  /**
   * What {@code git ls-files --cached --others --exclude-standard} lists. Asked of the {@code git} command when it is
   * on the PATH ({@link GitLsFiles}: git's own answer, in milliseconds); otherwise, or when git cannot answer (not a
   * repository it accepts, an old git), read with JGit ({@link JgitFiles}), which costs a few hundred milliseconds of
   * class loading and start-up in a fresh JVM. Both give the same list.
   *
   * @param directory the project directory, anywhere inside a working tree (or not in one)
   * @param wholeRepository list the whole working tree instead of only the sub-tree of {@code directory}
   */
  public static RepositoryFiles list(Path directory, boolean wholeRepository) throws SecretsException {
    Optional<RepositoryFiles> fromGit = GitLsFiles.list(directory, wholeRepository);
    return fromGit.isPresent() ? fromGit.get() : JgitFiles.list(directory, wholeRepository);
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
    return JgitFiles.staged(directory, wholeRepository, maxFileSize);
  }

  /** Files of the working tree under {@code root}, with the sizes a listing already knows. */
  static Contents workingTree(Path root, Map<String, Long> sizes) {
    return new WorkingTree(root, sizes);
  }

  /** No repository: every file under the directory, except build output and VCS folders. */
  static RepositoryFiles walk(Path dir) throws SecretsException {
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
