package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.sign.InTotoStatement;
import dev.imagegate.sign.PublicKeys;
import dev.imagegate.sign.PushedImage;
import dev.imagegate.sign.SignatureCheck;
import dev.imagegate.sign.SignatureVerifier;
import dev.imagegate.sign.SigningKeyAccess;
import java.net.URI;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What Kyverno checks at admission, from the command line: for each image (default: every copy in
 * {@code push.json}), is there a signature over exactly that digest, valid under the key; optionally, a valid
 * attestation of a predicate type. Prints what it checked; fails on missing, invalid or other-digest signatures.
 */
@Mojo(name = "verify-signature", threadSafe = true, requiresProject = false)
public class VerifySignatureMojo extends AbstractRegistryMojo {

  /**
   * The public key to verify with: a PEM public key file ({@code cosign.pub}, or what {@code cosign public-key} prints)
   * or an AWS KMS key ({@code awskms:///…}, ARN, alias: its public key is read with GetPublicKey). Never the private
   * key: that is sign's {@code signingKey}, and a private key file given here is refused.
   */
  @Parameter(property = "imagegate.verify.key")
  private String publicKey;

  /** Images by digest, {@code <registry>/<repository>@sha256:<hex>}; default: the copies listed in push.json. */
  @Parameter(property = "imagegate.verify.images")
  private List<String> images = new ArrayList<>();

  /** Also require a valid attestation of this type: {@code cyclonedx}, {@code spdx}, {@code vuln} or a predicate type URI. */
  @Parameter(property = "imagegate.verify.attestationType")
  private String attestationType;

  /** The KMS region when the key is not an ARN. */
  @Parameter(property = "imagegate.sign.kmsRegion")
  private String kmsRegion;

  /** Skips verify-signature. */
  @Parameter(property = "imagegate.verify.skip", defaultValue = "false")
  private boolean skipVerify;

  @Inject
  public VerifySignatureMojo(MavenServers servers) {
    super(servers);
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    SigningKeyAccess access = SigningKeyAccess.awsOnly(awsSettings(), reporter);
    PublicKey key = SignatureCheck.publicKey(publicKey, baseDirectory(), kmsRegion(kmsRegion), blank(awsEndpoint).map(URI::create), access);
    // the images by digest, with the targets as push recorded them (so ECR targets get a token in their region)
    Map<String, PushedImage.Target> refs = new LinkedHashMap<>();
    if (images.isEmpty()) {
      refs.putAll(SignatureCheck.references(PushedImage.read(handoverDirectory())));
    } else {
      for (String ref : images) {
        refs.put(ref.trim(), PushedImage.parseReference(ref.trim(), new StringBuilder()));
      }
    }
    Optional<String> type = blank(attestationType).map(InTotoStatement::predicateTypeOf);
    SignatureCheck.Outcome outcome;
    try (RegistryAuth auth = registryAuth(access, reporter)) {
      outcome = SignatureCheck.verify(new SignatureCheck.Request(key, refs, type, auth, registryOptions()), reporter);
    }
    for (SignatureVerifier.Report report : outcome.verified()) {
      report.findings().forEach(f -> reporter.info("  " + f));
      reporter.info("imagegate:verify-signature " + report.reference() + ": " + report.validSignatures() + " valid signature(s)"
          + type.map(x -> ", " + report.validAttestations() + " valid " + x + " attestation(s)").orElse("")
          + " with key " + PublicKeys.fingerprint(key));
    }
    outcome.requireAll();
  }

  /** outputDirectory; without a project (whose stand-in has no directory to expand it from) target/imagegate of the current directory. */
  private java.nio.file.Path handoverDirectory() {
    return outputDirectory.getPath().contains("${") ? baseDirectory().resolve("target/imagegate") : baseDirectory().resolve(outputDirectory.toPath());
  }

  @Override
  protected boolean skipGoal() {
    return skipVerify;
  }

  /**
   * Runs without a project too ({@code requiresProject = false}), where Maven's stand-in project has packaging pom:
   * a goal asked to verify either verifies or fails, it never skips for the packaging.
   */
  @Override
  protected boolean runsOnPomProjects() {
    return true;
  }

  @Override
  protected Optional<String> offlineReach() {
    return Optional.of("the registries whose signatures it checks");
  }

  @Override
  protected String goalName() {
    return "imagegate:verify-signature";
  }
}
