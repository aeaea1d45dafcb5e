package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.Reporter;
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
 * Used by scripts/bench/sign: signs and attests (CycloneDX SBOM) one digest in several repositories, key decryption
 * included, and prints the in-process seconds.
 *
 * <ul>
 *   <li>{@code SignBench key password-env sbom digest registry/repo...}: once; prints the seconds (key load included).</li>
 *   <li>{@code SignBench key password-env sbom digest --rounds N registry/repo...}: N rounds in THIS JVM, as inside a
 *       running {@code mvn deploy}; round i signs {@code <repo>-r<i>} (the caller pushed the image there). Each round
 *       loads (decrypts) the key and signs + attests in every repository; prints one line per round, then
 *       {@code first-total}, {@code median-load}, {@code median-sign}, {@code median-total} over rounds 2..N.</li>
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
    List<String> repos = Arrays.asList(args).subList(first, args.length);
    if (rounds == 0) {
      double[] r = round(args, repos, "");
      System.err.printf(Locale.ROOT, "key load %.3f s%n", r[0]);
      System.out.printf(Locale.ROOT, "%.3f%n", r[0] + r[1]);
      return;
    }
    double[] load = new double[rounds];
    double[] sign = new double[rounds];
    double[] total = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      double[] r = round(args, repos, "-r" + i);
      load[i] = r[0];
      sign[i] = r[1];
      total[i] = r[0] + r[1];
      System.out.printf(Locale.ROOT, "round %d key-load %.3f s sign+attest %.3f s total %.3f s%n", i + 1, r[0], r[1], total[i]);
    }
    int from = rounds > 1 ? 1 : 0;
    System.out.printf(Locale.ROOT, "first-total %.3f%n", total[0]);
    System.out.printf(Locale.ROOT, "first-load %.3f%n", load[0]);
    System.out.printf(Locale.ROOT, "median-load %.3f%n", median(Arrays.copyOfRange(load, from, rounds)));
    System.out.printf(Locale.ROOT, "median-sign %.3f%n", median(Arrays.copyOfRange(sign, from, rounds)));
    System.out.printf(Locale.ROOT, "median-total %.3f%n", median(Arrays.copyOfRange(total, from, rounds)));
  }

  /** Returns {key load seconds, sign + attest seconds}. */
  private static double[] round(String[] args, List<String> repos, String suffix) throws Exception {
    long t0 = System.nanoTime();
    String password = System.getenv(args[1]);
    KeyFileSigner signer = KeyFileSigner.load(Path.of(args[0]), password == null ? new char[0] : password.toCharArray());
    long t1 = System.nanoTime();
    JsonNode sbom = Json.parse(Files.readAllBytes(Path.of(args[2])));
    String digest = args[3];
    String ecr = System.getenv("IMAGEGATE_ECR_PASSWORD");
    List<SignatureStore> stores = new ArrayList<>();
    for (String name : repos) {
      int slash = name.indexOf('/');
      stores.add(new RegistrySignatureStore(new RegistryClient(name.substring(0, slash), name.substring(slash + 1) + suffix,
          host -> Optional.of(new Credential("AWS", ecr)), RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT)));
    }
    List<ImageSigner.Result> results = new ImageSigner(signer, Reporter.SILENT)
        .sign(digest, stores, Map.of(), List.of(new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, sbom)));
    long t2 = System.nanoTime();
    if (results.stream().anyMatch(r -> !r.signatureAdded() || r.attestationsAdded() != 1)) {
      throw new IllegalStateException("a round did not add a signature and an attestation in every repository: " + results);
    }
    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
