package dev.imagegate.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import dev.imagegate.oci.Descriptor;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code target/imagegate/image.json}: what {@code build} produced, read by every later goal instead of rebuilding.
 *
 * @param schemaVersion version of this file's schema (1)
 * @param name the image name (repository part, without registry), e.g. {@code myapp}
 * @param tag the immutable tag, {@code sha-<40 hex>} unless configured
 * @param digest the manifest digest {@code sha256:…}: the image's identity from here on; for a multi-platform image the
 *     digest of its OCI image index
 * @param mediaType the manifest media type (the image index's for a multi-platform image)
 * @param imageId the config blob digest (null for a multi-platform image: see {@code platforms})
 * @param archive the OCI image archive, relative to the directory of image.json
 * @param base the base image as configured and its digest
 * @param layers the image's layers, lowest first (empty for a multi-platform image: see {@code platforms})
 * @param user the user the image runs as
 * @param created the image creation time (ISO-8601, the commit time)
 * @param commit the full git commit sha the image was built from
 * @param dirty whether the working tree had uncommitted changes to tracked files
 * @param plugin the plugin version that built it
 * @param platforms for a multi-platform image, each platform's image manifest in the index's order; empty otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDescriptor(
    int schemaVersion,
    String name,
    String tag,
    String digest,
    String mediaType,
    String imageId,
    String archive,
    BaseImage base,
    List<Descriptor> layers,
    String user,
    String created,
    String commit,
    boolean dirty,
    String plugin,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PlatformImage> platforms) implements HandoverRecord {

  public static final HandoverFile FILE = HandoverFile.IMAGE;
  public static final String FILE_NAME = "image.json";
  public static final int SCHEMA_VERSION = 1;

  public ImageDescriptor {
    layers = layers == null ? List.of() : List.copyOf(layers);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  /** A single-platform image (no index). */
  public ImageDescriptor(int schemaVersion, String name, String tag, String digest, String mediaType, String imageId, String archive,
      BaseImage base, List<Descriptor> layers, String user, String created, String commit, boolean dirty, String plugin) {
    this(schemaVersion, name, tag, digest, mediaType, imageId, archive, base, layers, user, created, commit, dirty, plugin, List.of());
  }

  /**
   * One platform's image of a multi-platform image.
   *
   * @param platform the platform, e.g. {@code linux/arm64}
   * @param digest its image manifest digest
   * @param imageId its config blob digest
   * @param layers its layers, lowest first
   */
  public record PlatformImage(String platform, String digest, String imageId, List<Descriptor> layers) {
    public PlatformImage {
      layers = layers == null ? List.of() : List.copyOf(layers);
    }
  }

  /** Whether this is a multi-platform image: {@code digest} is then an image index's. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean multiPlatform() {
    return !platforms.isEmpty();
  }

  /**
   * The base image.
   *
   * @param reference the reference as configured
   * @param digest the digest it is pinned to, or null when unpinned (allowed only by opt-out)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BaseImage(String reference, String digest) {}

  /** The archive path resolved against the directory that holds image.json. */
  public Path archivePath(Path outputDirectory) {
    return outputDirectory.resolve(archive);
  }

  /** Writes image.json atomically (a reader never sees half a file). */
  public void write(Path outputDirectory) throws HandoverException {
    FILE.write(outputDirectory, this);
  }

  /**
   * Reads image.json from the build's output directory: the image every later goal works on.
   *
   * @throws HandoverException when it is missing or unreadable, naming the goal to run
   */
  public static ImageDescriptor read(Path outputDirectory) throws HandoverException {
    ImageDescriptor d = FILE.readAny(outputDirectory, ImageDescriptor.class);
    if (d.archive() == null) {
      throw new HandoverException(FILE.in(outputDirectory) + " names no image archive.", FILE.rerun());
    }
    return d;
  }
}
