package dev.imagegate.git;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The commit a build is made from.
 *
 * @param sha the full 40-hex object id of HEAD
 * @param commitTime the committer time of HEAD (reproducible, meaningful image creation time)
 * @param dirty whether tracked files differ from HEAD (untracked files do not count, as with {@code git describe --dirty})
 * @param workTree the root of the repository's working tree
 * @param branch the checked-out branch, empty on a detached HEAD
 * @param remoteUrl the URL of remote {@code origin}, empty if there is none
 */
public record GitCommit(
    String sha, Instant commitTime, boolean dirty, Path workTree, Optional<String> branch, Optional<String> remoteUrl) {

  public GitCommit {
    if (sha == null || !sha.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("not a full commit sha: " + sha);
    }
  }

  /** The immutable image tag for this commit: {@code sha-<40 hex>}. */
  public String imageTag() {
    return "sha-" + sha;
  }
}
