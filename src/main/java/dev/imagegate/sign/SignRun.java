package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sign} goal's work: read {@code push.json}, sign the digest in every target, attest the SBOM and the
 * scan result, write {@code sign.json} and {@code kyverno-policy.yaml}.
 */
public final class SignRun {
  /** Where the result is, for the summary line. */
  public record Outcome(String digest, List<ImageSigner.Result> results, Path signJson, Path policy) {}

  /**
   * @param outputDirectory target/imagegate
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
      Path sbomFile,
      boolean attestVulnerabilities,
      Path scanFile,
      String scannerVersion,
      String policyName) {}

  private SignRun() {}

  public static Outcome execute(Request request, Reporter reporter) throws ImagegateException {
    PushedImage pushed = PushedImage.read(request.outputDirectory());
    if (Files.isRegularFile(request.outputDirectory().resolve(ImageDescriptor.FILE_NAME))) {
      String built = ImageDescriptor.read(request.outputDirectory()).digest();
      if (!built.equals(pushed.digest())) {
        throw new SigningException(
            "push.json names " + pushed.digest() + " but image.json names " + built + ": the image pushed is not the image built.",
            "Run build, scan and push again in one build (mvn deploy) so that one digest goes through every goal.");
      }
    }
    List<ImageSigner.Attestation> attestations = new ArrayList<>();
    if (request.attestSbom()) {
      if (Files.isRegularFile(request.sbomFile())) {
        attestations.add(new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, readJson(request.sbomFile())));
      } else {
        reporter.warn("No SBOM at " + request.sbomFile() + " (written by imagegate:scan): the CycloneDX attestation is skipped.");
      }
    }
    if (request.attestVulnerabilities()) {
      if (Files.isRegularFile(request.scanFile())) {
        attestations.add(new ImageSigner.Attestation(InTotoStatement.VULN, vulnPredicate(request.scanFile(), request.scannerVersion())));
      } else {
        reporter.warn("No scan result at " + request.scanFile() + " (written by imagegate:scan): the vulnerability attestation is skipped.");
      }
    }
    // every target's credentials and every ECR repository's tag policy are checked before anything is written
    List<RegistryAuth.Resolved> resolved = new ArrayList<>();
    for (PushedImage.Target t : pushed.targets()) {
      RegistryAuth.Resolved r = request.registryAuth().resolve(t.registryTarget());
      if (r.ecr()) {
        request.registryAuth().ecr().checkSignatureTags(r.region().orElseThrow(), r.account(), t.repository());
      }
      resolved.add(r);
    }
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
    Path signJson = request.outputDirectory().resolve(SignRecord.FILE_NAME);
    SignRecord.write(signJson, SignRecord.toJson(pushed.digest(), request.signer(), results));
    Path policy = request.outputDirectory().resolve(KyvernoPolicy.FILE_NAME);
    Signer s = request.signer();
    String yaml = KyvernoPolicy.render(
        request.policyName(),
        pushed.targets().stream().map(PushedImage.Target::name).toList(),
        s instanceof KmsSigner kms ? kms.keyArnReference() : null,
        PublicKeys.toPem(s.publicKey()),
        attestations.stream().anyMatch(a -> a.predicateType().equals(InTotoStatement.CYCLONEDX)));
    SignRecord.write(policy, yaml.getBytes(StandardCharsets.UTF_8));
    return new Outcome(pushed.digest(), results, signJson, policy);
  }

  private static JsonNode readJson(Path file) throws SigningException {
    try {
      return Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new SigningException("Cannot read " + file + " as JSON: " + e.getMessage(), "Run imagegate:scan again to rewrite it.", e);
    }
  }

  /** cosign's vuln predicate: {@code {invocation{…}, scanner{uri,version,db{uri,version},result}, metadata{scanStartedOn,scanFinishedOn}}}. */
  static JsonNode vulnPredicate(Path scanFile, String scannerVersion) throws SigningException {
    JsonNode scan = readJson(scanFile);
    String finished;
    try {
      finished = Files.getLastModifiedTime(scanFile).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (IOException e) {
      finished = Instant.EPOCH.toString();
    }
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
