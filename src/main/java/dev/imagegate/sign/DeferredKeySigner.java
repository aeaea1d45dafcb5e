package dev.imagegate.sign;

import java.security.PublicKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An encrypted {@code cosign.key} whose decryption (scrypt, N=65536: the slowest step of signing in a JVM) runs on a
 * background thread from the moment the key is opened, so it overlaps what the sign goal does before it needs the
 * key: reading push.json and the SBOM, ECR tokens and tag-policy checks, reading the existing {@code .sig}/{@code .att}
 * manifests. The key is still decrypted exactly once per build. {@link #ready()} waits for it and reports a wrong
 * password as the synchronous load would; {@link ImageSigner} calls it before it signs anything.
 */
final class DeferredKeySigner implements Signer {
  private final String reference;
  private final CompletableFuture<KeyFileSigner> key = new CompletableFuture<>();

  DeferredKeySigner(String reference, String pem, char[] password) {
    this.reference = reference;
    Thread t = new Thread(() -> {
      try {
        key.complete(KeyFileSigner.fromPem(reference, pem, password));
      } catch (Throwable e) {
        key.completeExceptionally(e);
      }
    }, "imagegate-key-decrypt");
    t.setDaemon(true);
    t.start();
  }

  private KeyFileSigner key() throws SigningException {
    try {
      return key.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof SigningException se) {
        throw se;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new SigningException("Cannot load the signing key " + reference + ": " + c, "Check the key file.", c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigningException("Interrupted while decrypting the signing key " + reference + ".", "Run the goal again.", e);
    }
  }

  private KeyFileSigner loaded() {
    try {
      return key();
    } catch (SigningException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void ready() throws SigningException {
    key();
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
}
