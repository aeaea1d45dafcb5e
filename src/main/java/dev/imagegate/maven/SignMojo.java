package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.sign.ImageSigner;
import dev.imagegate.sign.KeyFileCache;
import dev.imagegate.sign.PublicKeys;
import dev.imagegate.sign.SignRun;
import dev.imagegate.sign.Signer;
import dev.imagegate.sign.Signers;
import dev.imagegate.sign.SigningException;
import dev.imagegate.sign.SigningKeyAccess;
import java.net.URI;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Signs the pushed digest in every registry named by {@code push.json} (in {@code outputDirectory}), in the tag-based format
 * that {@code cosign verify} and Kyverno ({@code type: Cosign}) read: a simple-signing signature in
 * {@code sha256-<hex>.sig}, and DSSE/in-toto attestations of the CycloneDX SBOM and of the vulnerability scan in
 * {@code sha256-<hex>.att}. Registries are reached the way push reached them (ECR targets with an ECR token in their
 * region); an ECR repository whose signature tags are immutable fails before anything is written. Every file it reads must be about the image signed
 * ({@code image.json}'s digest): a scan or SBOM an earlier image left is refused. Writes {@code sign.json} and
 * {@code kyverno-policy.yaml}.
 */
@Mojo(name = "sign", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class SignMojo extends AbstractRegistryMojo {

  /**
   * The signing key: an AWS KMS key ({@code awskms:///arn:aws:kms:<region>:<account>:key/<id>}, {@code awskms:///alias/<name>},
   * a key ARN, an alias ARN or a key id; ECC_NIST_P256 / SIGN_VERIFY), or a key file: the encrypted {@code cosign.key}
   * of {@code cosign generate-key-pair}, or a PEM PKCS#8 EC P-256 private key. Only sign reads it:
   * {@code verify-signature} takes the public key as {@code publicKey} ({@code imagegate.verify.key}).
   */
  @Parameter(property = "imagegate.sign.key")
  private String signingKey;

  /**
   * Removed: the key parameter shared by sign and verify-signature was split into {@code signingKey} (sign, the
   * private key or KMS key) and {@code publicKey} (verify-signature). A {@code <key>} still in the pom fails the goal
   * with that advice instead of being ignored.
   */
  @Parameter
  @Deprecated
  private String key;

  /** The KMS region when the key is not given as an ARN; default: the environment (AWS_REGION, profile). */
  @Parameter(property = "imagegate.sign.kmsRegion")
  private String kmsRegion;

  /** The environment variable holding the password of an encrypted cosign key. */
  @Parameter(property = "imagegate.sign.passwordEnv", defaultValue = "COSIGN_PASSWORD")
  private String passwordEnv;

  /** A settings.xml server whose (decrypted) password is the cosign key password; wins over passwordEnv. */
  @Parameter(property = "imagegate.sign.passwordServerId")
  private String passwordServerId;

  /**
   * Attest the CycloneDX SBOM the scan goal wrote ({@code sbom.cdx.json} in {@code outputDirectory}) as
   * {@code https://cyclonedx.org/bom}. An SBOM of another image than the one signed is refused.
   */
  @Parameter(property = "imagegate.sign.attestSbom", defaultValue = "true")
  private boolean attestSbom;

  /**
   * Attest the scan result the scan goal wrote ({@code scan.json} in {@code outputDirectory}) as
   * {@code https://cosign.sigstore.dev/attestation/vuln/v1}. A scan of another image than the one signed is refused.
   */
  @Parameter(property = "imagegate.sign.attestVulnerabilities", defaultValue = "true")
  private boolean attestVulnerabilities;

  /** Annotations signed into the payload's {@code optional} (checked by {@code cosign verify -a k=v}). */
  @Parameter
  private Map<String, String> annotations = Map.of();

  /** The name of the rendered Kyverno ClusterPolicy. */
  @Parameter(property = "imagegate.sign.policyName", defaultValue = "verify-signed-images")
  private String policyName;

  /** Skips the sign goal only. */
  @Parameter(property = "imagegate.sign.skip", defaultValue = "false")
  private boolean skipSign;

  @Inject
  public SignMojo(MavenServers servers) {
    super(servers);
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    refuseRemovedKeyParameter();
    SigningKeyAccess access = keyAccess(reporter);
    try (Signer signer = Signers.open(signingKey, kmsRegion(kmsRegion), blank(awsEndpoint).map(URI::create), project.getBasedir().toPath(), access);
        RegistryAuth auth = registryAuth(access, reporter)) {
      SignRun.Outcome outcome = SignRun.execute(
          new SignRun.Request(
              outputDirectory.toPath(), signer, auth,
              registryOptions(), annotations,
              attestSbom, attestVulnerabilities, pluginVersion(), policyName),
          reporter);
      long added = outcome.results().stream().filter(ImageSigner.Result::signatureAdded).count();
      int attested = outcome.results().stream().mapToInt(ImageSigner.Result::attestationsAdded).sum();
      reporter.info(String.format(Locale.ROOT,
          "imagegate:sign %s in %d registr%s: %d new signature(s), %d new attestation(s) in %.2f s%n  with %s (%s) -> %s",
          outcome.digest(), outcome.results().size(), outcome.results().size() == 1 ? "y" : "ies", added, attested,
          (System.nanoTime() - started) / 1e9, signer.reference(), PublicKeys.fingerprint(signer.publicKey()), outcome.signJson()));
    }
  }

  /** push's check, before it uploads anything, that this goal's key can sign (see {@link Signers#check}). */
  String preflight(Reporter reporter) throws ImagegateException {
    if (skip || skipSign) {
      return "skipped (imagegate.sign.skip)";
    }
    refuseRemovedKeyParameter();
    return Signers.check(signingKey, kmsRegion(kmsRegion), blank(awsEndpoint).map(URI::create), project.getBasedir().toPath(), keyAccess(reporter));
  }

  /**
   * For a goal earlier in this build ({@link SigningKeyWarmUp}): starts decrypting this goal's key file into the build's
   * {@code keyFiles} in the background.
   *
   * @return whether a decryption was started (not for a skipped goal, a KMS key, a {@code <key>} left in the pom)
   */
  boolean warmUpKey(KeyFileCache keyFiles) {
    if (skip || skipSign || (key != null && !key.isBlank())) {
      return false;
    }
    return Signers.warmUp(signingKey, project.getBasedir().toPath(), keyAccess(Reporter.SILENT, keyFiles));
  }

  /** A {@code <key>} left in the pom fails (in push's check too) instead of being ignored. */
  private void refuseRemovedKeyParameter() throws SigningException {
    if (key != null && !key.isBlank()) {
      throw new SigningException(
          "The sign goal no longer reads <key>: sign and verify-signature now each have their own key parameter.",
          "Rename <key> to <signingKey> (property imagegate.sign.key) in the plugin configuration; verify-signature reads"
              + " the public key from <publicKey> (property imagegate.verify.key).");
    }
  }

  /** The key password (passwordServerId, else passwordEnv) and the AWS access of the KMS key and ECR tokens. */
  private SigningKeyAccess keyAccess(Reporter reporter) {
    return keyAccess(reporter, SigningKeyWarmUp.keyFiles(session == null ? null : session.getRepositorySession()));
  }

  private SigningKeyAccess keyAccess(Reporter reporter, KeyFileCache keyFiles) {
    return new SigningKeyAccess(passwordEnv, passwordServerId, servers(), System.getenv(), awsSettings(), reporter, keyFiles);
  }

  @Override
  protected boolean skipGoal() {
    return skipSign;
  }

  @Override
  protected Optional<String> offlineReach() {
    return Optional.of("the registries it signs in (and KMS for a KMS key)");
  }

  @Override
  protected String goalName() {
    return "imagegate:sign";
  }
}
