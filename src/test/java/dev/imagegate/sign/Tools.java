package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real cosign / openssl CLIs (installed by scripts/peers install) for cross-checks. */
public final class Tools {
  private Tools() {}

  record Result(int exit, String output) {}

  static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** A fresh EC P-256 key made by the JDK, written as PEM PKCS#8 to {@code dir}/key.pem and loaded as a signer. */
  static Signer jdkKeySigner(Path dir) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    Path pem = dir.resolve("key.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return KeyFileSigner.load(pem, null);
  }

  /** A fresh PEM PKCS#8 EC P-256 private key made by openssl; returns its path. */
  public static Path opensslKey(Path file) throws IOException, InterruptedException {
    ok(file.getParent(), Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file.getFileName().toString());
    return file;
  }

  static String ok(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
    Result r = run(dir, env, List.of(command));
    assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.output());
    return r.output();
  }
}
