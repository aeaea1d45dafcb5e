package dev.imagegate.sign;

import java.security.PublicKey;

/**
 * Makes ECDSA P-256 / SHA-256 signatures (ASN.1 DER) with one key: a key file or an AWS KMS key.
 */
public interface Signer extends AutoCloseable {

  /** How the user named the key: {@code awskms:///…} or the key file path. */
  String reference();

  /** The KMS key ARN, or for a key file the public key fingerprint. */
  String keyId();

  PublicKey publicKey();

  /**
   * Waits until the key can sign: a no-op for a loaded key; a key file decrypted or a KMS key opened in the background
   * ({@link PendingSigner}) throws here what loading it threw (e.g. a wrong password, no such KMS key).
   */
  default void ready() throws SigningException {}

  /** The signer itself once {@link #ready()}: a {@link PendingSigner}'s key file or KMS signer, else this. */
  default Signer loaded() throws SigningException {
    return this;
  }

  /** Signs the message (hashing with SHA-256 is the signer's business). */
  byte[] sign(byte[] message) throws SigningException;

  /**
   * Signs and checks the signature against {@link #publicKey()} before anyone uploads it, so a signer that
   * misbehaves (a KMS emulator that hashes twice, a wrong key) fails here and not at admission time.
   */
  default byte[] signVerified(byte[] message) throws SigningException {
    byte[] signature = sign(message);
    if (!PublicKeys.verify(publicKey(), message, signature)) {
      throw new SigningException(
          "The signature made with " + reference() + " over " + message.length
              + " bytes does not verify against the key's public key; nothing was uploaded.",
          "Check that the key is an ECDSA P-256 SIGN_VERIFY key and that the KMS endpoint is a real KMS "
              + "(moto hashes MessageType=DIGEST messages again, so messages over 4096 bytes cannot be signed there).");
    }
    return signature;
  }

  @Override
  default void close() {}
}
