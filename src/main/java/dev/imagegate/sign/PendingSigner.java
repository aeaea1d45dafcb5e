package dev.imagegate.sign;

import dev.imagegate.DaemonThreads;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.FutureTask;

/**
 * A key file that is being loaded on a background thread: decrypting a {@code cosign.key} is 0.2-0.4 s of scrypt
 * (CPU, {@link Scrypt}), which now runs while the sign goal does its I/O (AWS access, ECR checks, reading the existing
 * signature manifests, building the in-toto statements). {@link #ready()} waits for it and throws what loading threw
 * (e.g. a wrong password), before anything is signed or written.
 *
 * <p>Meanwhile a second thread runs the first ECDSA signature and check of the JVM with a throwaway key
 * ({@link KeyFileSigner#warmUp()}), so the real signatures find the JDK's EC code loaded. Measured inside the example's
 * {@code mvn deploy} (2 cores, sign + attest SBOM + attest vulnerabilities in two regions): the sign goal took
 * 0.68-0.75 s before; with the key decrypted in parallel (then still with Bouncy Castle) 0.58-0.65 s, without the
 * parallel warm-up 0.78-0.86 s; with the JDK-only key path ({@link SecretBox}, {@link KeyFileSigner}) 0.48-0.56 s.
 */
final class PendingSigner implements Signer {
  private final String reference;
  private final FutureTask<KeyFileSigner> loading;

  PendingSigner(Path file, char[] password) {
    this.reference = file.toString();
    // PEM framing, JSON, scrypt, secretbox, the JDK EC key: no Bouncy Castle on this path (see KeyFileSigner)
    this.loading = new FutureTask<>(() -> KeyFileSigner.load(file, password));
    DaemonThreads.start("imagegate-sign-warm-up", () -> {
      try {
        KeyFileSigner.warmUp();
      } catch (RuntimeException e) {
        // only a head start: whatever fails here fails again, and is reported, where the key is used
      }
    });
    DaemonThreads.start("imagegate-key-load", loading);
  }

  @Override
  public void ready() throws SigningException {
    key();
  }

  private KeyFileSigner key() throws SigningException {
    return BackgroundResult.of(loading, SigningException.class, "Interrupted while loading the signing key " + reference + ".");
  }

  /** The loaded key; for methods that cannot throw {@link SigningException} (callers call {@link #ready()} first). */
  private KeyFileSigner loaded() {
    try {
      return key();
    } catch (SigningException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public String keyId() {
    return loaded().keyId();
  }

  @Override
  public PublicKey publicKey() {
    return loaded().publicKey();
  }

  @Override
  public byte[] sign(byte[] message) throws SigningException {
    return key().sign(message);
  }

  @Override
  public void close() {
    loading.cancel(false);
  }
}
