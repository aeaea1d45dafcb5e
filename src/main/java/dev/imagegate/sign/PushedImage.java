package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code push.json} says was pushed: one digest, and every registry/repository it is in.
 *
 * @param digest the manifest digest pushed everywhere
 * @param targets one per registry pushed to
 */
public record PushedImage(String digest, List<Target> targets) {
  public static final String FILE_NAME = "push.json";

  public PushedImage {
    targets = List.copyOf(targets);
  }

  /**
   * One registry/repository the digest was pushed to, and how push authenticated there.
   *
   * @param registry the host pushed to
   * @param region the AWS region of an ECR target, else empty
   * @param ecr whether push used ECR credentials
   * @param account the ECR registry id, or empty (the caller's account)
   * @param auth the credential source push used (ecr, settings, docker, anonymous, auto), or empty (older push.json)
   * @param serverId the settings.xml server id push used, or empty (the registry host)
   */
  public record Target(String registry, String repository, String region, boolean ecr, String account, String auth, String serverId) {
    public Target(String registry, String repository, String region, boolean ecr) {
      this(registry, repository, region, ecr, "", "", "");
    }

    /** The target for {@link RegistryAuth}: the same credentials as push used (an ECR token in its region for ECR targets). */
    public RegistryAuth.Target registryTarget() {
      String kind = auth == null || auth.isBlank() ? (ecr ? "ecr" : "auto") : auth;
      return new RegistryAuth.Target(registry, null, repository, region, kind, serverId, account);
    }

    /** {@code registry/repository} */
    public String name() {
      return registry + "/" + repository;
    }

    public String reference(String digest) {
      return name() + "@" + digest;
    }
  }

  public static PushedImage read(Path outputDirectory) throws SigningException {
    Path file = outputDirectory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new SigningException(
          "No " + file + ": nothing says which registries the image was pushed to.",
          "Run imagegate:push first (it runs in the deploy phase before sign), or give the images explicitly (imagegate.verify.images).");
    }
    JsonNode root;
    try {
      root = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new SigningException("Cannot read " + file + ": " + e.getMessage(), "Run imagegate:push again to rewrite it.", e);
    }
    String digest = root.path("digest").asText("");
    if (!Digests.isSha256(digest)) {
      throw new SigningException(file + " has no valid digest ('" + digest + "').", "Run imagegate:push again to rewrite it.");
    }
    List<Target> targets = new ArrayList<>();
    for (JsonNode t : root.path("targets")) {
      targets.add(new Target(t.path("registry").asText(), t.path("repository").asText(), t.path("region").asText(""), t.path("ecr").asBoolean(false),
          t.path("account").asText(""), t.path("auth").asText(""), t.path("serverId").asText("")));
    }
    if (targets.isEmpty()) {
      throw new SigningException(file + " lists no targets.", "Run imagegate:push again: it records every registry it pushed to.");
    }
    return new PushedImage(digest, targets);
  }

  /** Parses {@code registry/repository@sha256:…}. */
  public static Target parseReference(String reference, StringBuilder digestOut) throws SigningException {
    int at = reference.indexOf('@');
    int slash = reference.indexOf('/');
    if (at < 0 || slash < 0 || slash > at || !Digests.isSha256(reference.substring(at + 1))) {
      throw new SigningException(
          "'" + reference + "' is not an image reference by digest.",
          "Write images as <registry>/<repository>@sha256:<hex>, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/myapp@sha256:….");
    }
    digestOut.append(reference.substring(at + 1));
    return new Target(reference.substring(0, slash), reference.substring(slash + 1, at), "", reference.contains(".dkr.ecr."));
  }
}
