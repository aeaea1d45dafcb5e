package dev.imagegate.image;

import dev.imagegate.AtomicWrite;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code target/imagegate/image.json}: what {@code build} produced, read by every later goal instead of rebuilding.
 *
 * @param schemaVersion version of this file's schema (1)
 * @param name the image name (repository part, without registry), e.g. {@code myapp}
 * @param tag the immutable tag, {@code sha-<40 hex>} unless configured
 * @param digest the manifest digest {@code sha256:…}: the image's identity from here on
 * @param mediaType the manifest media type
 * @param imageId the config blob digest
 * @param archive the OCI image archive, relative to the directory of image.json
 * @param base the base image as configured and its digest
 * @param layers the image's layers, lowest first
 * @param user the user the image runs as
 * @param created the image creation time (ISO-8601, the commit time)
 * @param commit the full git commit sha the image was built from
 * @param dirty whether the working tree had uncommitted changes to tracked files
 * @param plugin the plugin version that built it
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
    String plugin) {

  public static final String FILE_NAME = "image.json";
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ImageDescriptor {
    layers = layers == null ? List.of() : List.copyOf(layers);
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
  public void write(Path outputDirectory) throws IOException {
    AtomicWrite.replace(outputDirectory.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
  }

  /**
   * Reads image.json from the build's output directory.
   *
   * @throws OciArchiveException when it is missing or unreadable, naming the goal to run
   */
  public static ImageDescriptor read(Path outputDirectory) throws OciArchiveException {
    Path file = outputDirectory.resolve(FILE_NAME);
    try {
      ImageDescriptor d = JSON.readValue(file.toFile(), ImageDescriptor.class);
      if (!Digests.isSha256(d.digest()) || d.archive() == null) {
        throw new IOException("it has no valid digest or archive");
      }
      return d;
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new OciArchiveException(
          "No image has been built: " + file + " does not exist.",
          "Run the build goal first, e.g. mvn package (with the imagegate build goal bound) or mvn package imagegate:build.",
          e);
    } catch (IOException e) {
      throw new OciArchiveException(
          "Cannot read " + file + ": " + e.getMessage(),
          "Run the build goal again (mvn package) to recreate it.",
          e);
    }
  }
}
