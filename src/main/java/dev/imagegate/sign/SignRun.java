package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegate.DaemonThreads;
import dev.imagegate.HandoverFile;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.scan.report.Sbom;
import dev.imagegate.scan.report.ScanReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.FutureTask;

/**
 * The {@code sign} goal's work: read {@code push.json}, sign the digest in every target, attest the SBOM and the
 * scan result, write {@code sign.json} and {@code kyverno-policy.yaml}. Every file is read from the output
 * directory and must be about the image signed (image.json's digest, else push.json's): a scan or SBOM an earlier
 * image left is refused, never attested to this one.
 */
public final class SignRun {
  /** Where the result is, for the summary line. */
  public record Outcome(String digest, List<ImageSigner.Result> results, Path signJson, Path policy) {}

  /**
   * @param outputDirectory where the goals hand over (imagegate.outputDirectory)
   * @param registryAuth credentials per push.json target (an ECR token in the target's region for ECR targets)
   * @param attestSbom attest {@code sbom.cdx.json} as CycloneDX (skipped with a warning when absent)
   * @param attestVulnerabilities attest {@code scan.json} as a cosign vuln predicate (skipped with a warning when absent)
   */
  public record Request(
      Path outputDirectory,
      Signer signer,
      RegistryAuth registryAuth,
      RegistryOptions registryOptions,
      Map<String, String> annotations,
      boolean attestSbom,
      boolean attestVulnerabilities,
      String scannerVersion,
      String policyName) {}

  private SignRun() {}

  public static Outcome execute(Request request, Reporter reporter) throws ImagegateException {
    Path out = request.outputDirectory();
    // the image signed: image.json's when there is one (push.json must then be about it), else push.json's
    PushedImage pushed = HandoverFile.IMAGE.existsIn(out)
        ? PushedImage.read(out, ImageDescriptor.read(out).digest())
        : PushedImage.read(out);
    String digest = pushed.digest();
    // every target's credentials (an ECR token per region) and every ECR repository's tag policy are checked before
    // anything is written: on another thread, the regions at once, while this one reads the SBOM and the scan result
    // (run alone, `mvn imagegate:sign` loads the AWS SDK for it, which then no longer waits for Jackson's first reads)
    FutureTask<List<RegistryAuth.Resolved>> resolving = new FutureTask<>(() -> request.registryAuth().resolveAll(
        pushed.targets().stream().map(PushedImage.Target::registryTarget).toList(),
        (ecr, r) -> ecr.checkSignatureTags(r.region().orElseThrow(), r.account(), r.repository())));
    Thread resolver = DaemonThreads.start("imagegate-sign-registry-auth", resolving);
    List<ImageSigner.Attestation> attestations;
    try {
      attestations = attestations(request, out, digest, reporter);
    } catch (ImagegateException | RuntimeException | Error e) {
      finish(resolver); // nothing left running against AWS when the goal fails (its clients are closed next)
      throw e;
    }
    List<RegistryAuth.Resolved> resolved = BackgroundResult.of(resolving, ImagegateException.class, "Interrupted while resolving the registry credentials.");
    List<SignatureStore> stores = new ArrayList<>();
    for (RegistryAuth.Resolved r : resolved) {
      stores.add(new RegistrySignatureStore(new RegistryClient(r.host(), r.repository(), r.credentials(), request.registryOptions(), reporter)));
    }
    List<ImageSigner.Result> results;
    try {
      results = new ImageSigner(request.signer(), reporter).sign(pushed.digest(), stores, request.annotations(), attestations);
    } catch (IllegalStateException e) {
      // credential providers wrap their failures (e.g. an undecryptable settings.xml password) in IllegalStateException
      throw new SigningException(e.getMessage(), "Check the credentials for the registries in push.json.", e);
    }
    Path signJson = SignRecord.of(pushed.digest(), request.signer(), results).write(out);
    Signer s = request.signer();
    String yaml = KyvernoPolicy.render(
        request.policyName(),
        pushed.targets().stream().map(PushedImage.Target::name).toList(),
        s.loaded() instanceof KmsSigner kms ? kms.keyArnReference() : null,
        PublicKeys.toPem(s.publicKey()),
        attestations.stream().anyMatch(a -> a.predicateType().equals(InTotoStatement.CYCLONEDX)));
    Path policy = HandoverFile.KYVERNO_POLICY.write(out, yaml.getBytes(StandardCharsets.UTF_8));
    return new Outcome(pushed.digest(), results, signJson, policy);
  }

  /** The predicates to attest: the SBOM and the scan result of this digest (each skipped with a warning when absent). */
  private static List<ImageSigner.Attestation> attestations(Request request, Path out, String digest, Reporter reporter)
      throws ImagegateException {
    List<ImageSigner.Attestation> attestations = new ArrayList<>();
    if (request.attestSbom()) {
      Optional<Sbom> sbom = Sbom.readIfPresent(out, digest);
      if (sbom.isPresent()) {
        attestations.add(new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, sbom.get().document()));
      } else {
        reporter.warn("No SBOM at " + Sbom.FILE.in(out) + " (written by imagegate:scan): the CycloneDX attestation is skipped.");
      }
    }
    if (request.attestVulnerabilities()) {
      Optional<ScanReport> scan = ScanReport.readIfPresent(out, digest);
      if (scan.isPresent()) {
        attestations.add(new ImageSigner.Attestation(InTotoStatement.VULN, vulnPredicate(Json.MAPPER.valueToTree(scan.get()), request.scannerVersion())));
      } else {
        reporter.warn("No scan result at " + ScanReport.FILE.in(out) + " (written by imagegate:scan): the vulnerability attestation is skipped.");
      }
    }
    return attestations;
  }

  /** Waits for a thread that the goal started, however it ends (its requests are bounded by the network timeouts). */
  private static void finish(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** cosign's vuln predicate: {@code {invocation{…}, scanner{uri,version,db{uri,version},result}, metadata{scanStartedOn,scanFinishedOn}}}. */
  static JsonNode vulnPredicate(JsonNode scan, String scannerVersion) {
    String finished = scan.path("scannedAt").asText(Instant.EPOCH.toString());
    ObjectNode p = Json.object();
    ObjectNode inv = p.putObject("invocation");
    inv.putNull("parameters");
    inv.put("uri", "");
    inv.put("event_id", "");
    inv.put("builder.id", "imagegate-maven-plugin");
    ObjectNode scanner = p.putObject("scanner");
    scanner.put("uri", "https://imagegate.dev/scan");
    scanner.put("version", scannerVersion);
    ObjectNode db = scanner.putObject("db");
    db.put("uri", scan.path("database").path("source").asText(scan.path("db").path("uri").asText("")));
    db.put("version", scan.path("database").path("version").asText(scan.path("db").path("version").asText("")));
    scanner.set("result", scan);
    ObjectNode meta = p.putObject("metadata");
    meta.put("scanStartedOn", scan.path("startedOn").asText(finished));
    meta.put("scanFinishedOn", scan.path("finishedOn").asText(finished));
    return p;
  }
}
