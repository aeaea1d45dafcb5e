package dev.imagegate.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.regex.Pattern;

/**
 * The rules every image must pass before it is built, each with an explicit opt-out.
 *
 * @param allowUnpinnedBase accept a base image not pinned by digest
 * @param allowLatestBase accept a base image tagged {@code latest} (or with no tag)
 * @param allowRootUser accept an image that runs as root
 * @param allowInsecureRegistries allow plain HTTP (and credentials over it) for the base image's registry
 */
public record BuildPolicy(
    boolean allowUnpinnedBase, boolean allowLatestBase, boolean allowRootUser, boolean allowInsecureRegistries) {

  /** The strict default: everything refused. */
  public static final BuildPolicy STRICT = new BuildPolicy(false, false, false, false);

  /** What Docker accepts as a tag. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /** Parses and checks the base image reference. */
  public ImageReference checkBase(String base) throws BuildException {
    if (base == null || base.isBlank()) {
      throw new BuildException(
          "No base image is configured.",
          "Set <from> in the plugin configuration (or -Dimagegate.from=…), pinned by digest, e.g."
              + " <from>registry.example.com/java-base:17@sha256:…</from>.");
    }
    ImageReference ref;
    try {
      ref = ImageReference.parse(base.trim());
    } catch (InvalidImageReferenceException e) {
      throw new BuildException(
          "The base image reference '" + base + "' is not a valid image reference.",
          "Write it as registry/repository:tag@sha256:<digest>.",
          e);
    }
    boolean pinned = ref.getDigest().isPresent();
    String tag = ref.getTag().orElse(null);
    if (!allowLatestBase && ("latest".equals(tag) || (tag == null && !pinned))) {
      throw new BuildException(
          "The base image '" + base + "' refers to the mutable tag 'latest'.",
          "Use a versioned tag pinned by digest (repository:17@sha256:…), or set"
              + " <allowLatestBase>true</allowLatestBase> (imagegate.allowLatestBase) to accept it.");
    }
    if (!pinned && !allowUnpinnedBase) {
      throw new BuildException(
          "The base image '" + base + "' is not pinned by digest: the same commit could build a different image tomorrow.",
          "Pin it: append @sha256:<digest> (skopeo inspect --format '{{.Digest}}' docker://" + base
              + " prints it), or set <allowUnpinnedBase>true</allowUnpinnedBase> (imagegate.allowUnpinnedBase).");
    }
    return ref;
  }

  /** Checks that the configured user is not root. */
  public void checkUser(String user) throws BuildException {
    if (allowRootUser) {
      return;
    }
    if (user == null || user.isBlank()) {
      throw new BuildException(
          "No user is configured, so the image would run as the base image's user, which may be root.",
          "Set <user>65532</user> (the default), or <allowRootUser>true</allowRootUser> (imagegate.allowRootUser).");
    }
    String uid = user.trim().split(":", 2)[0];
    if (uid.equals("root") || uid.matches("0+")) {
      throw new BuildException(
          "The image would run as root (user '" + user + "').",
          "Run as a non-root user: <user>65532</user> (the default; nonroot in distroless images), or set"
              + " <allowRootUser>true</allowRootUser> (imagegate.allowRootUser) if root is really needed.");
    }
  }

  /** Checks an explicitly configured tag. */
  public static void checkTag(String tag) throws BuildException {
    if (!TAG.matcher(tag).matches()) {
      throw new BuildException(
          "The tag '" + tag + "' is not a valid image tag.",
          "A tag has up to 128 letters, digits, '_', '.', '-' and does not start with '.' or '-'."
              + " Leave <tag> unset to use sha-<commit>.");
    }
    if (tag.equalsIgnoreCase("latest")) {
      throw new BuildException(
          "The tag 'latest' is mutable and is refused.",
          "Leave <tag> unset: the image is tagged sha-<full commit sha>, which never moves.");
    }
  }
}
