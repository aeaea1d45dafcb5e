package dev.imagegate.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code push.json}: what {@code push} put where, and who pushed it; read by {@code sign}, {@code verify-signature},
 * {@code audit} and {@code gitops-update}, each through {@link #read} with the digest it works on.
 *
 * <pre>{@code
 * {"schemaVersion":1,"digest":"sha256:…","tag":"sha-…","commit":"<40 hex>","pushedAt":"2026-…Z",
 *  "pushedBy":"arn:aws:sts::…:assumed-role/…",
 *  "targets":[{"registry":"127.0.0.1:17001","repository":"myapp","region":"us-east-1","ecr":true,"account":"123456789012","auth":"ecr",
 *              "reference":"127.0.0.1:17001/myapp@sha256:…","tags":["sha-…"],"uploadedBytes":123,"reusedBlobs":2,
 *              "pushedBy":"arn:aws:sts::…:assumed-role/…","authentication":"ECR token (GetAuthorizationToken) of the STS identity"}]}
 * }</pre>
 * {@code registry} is the host the image was pushed to (for an ECR target with an {@code endpoint}, the endpoint).
 * {@code pushedBy} is who push authenticated as: the STS identity for ECR, {@code basic:<username>} for a settings.xml
 * server, {@code docker-config:<registry>} for the Docker config, {@code anonymous}; never a secret. At the top, the
 * targets' identities (one, unless the targets were reached with different credentials).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "digest", "tag", "commit", "pushedAt", "pushedBy", "targets"})
public record PushRecord(
    int schemaVersion, String digest, String tag, String commit, String pushedAt, String pushedBy, List<Target> targets) implements HandoverRecord {
  public static final HandoverFile FILE = HandoverFile.PUSH;
  public static final String FILE_NAME = "push.json";

  public PushRecord {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  /**
   * One registry/repository pushed to. {@code region} is null for non-ECR targets. {@code account} (the ECR registry
   * id), {@code auth} (the credential source: ecr, settings, docker, anonymous, auto) and {@code serverId} (a
   * settings.xml server id other than the registry host) let later goals reach the registry the way push did.
   * {@code pushedBy} is who push authenticated as there, {@code authentication} how (never a secret).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"registry", "repository", "region", "ecr", "account", "auth", "serverId", "reference", "tags", "uploadedBytes", "reusedBlobs",
      "pushedBy", "authentication"})
  public record Target(
      String registry, String repository, String region, boolean ecr, String account, String auth, String serverId,
      String reference, List<String> tags, long uploadedBytes, int reusedBlobs, String pushedBy, String authentication) {
    public Target {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public Target(String registry, String repository, String region, boolean ecr, String reference, List<String> tags, long uploadedBytes, int reusedBlobs) {
      this(registry, repository, region, ecr, null, null, null, reference, tags, uploadedBytes, reusedBlobs, null, null);
    }
  }

  /** Writes push.json atomically. */
  public void write(Path outputDirectory) throws HandoverException {
    FILE.write(outputDirectory, this);
  }

  /** Reads push.json of the image {@code digest}: missing, unreadable, of another digest or without a target, refused. */
  public static PushRecord read(Path outputDirectory, String digest) throws HandoverException {
    return nonEmpty(outputDirectory, FILE.read(outputDirectory, digest, PushRecord.class));
  }

  /** Reads push.json whatever image it names: for a goal that runs without image.json, where push.json is the identity. */
  public static PushRecord readAny(Path outputDirectory) throws HandoverException {
    return nonEmpty(outputDirectory, FILE.readAny(outputDirectory, PushRecord.class));
  }

  private static PushRecord nonEmpty(Path outputDirectory, PushRecord record) throws HandoverException {
    if (record.targets().isEmpty()) {
      throw new HandoverException(FILE.in(outputDirectory) + " lists no registry: nothing was pushed.", "Run imagegate:push again (mvn deploy): it records every registry it pushed to.");
    }
    return record;
  }
}
