package dev.imagegate.gitops;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.PublicKeys;
import dev.imagegate.sign.PushedImage;
import dev.imagegate.sign.SignatureCheck;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

/**
 * Refuses to roll out a digest that is not signed: every copy that {@code push.json} lists (every registry and
 * region pushed to) must hold at least one signature over exactly the digest being written, valid under the key.
 * The check is {@link SignatureCheck}, the same as {@code verify-signature}; registries are reached the way push
 * reached them ({@link RegistryAuth}). Without a {@code push.json} nothing says where the signatures are: refused.
 */
public final class VerifiedSignatureGate implements SignatureGate {
  private final Path outputDirectory;
  private final String keyReference;
  private final PublicKey key;
  private final RegistryAuth registryAuth;
  private final RegistryOptions registryOptions;
  private final Reporter reporter;

  /**
   * @param outputDirectory {@code target/imagegate} (push.json)
   * @param keyReference how the key was configured (a file path or a KMS reference), for messages
   * @param key the public key every signature is checked against
   * @param registryAuth credentials per push.json target (the caller closes it)
   */
  public VerifiedSignatureGate(
      Path outputDirectory, String keyReference, PublicKey key, RegistryAuth registryAuth, RegistryOptions registryOptions, Reporter reporter) {
    this.outputDirectory = outputDirectory;
    this.keyReference = keyReference;
    this.key = key;
    this.registryAuth = registryAuth;
    this.registryOptions = registryOptions;
    this.reporter = reporter;
  }

  @Override
  public void check(ImageRelease release) throws GitopsException {
    String what = release.tag() + " (" + release.digest() + ")";
    String optOut = " To roll out without this check, set " + SignatureGates.ALLOW_UNSIGNED + "=true (logged as a warning).";
    PushedImage pushed;
    try {
      pushed = PushedImage.read(outputDirectory);
    } catch (ImagegateException e) {
      throw new GitopsException(
          "Refusing to write " + what + " into the GitOps repository: the signature gate (key " + keyReference + ") needs push.json"
              + " to know where the image and its signatures are, and " + e.getMessage(),
          "Run mvn deploy (push and sign) before imagegate:gitops-update, in the same project." + optOut, e);
    }
    if (!pushed.digest().equals(release.digest())) {
      throw new GitopsException(
          "Refusing to write " + what + " into the GitOps repository: push.json names another digest, " + pushed.digest() + ".",
          "Run mvn clean deploy so that build, push, sign and gitops-update see the same image.");
    }
    SignatureCheck.Outcome outcome =
        SignatureCheck.verify(
            new SignatureCheck.Request(key, SignatureCheck.references(pushed), Optional.empty(), registryAuth, registryOptions), reporter);
    try {
      outcome.requireAll();
    } catch (ImagegateException e) {
      throw new GitopsException(
          "Refusing to write " + what + " into the GitOps repository: not every pushed copy is signed with the key "
              + keyReference + " (" + PublicKeys.fingerprint(key) + "). " + e.getMessage(),
          "Sign the image with the matching private key (mvn deploy runs imagegate:sign; or mvn imagegate:sign"
              + " -Dimagegate.sign.key=…), or set imagegate.gitops.verifyKey to the public key it was signed with." + optOut,
          e);
    }
    reporter.info(
        "imagegate:gitops-update: " + release.digest() + " is signed with key " + keyReference + " (" + PublicKeys.fingerprint(key)
            + ") in all " + outcome.verified().size() + " pushed cop" + (outcome.verified().size() == 1 ? "y" : "ies"));
  }
}
