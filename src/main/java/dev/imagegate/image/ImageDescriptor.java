package dev.imagegate.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import dev.imagegate.JsonStream;
import dev.imagegate.oci.Descriptor;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
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

    static PlatformImage read(JsonParser p) throws IOException {
      String[] text = new String[3];
      @SuppressWarnings("unchecked")
      List<Descriptor>[] layers = new List[1];
      JsonStream.object(p, (name, q) -> {
        switch (name) {
          case "platform" -> text[0] = JsonStream.string(q);
          case "digest" -> text[1] = JsonStream.string(q);
          case "imageId" -> text[2] = JsonStream.string(q);
          case "layers" -> layers[0] = JsonStream.list(q, Descriptor::read);
          default -> JsonStream.skip(q);
        }
      });
      return new PlatformImage(text[0], text[1], text[2], layers[0]);
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
  public record BaseImage(String reference, String digest) {
    static BaseImage read(JsonParser p) throws IOException {
      String[] text = new String[2];
      JsonStream.object(p, (name, q) -> {
        switch (name) {
          case "reference" -> text[0] = JsonStream.string(q);
          case "digest" -> text[1] = JsonStream.string(q);
          default -> JsonStream.skip(q);
        }
      });
      return new BaseImage(text[0], text[1]);
    }
  }

  /** The archive path resolved against the directory that holds image.json. */
  public Path archivePath(Path outputDirectory) {
    return outputDirectory.resolve(archive);
  }

  /**
   * image.json's bytes as the record, streamed (jackson-core only: see {@link JsonStream}), as data binding read them
   * before: every goal reads this file first, and in a fresh JVM data binding's first use cost more than the reading.
   * Null for the literal {@code null}.
   */
  public static ImageDescriptor parse(byte[] json) throws IOException {
    return JsonStream.parse(json, p -> {
      String[] text = new String[10]; // name, tag, digest, mediaType, imageId, archive, user, created, commit, plugin
      int[] schemaVersion = new int[1];
      boolean[] dirty = new boolean[1];
      BaseImage[] base = new BaseImage[1];
      @SuppressWarnings("unchecked")
      List<Descriptor>[] layers = new List[1];
      @SuppressWarnings("unchecked")
      List<PlatformImage>[] platforms = new List[1];
      JsonStream.object(p, (name, q) -> {
        switch (name) {
          case "schemaVersion" -> schemaVersion[0] = JsonStream.intValue(q);
          case "name" -> text[0] = JsonStream.string(q);
          case "tag" -> text[1] = JsonStream.string(q);
          case "digest" -> text[2] = JsonStream.string(q);
          case "mediaType" -> text[3] = JsonStream.string(q);
          case "imageId" -> text[4] = JsonStream.string(q);
          case "archive" -> text[5] = JsonStream.string(q);
          case "base" -> base[0] = JsonStream.nullable(q, BaseImage::read);
          case "layers" -> layers[0] = JsonStream.list(q, Descriptor::read);
          case "user" -> text[6] = JsonStream.string(q);
          case "created" -> text[7] = JsonStream.string(q);
          case "commit" -> text[8] = JsonStream.string(q);
          case "dirty" -> dirty[0] = JsonStream.bool(q);
          case "plugin" -> text[9] = JsonStream.string(q);
          case "platforms" -> platforms[0] = JsonStream.list(q, PlatformImage::read);
          default -> JsonStream.skip(q);
        }
      });
      return new ImageDescriptor(schemaVersion[0], text[0], text[1], text[2], text[3], text[4], text[5], base[0], layers[0], text[6], text[7],
          text[8], dirty[0], text[9], platforms[0]);
    });
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
    ImageDescriptor d = FILE.readAny(outputDirectory, ImageDescriptor::parse);
    if (d.archive() == null) {
      throw new HandoverException(FILE.in(outputDirectory) + " names no image archive.", FILE.rerun());
    }
    return d;
  }
}
