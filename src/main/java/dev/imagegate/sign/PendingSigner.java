package dev.imagegate.sign;

import dev.imagegate.DaemonThreads;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * A key that is being loaded on a background thread. A key file: decrypting a {@code cosign.key} is 0.2-0.4 s of scrypt
 * (CPU, {@link Scrypt}), which now runs while the sign goal does its I/O (AWS access, ECR checks, reading the existing
 * signature manifests, building the in-toto statements). {@link #ready()} waits for it and throws what loading threw
 * (e.g. a wrong password), before anything is signed or written.
 *
 * <p>Meanwhile a second thread runs the first ECDSA signature and check of the JVM with a throwaway key
 * ({@link KeyFileSigner#warmUp()}), so the real signatures find the JDK's EC code loaded. Measured inside the example's
 * {@code mvn deploy} (2 cores, sign + attest SBOM + attest vulnerabilities in two regions): the sign goal took
 * 0.68-0.75 s before; with the key decrypted in parallel (then still with Bouncy Castle) 0.58-0.65 s, without the
 * parallel warm-up 0.78-0.86 s; with the JDK-only key path ({@link SecretBox}, {@link KeyFileSigner}) 0.48-0.56 s.
 *
 * <p>A KMS key ({@link #kms}): the SDK's KMS client and GetPublicKey, the first AWS SDK client of a
 * {@code mvn imagegate:sign} alone; {@link #ready()} throws what opening it threw (no such key, access denied).
 */
final class PendingSigner implements Signer {
  private final String reference;
  private final FutureTask<? extends Signer> loading;

  private PendingSigner(String reference, FutureTask<? extends Signer> loading, String threadName) {
    this.reference = reference;
    this.loading = loading;
    DaemonThreads.start(threadName, loading);
  }

  /**
   * A key file, decrypted in the background (or found decrypted earlier in this build, {@link KeyFileCache}); the
   * JDK's EC code is loaded meanwhile on another thread.
   */
  static PendingSigner keyFile(Path file, char[] password, KeyFileCache cache) {
    // PEM framing, JSON, scrypt, secretbox, the JDK EC key: no Bouncy Castle on this path (see KeyFileSigner)
    FutureTask<KeyFileSigner> loading = new FutureTask<>(() -> cache.load(file, password));
    DaemonThreads.warmUp("imagegate-sign-warm-up", Thread.NORM_PRIORITY, KeyFileSigner::warmUp);
    return new PendingSigner(file.toString(), loading, "imagegate-key-load");
  }

  /**
   * A KMS key, opened in the background: the SDK's KMS client and GetPublicKey (in a fresh JVM about 0.5 s of class
   * loading on one core, the AWS SDK's) while the goal reads its files and the registries.
   *
   * @param reference the key as the user wrote it, already checked to be a KMS key reference
   */
  static PendingSigner kms(String reference, Callable<KmsSigner> open) {
    return new PendingSigner(reference, new FutureTask<>(open), "imagegate-kms-open");
  }

  @Override
  public void ready() throws SigningException {
    key();
  }

  private Signer key() throws SigningException {
    return BackgroundResult.of(loading, SigningException.class, "Interrupted while loading the signing key " + reference + ".");
  }

  @Override
  public Signer loaded() throws SigningException {
    return key();
  }

  /** The loaded key; for methods that cannot throw {@link SigningException} (callers call {@link #ready()} first). */
  private Signer loadedOrThrow() {
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
    return loadedOrThrow().keyId();
  }

  @Override
  public PublicKey publicKey() {
    return loadedOrThrow().publicKey();
  }

  @Override
  public byte[] sign(byte[] message) throws SigningException {
    return key().sign(message);
  }

  @Override
  public void close() {
    if (!loading.cancel(false) && !loading.isCancelled()) {
      try {
        loading.get().close(); // done: a KMS key's SDK client is closed
      } catch (java.util.concurrent.ExecutionException | InterruptedException | java.util.concurrent.CancellationException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
