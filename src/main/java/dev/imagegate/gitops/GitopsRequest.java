package dev.imagegate.gitops;

import dev.imagegate.registry.Credential;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one GitOps update needs.
 *
 * @param url the repository URL ({@code https://…}, {@code ssh://…}, {@code git@host:org/repo.git},
 *     {@code http://…} only when {@code allowInsecureHttp}); no credentials in it
 * @param branch the branch to update (or to start the push branch from)
 * @param pushBranch push to this branch instead of {@code branch} (created from {@code branch} if missing)
 * @param files the values files to edit
 * @param release the tag, digest, repository to write
 * @param messageTemplate the commit message; {@code {tag}}, {@code {digest}}, {@code {repository}}, {@code {commit}},
 *     {@code {shortSha}}, {@code {files}} are replaced
 * @param authorName the commit author and committer name
 * @param authorEmail the commit author and committer email
 * @param credential user name and password/token for HTTP(S), if any
 * @param maxAttempts how many times to fetch, edit and push before giving up on races (at least 1)
 * @param backoff the first wait after a rejected push; doubled each time, with jitter
 * @param timeout the network timeout of each fetch and push
 * @param workDirectory where the temporary clone goes (deleted afterwards)
 * @param createMissing create a missing last key instead of failing
 * @param allowInsecureHttp allow sending credentials over plain http://
 * @param ssh the key and host-key checking for {@code ssh://} and {@code user@host:path} URLs
 */
public record GitopsRequest(
    String url,
    String branch,
    Optional<String> pushBranch,
    List<ValuesFile> files,
    ImageRelease release,
    String messageTemplate,
    String authorName,
    String authorEmail,
    Optional<Credential> credential,
    int maxAttempts,
    Duration backoff,
    Duration timeout,
    Path workDirectory,
    boolean createMissing,
    boolean allowInsecureHttp,
    SshOptions ssh) {

  public static final String DEFAULT_MESSAGE =
      "ci: update image tag to {tag}\n\nimage: {repository}@{digest}\nsource commit: {commit}\n";

  public GitopsRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(branch, "branch");
    files = List.copyOf(files);
    Objects.requireNonNull(release, "release");
    pushBranch = pushBranch == null ? Optional.empty() : pushBranch.filter(b -> !b.isBlank());
    credential = credential == null ? Optional.empty() : credential;
    ssh = ssh == null ? SshOptions.defaults() : ssh;
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** The branch the commit is pushed to. */
  public String targetBranch() {
    return pushBranch.orElse(branch);
  }
}
