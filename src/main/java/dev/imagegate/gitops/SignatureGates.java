package dev.imagegate.gitops;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.KmsKeyReference;
import dev.imagegate.sign.PublicKeys;
import dev.imagegate.sign.SignRecord;
import dev.imagegate.sign.SignatureCheck;
import dev.imagegate.sign.Signers;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

/**
 * Which signature gate {@code gitops-update} runs. The gate is on unless explicitly opted out: it checks every pushed
 * copy against the configured key, else against the key {@code sign} used (from {@code sign.json}: the public half of
 * a key file, or the KMS key's public key read again with GetPublicKey); with neither it refuses. The opt-out
 * ({@code allowUnsigned}) is logged as a warning naming the digest written unchecked.
 */
public final class SignatureGates {
  /** The property of the opt-out, for messages. */
  public static final String ALLOW_UNSIGNED = "imagegate.gitops.allowUnsigned";

  private SignatureGates() {}

  /**
   * @param digest the digest about to be written (sign.json must be of this digest)
   * @param configuredKey the configured verification key (a PEM public key file or a KMS reference), if any
   * @param allowUnsigned the explicit opt-out: no gate, with a warning
   * @param outputDirectory target/imagegate (push.json, sign.json)
   * @param baseDirectory what a relative key file path is resolved against
   */
  public record Settings(
      String digest,
      Optional<String> configuredKey,
      boolean allowUnsigned,
      Path outputDirectory,
      Path baseDirectory,
      Optional<String> kmsRegion,
      Optional<URI> kmsEndpoint,
      RegistryOptions registryOptions) {}

  /** The key the gate checks with, and how to name it in messages. */
  record GateKey(String reference, PublicKey key) {}

  public static SignatureGate choose(Settings settings, Signers.Access access, RegistryAuth registryAuth, Reporter reporter)
      throws ImagegateException {
    if (settings.allowUnsigned()) {
      return release -> reporter.warn("imagegate:gitops-update: the signature gate is off (" + ALLOW_UNSIGNED + "=true):" + System.lineSeparator()
          + "  " + release.tag() + " (" + release.digest() + ") is written without checking that it is signed.");
    }
    GateKey key = key(settings, access, reporter);
    return new VerifiedSignatureGate(settings.outputDirectory(), key.reference(), key.key(), registryAuth, settings.registryOptions(), reporter);
  }

  static GateKey key(Settings settings, Signers.Access access, Reporter reporter) throws ImagegateException {
    if (settings.configuredKey().isPresent()) {
      String configured = settings.configuredKey().get();
      return new GateKey(configured, SignatureCheck.publicKey(
          configured, settings.baseDirectory(), settings.kmsRegion(), settings.kmsEndpoint(), access));
    }
    Path signJson = settings.outputDirectory().resolve(SignRecord.FILE_NAME);
    if (!SignRecord.FILE.existsIn(settings.outputDirectory())) {
      throw new GitopsException(
          "Refusing to write " + settings.digest() + " into the GitOps repository: there is no key to check its signature with"
              + " (no imagegate.gitops.verifyKey or imagegate.verify.key, and no " + signJson + " from imagegate:sign).",
          "Sign in the same build (mvn deploy with the sign goal writes sign.json, whose key is then checked), or set"
              + " imagegate.gitops.verifyKey to the public key (cosign.pub) or KMS key (awskms:///…) the image is signed with."
              + " To promote an unsigned image anyway, set " + ALLOW_UNSIGNED + "=true (logged as a warning).");
    }
    // read whatever image it is about, to say so plainly when it is another one
    SignRecord record = SignRecord.FILE.readAny(settings.outputDirectory(), SignRecord.class);
    SignRecord.Key k = record.key();
    if (k == null || !k.complete()) {
      throw new GitopsException(signJson + " does not say which key signed the image (key.reference, key.keyId, key.publicKeyPem).",
          "Run imagegate:sign again to rewrite it, or set imagegate.gitops.verifyKey.");
    }
    if (!record.digest().equals(settings.digest())) {
      throw new GitopsException(
          "Refusing to write " + settings.digest() + " into the GitOps repository: " + signJson + " is of another image (" + record.digest()
              + "), so it does not say which key signed this one.",
          "Run mvn clean deploy so that build, push, sign and gitops-update see the same image, or set imagegate.gitops.verifyKey.");
    }
    if (!k.kms()) {
      PublicKey key = PublicKeys.fromPem(k.publicKeyPem());
      reporter.info("imagegate:gitops-update: checking signatures with the key sign used (" + signJson + "): " + k.reference()
          + " (" + PublicKeys.fingerprint(key) + ")");
      return new GateKey(k.reference(), key);
    }
    // the KMS key's public key, asked of KMS again by the ARN sign.json records (not taken from the file)
    String arnReference = KmsKeyReference.parse(k.reference()).keyArnReference(k.keyId());
    PublicKey key = SignatureCheck.publicKey(arnReference, settings.baseDirectory(), settings.kmsRegion(), settings.kmsEndpoint(), access);
    if (!PublicKeys.fingerprint(key).equals(k.fingerprint())) {
      throw new GitopsException(
          "Refusing to write " + settings.digest() + " into the GitOps repository: KMS key " + arnReference + " has the public key "
              + PublicKeys.fingerprint(key) + ", but " + signJson + " records " + k.fingerprint() + " for it.",
          "Run imagegate:sign again (mvn deploy) so that sign.json matches the key, or set imagegate.gitops.verifyKey.");
    }
    reporter.info("imagegate:gitops-update: checking signatures with the key sign used (" + signJson + "): " + arnReference
        + " (" + PublicKeys.fingerprint(key) + ")");
    return new GateKey(arnReference, key);
  }
}
