package dev.imagegate.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code target/imagegate/push.json}: what {@code push} put where; read by {@code sign}, {@code audit} and
 * {@code gitops-update}.
 *
 * <pre>{@code
 * {"schemaVersion":1,"digest":"sha256:…","tag":"sha-…","commit":"<40 hex>","pushedAt":"2026-…Z",
 *  "pushedBy":"arn:aws:sts::…:assumed-role/…",            // only when AWS credentials were used
 *  "targets":[{"registry":"127.0.0.1:17001","repository":"myapp","region":"us-east-1","ecr":true,"account":"123456789012","auth":"ecr",
 *              "reference":"127.0.0.1:17001/myapp@sha256:…","tags":["sha-…"],"uploadedBytes":123,"reusedBlobs":2}]}
 * }</pre>
 * {@code registry} is the host the image was pushed to (for an ECR target with an {@code endpoint}, the endpoint).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "digest", "tag", "commit", "pushedAt", "pushedBy", "targets"})
public record PushRecord(
    int schemaVersion, String digest, String tag, String commit, String pushedAt, String pushedBy, List<Target> targets) {
  public static final String FILE_NAME = "push.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public PushRecord {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  /**
   * One registry/repository pushed to. {@code region} is null for non-ECR targets. {@code account} (the ECR registry
   * id), {@code auth} (the credential source: ecr, settings, docker, anonymous, auto) and {@code serverId} (a
   * settings.xml server id other than the registry host) let later goals reach the registry the way push did.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"registry", "repository", "region", "ecr", "account", "auth", "serverId", "reference", "tags", "uploadedBytes", "reusedBlobs"})
  public record Target(
      String registry, String repository, String region, boolean ecr, String account, String auth, String serverId,
      String reference, List<String> tags, long uploadedBytes, int reusedBlobs) {
    public Target {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public Target(String registry, String repository, String region, boolean ecr, String reference, List<String> tags, long uploadedBytes, int reusedBlobs) {
      this(registry, repository, region, ecr, null, null, null, reference, tags, uploadedBytes, reusedBlobs);
    }
  }

  /** Writes push.json atomically. */
  public void write(Path outputDirectory) throws IOException {
    Files.createDirectories(outputDirectory);
    Path tmp = Files.createTempFile(outputDirectory, FILE_NAME, ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, outputDirectory.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads push.json; a missing file says to run push first. */
  public static PushRecord read(Path outputDirectory) throws RegistryException {
    Path file = outputDirectory.resolve(FILE_NAME);
    try {
      return JSON.readValue(file.toFile(), PushRecord.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new RegistryException("Nothing has been pushed: " + file + " does not exist.", "Run the push goal first (mvn deploy, or imagegate:push after mvn package).", 0, e);
    } catch (IOException e) {
      throw new RegistryException("Cannot read " + file + ": " + e.getMessage(), "Run the push goal again.", 0, e);
    }
  }
}
