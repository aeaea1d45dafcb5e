package dev.imagegate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every file one goal hands to the next in the output directory ({@code imagegate.outputDirectory}, by default
 * {@code target/imagegate}), in the order the goals write them, with the one way each is read and written.
 *
 * <p>Every handover record is about one image ({@link HandoverRecord#digest()}); a reader names the digest it works
 * on and a file about another digest is refused ({@link HandoverException}): it was left by an earlier image, and
 * attesting, recording or rolling it out would claim something about this image that nobody checked. {@code build}
 * removes them all ({@link #removeFromHereOn}) before it writes a new image.
 */
public enum HandoverFile {
  /** {@code image.json}: what build produced; its digest is the identity every later goal checks. */
  IMAGE("image.json", "build", "mvn package", "No image has been built"),
  /** {@code image.tar}: the OCI image archive build wrote. */
  IMAGE_ARCHIVE("image.tar", "build", "mvn package", "No image archive has been built"),
  /** {@code scan.json}: the scan result. */
  SCAN("scan.json", "scan", "mvn verify", "The image has not been scanned"),
  /** {@code scan.sarif}: the scan result for code scanning. */
  SARIF("scan.sarif", "scan", "mvn verify", "The image has not been scanned"),
  /** {@code sbom.cdx.json}: the CycloneDX SBOM scan wrote. */
  SBOM("sbom.cdx.json", "scan", "mvn verify", "No SBOM has been written"),
  /** {@code push.json}: where push put the image, and who pushed it. */
  PUSH("push.json", "push", "mvn deploy", "Nothing has been pushed"),
  /** {@code sign.json}: what sign signed, with which key, where the signatures are. */
  SIGN("sign.json", "sign", "mvn deploy", "The image has not been signed"),
  /** {@code kyverno-policy.yaml}: the admission policy sign rendered for its key. */
  KYVERNO_POLICY("kyverno-policy.yaml", "sign", "mvn deploy", "No Kyverno policy has been rendered"),
  /** {@code audit.json}: the audit record as S3 holds it. */
  AUDIT("audit.json", "audit", "mvn deploy", "The push has not been recorded"),
  /** {@code gitops.json}: what gitops-update wrote into the GitOps repository. */
  GITOPS("gitops.json", "gitops-update", "mvn imagegate:gitops-update", "Nothing has been rolled out");

  /**
   * The one JSON mapping of the handover records: indented, unknown fields ignored (fields are only ever added). Built
   * on first use, not with this enum: image.json, which every goal reads first, is streamed ({@link JsonStream}), and a
   * goal's first steps should not wait for data binding's cold start.
   */
  public static ObjectMapper json() {
    return Mapper.JSON;
  }

  /** Holds the mapping, so that it is built when {@link #json()} is first called. */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private final String fileName;
  private final String goal;
  private final String command;
  private final String missing;

  HandoverFile(String fileName, String goal, String command, String missing) {
    this.fileName = fileName;
    this.goal = goal;
    this.command = command;
    this.missing = missing;
  }

  /** How a file's bytes become its record. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(byte[] content) throws IOException;
  }

  public String fileName() {
    return fileName;
  }

  /** The goal that writes the file (e.g. {@code scan}). */
  public String goal() {
    return goal;
  }

  /** The file in {@code outputDirectory}. */
  public Path in(Path outputDirectory) {
    return outputDirectory.resolve(fileName);
  }

  public boolean existsIn(Path outputDirectory) {
    return Files.isRegularFile(in(outputDirectory));
  }

  /** What to run to write the file again. */
  public String rerun() {
    return "Run imagegate:" + goal + " again for this image (" + command + "), or start over with mvn clean deploy.";
  }

  /**
   * Reads the file of the image {@code digest}.
   *
   * @throws HandoverException when it is missing, unreadable, or about another digest
   */
  public <T extends HandoverRecord> T read(Path outputDirectory, String digest, Parser<T> parser) throws HandoverException {
    return checked(outputDirectory, digest, readAny(outputDirectory, parser));
  }

  /** Reads the file of the image {@code digest} when it exists; a file about another digest is still refused. */
  public <T extends HandoverRecord> Optional<T> readIfPresent(Path outputDirectory, String digest, Parser<T> parser) throws HandoverException {
    return existsIn(outputDirectory) ? Optional.of(read(outputDirectory, digest, parser)) : Optional.empty();
  }

  /** {@link #read} of a JSON record. */
  public <T extends HandoverRecord> T read(Path outputDirectory, String digest, Class<T> type) throws HandoverException {
    return read(outputDirectory, digest, json(type));
  }

  /** {@link #readIfPresent} of a JSON record. */
  public <T extends HandoverRecord> Optional<T> readIfPresent(Path outputDirectory, String digest, Class<T> type) throws HandoverException {
    return readIfPresent(outputDirectory, digest, json(type));
  }

  /**
   * Reads the file whatever image it is about: only for the file that names the identity the others are checked
   * against ({@code image.json}, or {@code push.json} for a goal run without a build).
   */
  public <T extends HandoverRecord> T readAny(Path outputDirectory, Parser<T> parser) throws HandoverException {
    Path file = in(outputDirectory);
    T record;
    try {
      record = parser.parse(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new HandoverException(missing + ": " + file + " does not exist.",
          "Run imagegate:" + goal + " first (" + command + "), with the same imagegate.outputDirectory.", e);
    } catch (IOException | RuntimeException e) {
      throw new HandoverException("Cannot read " + file + ": " + e.getMessage(), rerun(), e);
    }
    if (record == null || record.digest() == null || !record.digest().matches("sha256:[0-9a-f]{64}")) {
      throw new HandoverException(file + " names no image digest (sha256:<64 hex>).", rerun());
    }
    return record;
  }

  /** {@link #readAny} of a JSON record. */
  public <T extends HandoverRecord> T readAny(Path outputDirectory, Class<T> type) throws HandoverException {
    return readAny(outputDirectory, json(type));
  }

  /** Refuses a record of another image than {@code digest}. */
  public <T extends HandoverRecord> T checked(Path outputDirectory, String digest, T record) throws HandoverException {
    if (!record.digest().equals(digest)) {
      throw new HandoverException(
          in(outputDirectory) + " is about image " + record.digest() + ", but this build's image is " + digest
              + ": it was left by an earlier image and says nothing about this one.",
          rerun());
    }
    return record;
  }

  /** Writes the file atomically (a reader never sees half a file). */
  public Path write(Path outputDirectory, byte[] content) throws HandoverException {
    Path file = in(outputDirectory);
    try {
      AtomicWrite.replace(file, content);
      return file;
    } catch (IOException e) {
      throw new HandoverException("Cannot write " + file + ": " + e.getMessage(), "Check that " + outputDirectory + " is writable.", e);
    }
  }

  /** {@link #write} of a JSON record. */
  public Path write(Path outputDirectory, HandoverRecord record) throws HandoverException {
    byte[] content;
    try {
      content = json().writeValueAsBytes(record);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot render " + fileName + ": " + e.getMessage(), e);
    }
    return write(outputDirectory, content);
  }

  /** Removes the file, if it is there. */
  public void delete(Path outputDirectory) throws HandoverException {
    Path file = in(outputDirectory);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new HandoverException("Cannot remove " + file + ": " + e.getMessage(), "Check the permissions of " + outputDirectory + ".", e);
    }
  }

  /**
   * Removes this file and every file written after it: whatever an earlier image left (its scan, push, signatures,
   * audit record, rollout) must not look like a result about the image now being made.
   *
   * @return the files that were there
   */
  public List<HandoverFile> removeFromHereOn(Path outputDirectory) throws HandoverException {
    List<HandoverFile> removed = new java.util.ArrayList<>();
    for (HandoverFile f : values()) {
      if (f.ordinal() >= ordinal() && f.existsIn(outputDirectory)) {
        f.delete(outputDirectory);
        removed.add(f);
      }
    }
    return removed;
  }

  private static <T> Parser<T> json(Class<T> type) {
    return bytes -> json().readValue(bytes, type);
  }
}
