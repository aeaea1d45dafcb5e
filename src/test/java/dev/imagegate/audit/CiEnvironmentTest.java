package dev.imagegate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiEnvironmentTest {

  @Test
  void remotesBecomeRepositoryNamesWithoutCredentials() {
    assertEquals("example/myapp", CiEnvironment.repoFromRemote("https://github.com/example/myapp.git"));
    assertEquals("example/myapp", CiEnvironment.repoFromRemote("https://x-access-token:ghs_secret@github.com/example/myapp"));
    assertEquals("example/myapp", CiEnvironment.repoFromRemote("git@github.com:example/myapp.git"));
    assertEquals("example/myapp", CiEnvironment.repoFromRemote("ssh://git@github.com/example/myapp.git"));
    assertEquals("https://git.example.com/team/myapp.git", CiEnvironment.repoFromRemote("https://user:pw@git.example.com/team/myapp.git"));
    assertEquals("git.example.com:team/myapp.git", CiEnvironment.repoFromRemote("git@git.example.com:team/myapp.git"));
  }

  @Test
  void githubRepositoryWinsOverTheRemote(@TempDir Path dir) throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      git.getRepository().getConfig().setString("remote", "origin", "url", "https://token@github.com/other/repo.git");
      git.getRepository().getConfig().save();
    }
    Files.createDirectories(dir.resolve("sub"));
    assertEquals("other/repo", CiEnvironment.from(Map.of(), dir.resolve("sub")).repo());
    CiEnvironment ci = CiEnvironment.from(Map.of("GITHUB_REPOSITORY", "example/myapp", "GITHUB_RUN_ID", "7"), dir);
    assertEquals("example/myapp", ci.repo());
    assertEquals("7", ci.runId());
    assertNull(ci.runUrl(), "no GITHUB_SERVER_URL, no run URL");
    assertNull(CiEnvironment.from(Map.of(), null).repo());
  }
}
