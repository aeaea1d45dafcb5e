package dev.imagegate.audit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What the CI environment says about the run: GitHub Actions' {@code GITHUB_*} variables, and the repository from
 * {@code GITHUB_REPOSITORY} or else the project's git remote.
 *
 * @param repo {@code owner/name} or a remote URL without credentials; null when neither is known
 * @param workflow {@code GITHUB_WORKFLOW}
 * @param runId {@code GITHUB_RUN_ID}
 * @param runAttempt {@code GITHUB_RUN_ATTEMPT}
 * @param ref {@code GITHUB_REF}
 * @param actor {@code GITHUB_ACTOR}
 * @param runUrl {@code $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID} when all three are set
 */
public record CiEnvironment(String repo, String workflow, String runId, String runAttempt, String ref, String actor, String runUrl) {

  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(.+)$");

  /** Reads the environment; {@code projectDirectory} (may be null) is where to look for a git remote. */
  public static CiEnvironment from(Map<String, String> env, Path projectDirectory) {
    String repo = value(env, "GITHUB_REPOSITORY");
    if (repo == null && projectDirectory != null) {
      repo = originRemote(projectDirectory).map(CiEnvironment::repoFromRemote).orElse(null);
    }
    String runId = value(env, "GITHUB_RUN_ID");
    String server = value(env, "GITHUB_SERVER_URL");
    String runUrl = server != null && value(env, "GITHUB_REPOSITORY") != null && runId != null
        ? stripSlash(server) + "/" + value(env, "GITHUB_REPOSITORY") + "/actions/runs/" + runId
        : null;
    return new CiEnvironment(repo, value(env, "GITHUB_WORKFLOW"), runId, value(env, "GITHUB_RUN_ATTEMPT"), value(env, "GITHUB_REF"),
        value(env, "GITHUB_ACTOR"), runUrl);
  }

  /**
   * A remote URL as a repository name: {@code owner/name} for github.com (https, ssh or scp-like), otherwise the URL
   * without user info (a token in {@code https://user:token@host/…} never reaches the record).
   */
  static String repoFromRemote(String remote) {
    String r = remote.trim();
    String host;
    String path;
    try {
      if (r.contains("://")) {
        URI uri = URI.create(r);
        host = uri.getHost();
        path = uri.getPath();
        if (host == null) {
          return null;
        }
        String noUser = new URI(uri.getScheme(), null, host, uri.getPort(), path, null, null).toString();
        if (!host.equalsIgnoreCase("github.com")) {
          return noUser;
        }
      } else {
        Matcher m = SCP_LIKE.matcher(r);
        if (!m.matches()) {
          return null;
        }
        host = m.group(1);
        path = m.group(2);
        if (!host.equalsIgnoreCase("github.com")) {
          return host + ":" + path;
        }
      }
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      return null;
    }
    String p = path.replaceAll("^/+", "").replaceAll("/+$", "");
    if (p.endsWith(".git")) {
      p = p.substring(0, p.length() - 4);
    }
    return p.isEmpty() ? null : p;
  }

  private static Optional<String> originRemote(Path projectDirectory) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(projectDirectory.toFile());
    if (builder.getGitDir() == null) {
      return Optional.empty();
    }
    try (Repository repository = builder.setMustExist(true).build()) {
      return Optional.ofNullable(repository.getConfig().getString("remote", "origin", "url"));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
