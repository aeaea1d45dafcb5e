package dev.imagegate.gitops;

import dev.imagegate.HandoverFile;
import dev.imagegate.ImagegateException;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.PushRecord;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What gets written into the GitOps repository: the image's tag, digest, repository and the source commit.
 *
 * <p>Read from {@code push.json} when the push goal wrote one (the repository of the pushed target), else from
 * {@code image.json} (no registry known yet: the repository must then be configured if it is to be written). When
 * both exist, push.json must be about image.json's digest (a push.json an earlier image left is refused).
 *
 * @param tag the immutable tag, e.g. {@code sha-<40 hex>}
 * @param digest the manifest digest {@code sha256:…}
 * @param repository the full repository ({@code registry/name}), if known
 * @param commit the source commit the image was built from, if known
 * @param source the file the values came from
 */
public record ImageRelease(String tag, String digest, Optional<String> repository, Optional<String> commit, Path source) {

  /** The short form of the commit (or of the tag's sha) used in branch names: 12 hex digits. */
  public String shortSha() {
    String sha = commit.orElse(tag.startsWith("sha-") ? tag.substring(4) : tag);
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /**
   * @param outputDirectory where the goals hand over (imagegate.outputDirectory)
   * @param registry the registry host whose target of push.json to use; empty for the first target
   */
  public static ImageRelease read(Path outputDirectory, Optional<String> registry) throws ImagegateException {
    ImageDescriptor image = HandoverFile.IMAGE.existsIn(outputDirectory) ? ImageDescriptor.read(outputDirectory) : null;
    if (HandoverFile.PUSH.existsIn(outputDirectory)) {
      PushRecord push = image == null ? PushRecord.readAny(outputDirectory) : PushRecord.read(outputDirectory, image.digest());
      Path file = PushRecord.FILE.in(outputDirectory);
      Optional<String> repository = push.targets().stream()
          .filter(t -> t.registry() != null && t.repository() != null && (registry.isEmpty() || registry.get().equals(t.registry())))
          .map(t -> t.registry() + "/" + t.repository())
          .findFirst();
      if (registry.isPresent() && repository.isEmpty()) {
        throw new GitopsException(
            file + " has no target in registry " + registry.get() + ".",
            "Set imagegate.gitops.registry to one of the registries pushed to, or leave it unset to use the first.");
      }
      String tag = blank(push.tag()) && image != null ? image.tag() : push.tag();
      if (blank(tag)) {
        throw new GitopsException(file + " has no tag.", "Run mvn clean deploy to write it again.");
      }
      String commit = !blank(push.commit()) ? push.commit() : image == null ? null : image.commit();
      return new ImageRelease(tag, push.digest(), repository, Optional.ofNullable(commit), file);
    }
    if (image == null) {
      throw new GitopsException(
          "No image to roll out: neither " + PushRecord.FILE.in(outputDirectory) + " nor " + ImageDescriptor.FILE.in(outputDirectory) + " exists.",
          "Run mvn deploy first (build and push the image), then mvn imagegate:gitops-update in the same project.");
    }
    if (blank(image.tag())) {
      throw new GitopsException(ImageDescriptor.FILE.in(outputDirectory) + " has no tag.", "Run mvn clean deploy to write it again.");
    }
    return new ImageRelease(image.tag(), image.digest(), Optional.empty(), Optional.ofNullable(image.commit()), ImageDescriptor.FILE.in(outputDirectory));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
