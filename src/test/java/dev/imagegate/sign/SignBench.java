package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.Reporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Used by scripts/bench/sign: signs and attests (CycloneDX SBOM) one digest in several repositories the way the sign
 * goal does ({@link Signers#open}: the key file is decrypted in the background while the registries are read; every
 * signature checked before upload), key decryption and SBOM parsing included, and prints the in-process seconds.
 *
 * <p>{@code key} is a key file (its password in the environment variable {@code password-env}) or a KMS key
 * ({@code awskms:///alias/…}: AWS access as the goal resolves it, see {@link #open}).
 *
 * <ul>
 *   <li>{@code SignBench key password-env sbom digest registry/repo...}: once; prints the seconds from the start of
 *       the work (the JVM's start excluded): the first signature in a JVM.</li>
 *   <li>{@code SignBench key password-env sbom digest --after-push registry/repo...}: once, in a JVM that has first done,
 *       untimed, what {@code imagegate:push} leaves loaded in a {@code mvn deploy} JVM before sign runs: the registry
 *       client, the HTTP client and Jackson (a GET of the image manifest in every repository, a JSON round trip). The
 *       signing path itself (key file, scrypt, ECDSA, DSSE, uploads) is as cold as in a build.</li>
 *   <li>{@code SignBench key password-env sbom digest --rounds N registry/repo...}: N rounds in THIS JVM; round i signs
 *       {@code <repo>-r<i>} (the caller pushed the image there). Each round opens (decrypts) the key again and signs
 *       + attests in every repository; prints one line per round, then {@code first-total} and
 *       {@code median-total} over rounds 2..N (warm JIT).</li>
 * </ul>
 */
public final class SignBench {
  public static void main(String[] args) throws Exception {
    int rounds = 0;
    int first = 4;
    if (args.length > 5 && args[4].equals("--rounds")) {
      rounds = Integer.parseInt(args[5]);
      first = 6;
    }
    boolean afterPush = args.length > 4 && args[4].equals("--after-push");
    if (afterPush) {
      first = 5;
    }
    List<String> repos = Arrays.asList(args).subList(first, args.length);
    if (afterPush) {
      for (String name : repos) {
        client(name, "").getManifest(args[3]).orElseThrow();
      }
      Json.bytes(Json.parse("{\"warm\":[1,2,3]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    if (rounds == 0) {
      System.out.printf(Locale.ROOT, "%.3f%n", round(args, repos, ""));
      return;
    }
    double[] total = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      total[i] = round(args, repos, "-r" + i);
      System.out.printf(Locale.ROOT, "round %d key decrypt + sign + attest %.3f s%n", i + 1, total[i]);
    }
    int from = rounds > 1 ? 1 : 0;
    System.out.printf(Locale.ROOT, "first-total %.3f%n", total[0]);
    System.out.printf(Locale.ROOT, "median-total %.3f%n", median(Arrays.copyOfRange(total, from, rounds)));
  }

  /** Seconds for opening the key, reading the SBOM, and signing + attesting in every repository. */
  private static double round(String[] args, List<String> repos, String suffix) throws Exception {
    long t0 = System.nanoTime();
    String key = args[0];
    try (Signer signer = open(key, args[1])) {
      JsonNode sbom = Json.parse(Files.readAllBytes(Path.of(args[2])));
      String digest = args[3];
      List<SignatureStore> stores = new ArrayList<>();
      for (String name : repos) {
        stores.add(new RegistrySignatureStore(client(name, suffix)));
      }
      List<ImageSigner.Result> results = new ImageSigner(signer, Reporter.SILENT)
          .sign(digest, stores, Map.of(), List.of(new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, sbom)));
      if (results.stream().anyMatch(r -> !r.signatureAdded() || r.attestationsAdded() != 1)) {
        throw new IllegalStateException("a round did not add a signature and an attestation in every repository: " + results);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The signer the sign goal opens for {@code key}: a key file (password from the environment variable
   * {@code passwordEnv}), or a KMS key ({@code awskms:///…}) with the goal's own AWS access: the SDK's default credential
   * chain (static keys allowed, as with {@code -Dimagegate.aws.allowStaticCredentials=true}), the region
   * {@code AWS_REGION} and the endpoint {@code AWS_ENDPOINT_URL} (as {@code -Dimagegate.aws.endpoint}).
   */
  private static Signer open(String key, String passwordEnv) throws Exception {
    Optional<String> endpoint = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(e -> !e.isBlank());
    Optional<String> region = Optional.ofNullable(System.getenv("AWS_REGION")).filter(r -> !r.isBlank());
    AwsSettings aws = AwsSettings.defaults().withAllowStaticCredentials(true).withRegion(region.orElse(null)).withEndpoint(endpoint.orElse(null));
    SigningKeyAccess access = new SigningKeyAccess(passwordEnv, null, ServerSettings.NONE, System.getenv(), aws, Reporter.SILENT);
    return Signers.open(key, region, endpoint.map(java.net.URI::create), Path.of("."), access);
  }

  private static RegistryClient client(String name, String suffix) {
    int slash = name.indexOf('/');
    String ecr = System.getenv("IMAGEGATE_ECR_PASSWORD");
    return new RegistryClient(name.substring(0, slash), name.substring(slash + 1) + suffix,
        host -> Optional.of(new Credential("AWS", ecr)), RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
