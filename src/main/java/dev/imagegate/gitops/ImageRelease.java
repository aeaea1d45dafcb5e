package dev.imagegate.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What gets written into the GitOps repository: the image's tag, digest, repository and the source commit.
 *
 * <p>Read from {@code target/imagegate/push.json} when the push goal wrote one (the repository of the pushed target),
 * else from {@code image.json} (no registry known yet: the repository must then be configured if it is to be
 * written). Both files are read leniently (unknown fields ignored), but the digest must be a sha256 digest and,
 * when both files exist, the same in both.
 *
 * @param tag the immutable tag, e.g. {@code sha-<40 hex>}
 * @param digest the manifest digest {@code sha256:…}
 * @param repository the full repository ({@code registry/name}), if known
 * @param commit the source commit the image was built from, if known
 * @param source the file the values came from
 */
public record ImageRelease(String tag, String digest, Optional<String> repository, Optional<String> commit, Path source) {

  public static final String PUSH_JSON = "push.json";
  public static final String IMAGE_JSON = "image.json";
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The short form of the commit (or of the tag's sha) used in branch names: 12 hex digits. */
  public String shortSha() {
    String sha = commit.orElse(tag.startsWith("sha-") ? tag.substring(4) : tag);
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /**
   * @param outputDirectory {@code target/imagegate}
   * @param registry the registry host whose target of push.json to use; empty for the first target
   */
  public static ImageRelease read(Path outputDirectory, Optional<String> registry) throws GitopsException {
    Path push = outputDirectory.resolve(PUSH_JSON);
    Path image = outputDirectory.resolve(IMAGE_JSON);
    JsonNode imageJson = Files.isRegularFile(image) ? parse(image) : null;
    if (Files.isRegularFile(push)) {
      JsonNode p = parse(push);
      String digest = text(p, "digest");
      String tag = text(p, "tag");
      Optional<String> repository = Optional.empty();
      JsonNode targets = p.path("targets");
      for (JsonNode t : targets.isArray() ? targets : JSON.createArrayNode()) {
        String host = text(t, "registry");
        String repo = text(t, "repository");
        if (host != null && repo != null && (registry.isEmpty() || registry.get().equals(host))) {
          repository = Optional.of(host + "/" + repo);
          break;
        }
      }
      if (registry.isPresent() && repository.isEmpty()) {
        throw new GitopsException(
            push + " has no target in registry " + registry.get() + ".",
            "Set imagegate.gitops.registry to one of the registries pushed to, or leave it unset to use the first.");
      }
      if (tag == null && imageJson != null) {
        tag = text(imageJson, "tag");
      }
      check(push, tag, digest);
      if (imageJson != null && text(imageJson, "digest") != null && !digest.equals(text(imageJson, "digest"))) {
        throw new GitopsException(
            push + " records digest " + digest + " but " + image + " records " + text(imageJson, "digest")
                + ": the pushed image is not the one built.",
            "Run mvn clean deploy so build, push and gitops-update see the same image.");
      }
      String commit = Optional.ofNullable(text(p, "commit")).orElse(imageJson == null ? null : text(imageJson, "commit"));
      return new ImageRelease(tag, digest, repository, Optional.ofNullable(commit), push);
    }
    if (imageJson == null) {
      throw new GitopsException(
          "No image to roll out: neither " + push + " nor " + image + " exists.",
          "Run mvn deploy first (build and push the image), then mvn imagegate:gitops-update in the same project.");
    }
    String tag = text(imageJson, "tag");
    String digest = text(imageJson, "digest");
    check(image, tag, digest);
    return new ImageRelease(tag, digest, Optional.empty(), Optional.ofNullable(text(imageJson, "commit")), image);
  }

  private static void check(Path file, String tag, String digest) throws GitopsException {
    if (digest == null || !SHA256.matcher(digest).matches()) {
      throw new GitopsException(
          file + " has no valid digest (sha256:<64 hex>).", "Run mvn clean deploy to write it again.");
    }
    if (tag == null || tag.isBlank()) {
      throw new GitopsException(file + " has no tag.", "Run mvn clean deploy to write it again.");
    }
  }

  private static JsonNode parse(Path file) throws GitopsException {
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new GitopsException(
          "Cannot read " + file + ": " + e.getMessage(), "Run mvn clean deploy to write it again.", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }
}
