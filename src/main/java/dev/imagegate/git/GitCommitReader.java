package dev.imagegate.git;

import dev.imagegate.DaemonThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Reads the HEAD commit of the repository that contains a project directory (which may be a sub-folder). */
public final class GitCommitReader {

  /**
   * Reads the commit and the working tree's status once on a low-priority daemon thread and throws the result away:
   * the first status in a JVM is mostly JGit's class loading and cold code (0.4-0.6 s in a Maven JVM, against ~0.03 s
   * warm), so a goal that runs before {@code build} starts this for it. Read-only (JGit's status writes nothing);
   * whatever fails here fails again, and is reported, when the build reads the commit itself.
   *
   * @return the thread, started
   */
  public static Thread warmUp(Path projectDirectory) {
    return DaemonThreads.warmUp("imagegate-git-warm-up", Thread.MIN_PRIORITY, () -> {
      try {
        new GitCommitReader().read(projectDirectory);
      } catch (GitRepositoryException e) {
        // only a head start
      }
    });
  }

  /**
   * @param projectDirectory the Maven project's base directory, anywhere inside a working tree
   * @throws GitRepositoryException if there is no repository or no commit
   */
  public GitCommit read(Path projectDirectory) throws GitRepositoryException {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(projectDirectory.toFile());
    if (builder.getGitDir() == null) {
      throw new GitRepositoryException(
          "The project directory " + projectDirectory + " is not inside a git repository.",
          "imagegate tags every image with its commit (sha-<commit>). Build from a git checkout with its .git"
              + " directory (actions/checkout does this), or create one: git init && git add -A && git commit -m initial",
          null);
    }
    try (Repository repository = builder.setMustExist(true).build(); Git git = new Git(repository)) {
      ObjectId head = repository.resolve("HEAD");
      if (head == null) {
        throw new GitRepositoryException(
            "The git repository at " + repository.getWorkTree() + " has no commit yet (HEAD is unborn).",
            "Commit the project first: git add -A && git commit -m initial",
            null);
      }
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repository)) {
        commit = walk.parseCommit(head);
      }
      boolean dirty = git.status().call().hasUncommittedChanges();
      String branch = repository.getFullBranch();
      Optional<String> branchName =
          branch != null && branch.startsWith("refs/heads/")
              ? Optional.of(branch.substring("refs/heads/".length()))
              : Optional.empty();
      Optional<String> remote =
          Optional.ofNullable(repository.getConfig().getString("remote", "origin", "url"));
      return new GitCommit(
          head.name(),
          Instant.ofEpochSecond(commit.getCommitTime()),
          dirty,
          repository.getWorkTree().toPath(),
          branchName,
          remote);
    } catch (IOException | GitAPIException e) {
      throw new GitRepositoryException(
          "Could not read the git repository of " + projectDirectory + ": " + e.getMessage(),
          "Check that " + builder.getGitDir() + " is a valid repository (git status works there).",
          e);
    }
  }
}
