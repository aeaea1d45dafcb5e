package dev.imagegate.image;

import dev.imagegate.git.GitCommit;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OCI pre-defined annotation keys {@code org.opencontainers.image.{source,revision,created,version}}, written as
 * labels of the image config (where {@code docker inspect}, {@code skopeo inspect --config} and registries such as
 * GitHub's read them). {@code revision} is the commit and {@code created} its committer time, the same instant as the
 * image's own creation time: never the clock, so two builds of one commit stay one digest.
 *
 * @param enabled whether the labels are written at all
 * @param source the project's source repository URL ({@code <scm><url>}), without any user info; empty to leave it out
 * @param version the project's version; empty to leave it out
 */
public record OciLabels(boolean enabled, Optional<String> source, Optional<String> version) {
  public static final String SOURCE = "org.opencontainers.image.source";
  public static final String REVISION = "org.opencontainers.image.revision";
  public static final String CREATED = "org.opencontainers.image.created";
  public static final String VERSION = "org.opencontainers.image.version";

  /** No OCI labels. */
  public static final OciLabels NONE = new OciLabels(false, Optional.empty(), Optional.empty());

  public OciLabels {
    source = source.map(String::trim).filter(s -> !s.isEmpty()).map(OciLabels::withoutUserInfo);
    version = version.map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The labels for an image built from {@code commit}, in the order source, revision, created, version. */
  public Map<String, String> labels(GitCommit commit) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (!enabled) {
      return labels;
    }
    source.ifPresent(s -> labels.put(SOURCE, s));
    labels.put(REVISION, commit.sha());
    labels.put(CREATED, commit.commitTime().toString());
    version.ifPresent(v -> labels.put(VERSION, v));
    return labels;
  }

  /** A URL as given, without {@code user:password@} (a token in an scm URL must not end up in an image). */
  private static String withoutUserInfo(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() == null || uri.getHost() == null) {
        return url;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      int at = url.indexOf('@');
      int scheme = url.indexOf("://");
      return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
    }
  }
}
