package dev.imagegate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git command's listing is the JGit listing: same files, same order, same sizes, same scope. */
class GitLsFilesTest {

  @TempDir Path dir;

  private void write(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void repository() throws Exception {
    write("ignored-but-tracked.log", "tracked before the ignore rule\n");
    commit();
    write(".gitignore", "*.log\n!keep.log\nbuild/\n/rooted.txt\ndocs/**/*.tmp\n");
    write("app/.gitignore", "local.properties\n");
    write("app/src/Main.java", "class Main {}\n");
    write("app/src/ü-name.txt", "non-ASCII name\n");
    write("app/local.properties", "ignored in app\n");
    write("app/keep.log", "re-included\n");
    write("app/x.log", "ignored\n");
    write("rooted.txt", "ignored at the root\n");
    write("app/rooted.txt", "not ignored below\n");
    write("docs/a/b/c.tmp", "ignored by **\n");
    write("docs/a/b/c.md", "kept\n");
    write("gone.txt", "tracked, then deleted\n");
    commit();
    Files.delete(dir.resolve("gone.txt"));
    write("build/out.txt", "ignored directory\n");
    write("app/untracked.txt", "untracked, not ignored\n");
    write("nested/inner/.git/HEAD", "ref: refs/heads/main\n"); // a nested repository: not followed
    Files.createSymbolicLink(dir.resolve("app/link.txt"), Path.of("src/Main.java"));
  }

  private void commit() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("c").setAuthor("t", "t@t").setCommitter("t", "t@t").setSign(false).call();
    }
  }

  private static void assertSame(RepositoryFiles expected, RepositoryFiles actual) throws IOException {
    assertEquals(expected.root(), actual.root());
    assertEquals(expected.scope(), actual.scope());
    assertEquals(expected.files(), actual.files());
    assertTrue(actual.git());
    for (String f : expected.files()) {
      assertEquals(expected.size(f), actual.size(f), f);
      assertEquals(new String(expected.read(f, 1000), StandardCharsets.ISO_8859_1),
          new String(actual.read(f, 1000), StandardCharsets.ISO_8859_1), f);
    }
  }

  @Test
  void listsWhatJgitListsForTheWholeTreeAndForASubTree() throws Exception {
    repository();
    Optional<RepositoryFiles> whole = GitLsFiles.list(dir, true);
    assertTrue(whole.isPresent(), "git is on the PATH of the build");
    assertSame(JgitFiles.list(dir, true), whole.get());
    assertTrue(whole.get().files().containsAll(
        List.of("app/keep.log", "app/rooted.txt", "app/untracked.txt", "docs/a/b/c.md", "ignored-but-tracked.log")),
        whole.get().files().toString());
    assertEquals(List.of(), whole.get().files().stream()
        .filter(f -> f.endsWith("x.log") || f.startsWith("build/") || f.equals("rooted.txt") || f.endsWith(".tmp")
            || f.equals("gone.txt") || f.startsWith("nested/") || f.endsWith("link.txt") || f.endsWith("local.properties"))
        .toList());
    Optional<RepositoryFiles> app = GitLsFiles.list(dir.resolve("app"), false);
    assertSame(JgitFiles.list(dir.resolve("app"), false), app.orElseThrow());
    assertEquals("app", app.get().scope());
  }

  /**
   * A tree large enough that the working-tree checks run on every core: still JGit's listing, in git's order, with
   * deleted files, symbolic links, a nested repository and names with spaces and newlines among hundreds of files.
   */
  @Test
  void aLargeTreeListsWhatJgitLists() throws Exception {
    repository();
    for (int i = 0; i < 600; i++) {
      write("many/d" + (i % 7) + "/f " + i + (i % 50 == 0 ? "\nline" : "") + ".txt", "file " + i + "\n");
    }
    commit();
    for (int i = 0; i < 600; i += 37) {
      Files.delete(dir.resolve("many/d" + (i % 7) + "/f " + i + (i % 50 == 0 ? "\nline" : "") + ".txt"));
    }
    for (int i = 0; i < 40; i++) {
      Files.createSymbolicLink(dir.resolve("many/link" + i + ".txt"), Path.of("d0/f 7.txt"));
    }
    Git.init().setDirectory(dir.resolve("many/nested").toFile()).setInitialBranch("main").call().close();
    write("many/nested/inside.txt", "in a nested repository\n");
    RepositoryFiles git = GitLsFiles.list(dir, true).orElseThrow();
    assertSame(JgitFiles.list(dir, true), git);
    assertTrue(git.files().size() > 256 + 256, "more paths than one core checks: " + git.files().size());
    assertTrue(git.files().contains("many/d0/f 350\nline.txt"), "a name with a newline");
    assertEquals(List.of(), git.files().stream()
        .filter(f -> f.contains("link") || f.contains("nested") || f.equals("many/d0/f 0\nline.txt") || f.equals("many/d2/f 37.txt"))
        .toList());
  }

  @Test
  void outsideARepositoryGitGivesWayToTheDirectoryWalk() throws Exception {
    write("a.txt", "x\n");
    assertEquals(Optional.empty(), GitLsFiles.list(dir, false));
    RepositoryFiles listed = RepositoryFiles.list(dir, false);
    assertEquals(List.of("a.txt"), listed.files());
    assertEquals(false, listed.git());
  }

  @Test
  void readsAFileThatGrewAfterTheListingUpToTheLimit() throws Exception {
    repository();
    RepositoryFiles files = GitLsFiles.list(dir, true).orElseThrow();
    Files.writeString(dir.resolve("app/untracked.txt"), "0123456789".repeat(10));
    assertEquals(100, files.read("app/untracked.txt", 1000).length);
    assertEquals(51, files.read("app/untracked.txt", 51).length);
  }

  /** The listed size spares a size query and the read at the end, but what is read is what the file holds. */
  @Test
  void readsWhatTheFileHoldsWhenItsSizeChangedAfterTheListing() throws Exception {
    repository();
    RepositoryFiles files = GitLsFiles.list(dir, true).orElseThrow();
    String listed = "untracked, not ignored\n";
    assertEquals(listed.length(), files.size("app/untracked.txt"));
    assertEquals(listed, new String(files.read("app/untracked.txt", listed.length() + 1), StandardCharsets.UTF_8));
    assertEquals("untr", new String(files.read("app/untracked.txt", 4), StandardCharsets.UTF_8));
    Files.writeString(dir.resolve("app/untracked.txt"), "shrank\n");
    assertEquals("shrank\n", new String(files.read("app/untracked.txt", listed.length() + 1), StandardCharsets.UTF_8));
    Files.writeString(dir.resolve("app/untracked.txt"), "x".repeat(listed.length() + 5));
    assertEquals(listed.length() + 1, files.read("app/untracked.txt", listed.length() + 1).length, "grew: one byte over says so");
    Files.writeString(dir.resolve("app/untracked.txt"), "");
    assertEquals(0, files.read("app/untracked.txt", listed.length() + 1).length);
    Files.delete(dir.resolve("app/untracked.txt"));
    try {
      files.read("app/untracked.txt", 100);
      throw new AssertionError("a file deleted after the listing was read");
    } catch (IOException expected) {
      // reported by the caller as a file it could not read
    }
  }

  @Test
  void pathsAreEachListedOnceInGitsOrder() {
    byte[] out = "b\0a/c\0a.b\0b\0".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("a.b", "a/c", "b"), GitLsFiles.paths(out));
  }
}
