package dev.imagegate.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCommitReaderTest {
  private static final Instant WHEN = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  private RevCommit commitAll(Git git, String message) throws Exception {
    PersonIdent who = new PersonIdent("t", "t@example.com", Date.from(WHEN), TimeZone.getTimeZone("UTC"));
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  @Test
  void readsHeadFromASubFolderOfTheWorkingTree() throws Exception {
    Path module = Files.createDirectories(dir.resolve("services/app"));
    Files.writeString(module.resolve("pom.xml"), "<project/>");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish("https://example.com/o/r.git")).call();
      RevCommit c = commitAll(git, "first");
      GitCommit read = new GitCommitReader().read(module);
      assertEquals(c.name(), read.sha());
      assertEquals("sha-" + c.name(), read.imageTag());
      assertEquals(WHEN, read.commitTime());
      assertFalse(read.dirty());
      assertEquals("main", read.branch().orElseThrow());
      assertEquals("https://example.com/o/r.git", read.remoteUrl().orElseThrow());
      assertEquals(dir.toRealPath(), read.workTree().toRealPath());
    }
  }

  @Test
  void trackedChangesAreDirtyUntrackedFilesAreNot() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "one");
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      commitAll(git, "first");
      Files.writeString(dir.resolve("untracked.txt"), "new");
      assertFalse(new GitCommitReader().read(dir).dirty());
      Files.writeString(dir.resolve("a.txt"), "two");
      assertTrue(new GitCommitReader().read(dir).dirty());
    }
  }

  @Test
  void notARepositorySaysHowToFixIt() {
    GitRepositoryException e = assertThrows(GitRepositoryException.class, () -> new GitCommitReader().read(dir));
    assertTrue(e.getMessage().contains("not inside a git repository"), e.getMessage());
    assertTrue(e.suggestion().contains("git init"), e.suggestion());
  }

  @Test
  void aRepositoryWithoutCommitsIsRefused() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      GitRepositoryException e = assertThrows(GitRepositoryException.class, () -> new GitCommitReader().read(dir));
      assertTrue(e.getMessage().contains("no commit"), e.getMessage());
    }
  }
}
