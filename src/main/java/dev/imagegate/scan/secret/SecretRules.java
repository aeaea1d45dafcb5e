package dev.imagegate.scan.secret;

import dev.imagegate.oci.Digests;
import dev.imagegate.secrets.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The identity of the rule set the image's secret scan runs: a fingerprint of the compiled code that decides what is
 * found, i.e. every class of the detectors' package ({@code dev.imagegate.secrets}) and the {@link ImageSecretAnalyzer}
 * (which files it reads). Findings cached per layer are stored under it, so a plugin whose detectors changed in any way
 * (a release, a SNAPSHOT rebuilt with another pattern) never takes findings made by other detectors: there is no
 * version number to forget to bump.
 */
final class SecretRules {
  private static final List<String> PREFIXES = List.of("dev/imagegate/secrets/", "dev/imagegate/scan/secret/ImageSecretAnalyzer");
  /** Computed once per class loader, by the first caller; the others wait for it (it reads the plugin's jar). */
  private static final FutureTask<Optional<String>> FINGERPRINT = new FutureTask<>(SecretRules::compute);

  private SecretRules() {}

  /** 16 hex digits of the SHA-256 over the rule set's class files (name and bytes, in name order); empty when they cannot be read. */
  static Optional<String> fingerprint() {
    FINGERPRINT.run(); // computes it, unless another thread has (or is computing it)
    try {
      return FINGERPRINT.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty(); // unknown: nothing is taken from the cache, every layer is read
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> compute() {
    try {
      Path location = Path.of(SecretScanner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      MessageDigest sha = Digests.newSha256();
      int classes = Files.isDirectory(location) ? fromDirectory(location, sha) : fromJar(location, sha);
      return classes == 0 ? Optional.empty() : Optional.of(HexFormat.of().formatHex(sha.digest(), 0, 8));
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int fromDirectory(Path root, MessageDigest sha) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root.resolve("dev/imagegate"))) {
      all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).filter(SecretRules::inRuleSet).forEach(names::add);
    }
    Collections.sort(names);
    for (String n : names) {
      add(sha, n, Files.readAllBytes(root.resolve(n)));
    }
    return names.size();
  }

  private static int fromJar(Path jar, MessageDigest sha) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<JarEntry> entries = file.stream().filter(e -> !e.isDirectory() && inRuleSet(e.getName())).sorted((a, b) -> a.getName().compareTo(b.getName()))
          .toList();
      for (JarEntry e : entries) {
        try (InputStream in = file.getInputStream(e)) {
          add(sha, e.getName(), in.readAllBytes());
        }
      }
      return entries.size();
    }
  }

  private static boolean inRuleSet(String name) {
    return name.endsWith(".class") && PREFIXES.stream().anyMatch(name::startsWith);
  }

  private static void add(MessageDigest sha, String name, byte[] bytes) {
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    sha.update(bytes);
  }
}
