package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.Reporter;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Used by scripts/bench/sign: signs and attests (CycloneDX SBOM) one digest in several repositories, key decryption
 * included, and prints the in-process seconds. Args: key password-env sbom digest registry/repo...
 */
public final class SignBench {
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    String password = System.getenv(args[1]);
    KeyFileSigner signer = KeyFileSigner.load(Path.of(args[0]), password == null ? new char[0] : password.toCharArray());
    System.err.printf(Locale.ROOT, "key load %.3f s%n", (System.nanoTime() - t0) / 1e9);
    JsonNode sbom = Json.parse(Files.readAllBytes(Path.of(args[2])));
    String digest = args[3];
    String ecr = System.getenv("IMAGEGATE_ECR_PASSWORD");
    List<SignatureStore> stores = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      String name = args[i];
      int slash = name.indexOf('/');
      stores.add(new RegistrySignatureStore(new RegistryClient(name.substring(0, slash), name.substring(slash + 1),
          host -> Optional.of(new Credential("AWS", ecr)), RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT)));
    }
    new ImageSigner(signer, Reporter.SILENT)
        .sign(digest, stores, Map.of(), List.of(new ImageSigner.Attestation(InTotoStatement.CYCLONEDX, sbom)));
    System.out.printf(Locale.ROOT, "%.3f%n", (System.nanoTime() - t0) / 1e9);
  }
}
