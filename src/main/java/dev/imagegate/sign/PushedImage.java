package dev.imagegate.sign;

import dev.imagegate.HandoverException;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.oci.Digests;
import dev.imagegate.registry.PushRecord;
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

  /** What {@code push.json} says, whatever image it names (verify-signature's default images). */
  public static PushedImage read(Path outputDirectory) throws HandoverException {
    return of(PushRecord.readAny(outputDirectory));
  }

  /** What {@code push.json} says about the image {@code digest}; push.json of another image is refused. */
  public static PushedImage read(Path outputDirectory, String digest) throws HandoverException {
    return of(PushRecord.read(outputDirectory, digest));
  }

  public static PushedImage of(PushRecord record) {
    List<Target> targets = new ArrayList<>();
    for (PushRecord.Target t : record.targets()) {
      targets.add(new Target(t.registry(), t.repository(), orEmpty(t.region()), t.ecr(), orEmpty(t.account()), orEmpty(t.auth()), orEmpty(t.serverId())));
    }
    return new PushedImage(record.digest(), targets);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Parses {@code registry/repository@sha256:…}. */
  public static Target parseReference(String reference, StringBuilder digestOut) throws SigningException {
    int at = reference.indexOf('@');
    int slash = reference.indexOf('/');
    if (at < 0 || slash < 0 || slash > at || !Digests.isSha256(reference.substring(at + 1))) {
      throw new SigningException(
          "'" + reference + "' is not an image reference by digest.",
          "Write images as <registry>/<repository>@sha256:<hex>, e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp@sha256:….");
    }
    digestOut.append(reference.substring(at + 1));
    return new Target(reference.substring(0, slash), reference.substring(slash + 1, at), "", reference.contains(".dkr.ecr."));
  }
}
