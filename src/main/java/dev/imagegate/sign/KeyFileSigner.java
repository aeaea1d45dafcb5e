package dev.imagegate.sign;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * Signs with an ECDSA P-256 private key from a file: PEM PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}),
 * or the encrypted {@code cosign.key} that {@code cosign generate-key-pair} writes.
 *
 * <p>Signing is the JDK's {@code SHA256withECDSA} (randomized k, as cosign's own Go signatures). A re-run still adds
 * nothing: {@link ImageSigner} keeps a layer that already verifies with this key for the same payload. Bouncy Castle
 * is not used on this path (its first class verifies its signed jar: 0.3 s of CPU in a fresh JVM, taken from the
 * scrypt decryption on a 2-core machine); it is loaded only for a SEC1 key or a PKCS#8 key without its public key
 * ({@link BcKeys}).
 */
public final class KeyFileSigner implements Signer {
  private final String reference;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private KeyFileSigner(String reference, PrivateKey privateKey, PublicKey publicKey) {
    this.reference = reference;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Runs, once, what signing does that does not depend on the key, so that it can happen on another thread while the
   * key is decrypted ({@link PendingSigner}) instead of after it: the JDK's EC provider classes and a first ECDSA
   * signature and check, cold, with a throwaway key pair made here (its signature never leaves this method).
   */
  static void warmUp() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair throwaway = generator.generateKeyPair();
      KeyFileSigner signer = new KeyFileSigner("warm-up", throwaway.getPrivate(), throwaway.getPublic());
      byte[] message = "imagegate warm-up".getBytes(StandardCharsets.US_ASCII);
      PublicKeys.verify(signer.publicKey(), message, signer.sign(message));
    } catch (GeneralSecurityException | RuntimeException e) {
      // only a head start: the real key reports its own errors
    }
  }

  /**
   * @param file the key file
   * @param password for an encrypted cosign key; may be empty (cosign allows an empty password), ignored otherwise
   */
  public static KeyFileSigner load(Path file, char[] password) throws SigningException {
    return fromPem(file.toString(), PrivateKeyFile.read(file), password);
  }

  static KeyFileSigner fromPem(String reference, String pem, char[] password) throws SigningException {
    byte[] pkcs8 = PrivateKeyFile.pkcs8(reference, pem, password);
    try {
      return fromPkcs8(reference, pkcs8);
    } finally {
      Arrays.fill(pkcs8, (byte) 0); // the decrypted key lives on only inside the JDK key object
    }
  }

  static KeyFileSigner fromPkcs8(String reference, byte[] pkcs8) throws SigningException {
    ECPrivateKey key;
    try {
      if (!(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof ECPrivateKey ec)) {
        throw new SigningException("The key " + reference + " is not an EC private key.", "Use an ECDSA P-256 key (cosign generate-key-pair).");
      }
      key = ec;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SigningException(
          "The key " + reference + " is not an EC private key: " + e.getMessage(), "Use an ECDSA P-256 key (cosign generate-key-pair).", e);
    }
    ECParameterSpec params = key.getParams();
    if (params.getCurve().getField().getFieldSize() != 256) {
      throw new SigningException("The key " + reference + " is not a P-256 key.", "Use an ECDSA P-256 key (cosign generate-key-pair).");
    }
    Optional<byte[]> point = publicPoint(pkcs8);
    PublicKey publicKey;
    try {
      publicKey = point.isPresent()
          ? KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
              new ECPoint(new BigInteger(1, Arrays.copyOfRange(point.get(), 1, 33)), new BigInteger(1, Arrays.copyOfRange(point.get(), 33, 65))), params))
          : BcKeys.derivePublic(key);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SigningException("Cannot read the public key of " + reference + ": " + e.getMessage(), "Re-create the key with cosign generate-key-pair.", e);
    }
    KeyFileSigner signer = new KeyFileSigner(reference, key, publicKey);
    // the public key stored next to the private one is taken only when it matches it
    byte[] probe = "imagegate key check".getBytes(StandardCharsets.US_ASCII);
    if (!PublicKeys.verify(publicKey, probe, signer.sign(probe))) {
      throw new SigningException(
          "The public key stored in " + reference + " does not belong to its private key.", "Re-create the key with cosign generate-key-pair.");
    }
    return signer;
  }

  /**
   * The uncompressed public point (65 bytes, {@code 04 || X || Y}) that PKCS#8 from Go (cosign) and OpenSSL carries in
   * its RFC 5915 {@code ECPrivateKey}'s {@code [1] publicKey}; empty when absent or not readable.
   */
  static Optional<byte[]> publicPoint(byte[] pkcs8) {
    try {
      Der outer = Der.read(pkcs8, 0, 0x30);
      Der version = Der.read(pkcs8, outer.start, 0x02);
      Der algorithm = Der.read(pkcs8, version.end, 0x30);
      Der octets = Der.read(pkcs8, algorithm.end, 0x04);
      Der ec = Der.read(pkcs8, octets.start, 0x30);
      Der ecVersion = Der.read(pkcs8, ec.start, 0x02);
      Der secret = Der.read(pkcs8, ecVersion.end, 0x04);
      for (int at = secret.end; at < ec.end; ) {
        Der field = Der.read(pkcs8, at, -1);
        if (field.tag == 0xa1) {
          Der bits = Der.read(pkcs8, field.start, 0x03);
          if (bits.end - bits.start == 66 && pkcs8[bits.start] == 0 && pkcs8[bits.start + 1] == 4) {
            return Optional.of(Arrays.copyOfRange(pkcs8, bits.start + 1, bits.end));
          }
          return Optional.empty();
        }
        at = field.end;
      }
      return Optional.empty();
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** One DER element: tag, and where its contents start and end. */
  private record Der(int tag, int start, int end) {
    static Der read(byte[] b, int at, int expectedTag) {
      int tag = b[at] & 0xff;
      if (expectedTag >= 0 && tag != expectedTag) {
        throw new IllegalArgumentException("DER tag " + tag + " at " + at + ", expected " + expectedTag);
      }
      int length = b[at + 1] & 0xff;
      int start = at + 2;
      if (length >= 0x80) {
        int bytes = length & 0x7f;
        if (bytes < 1 || bytes > 3) {
          throw new IllegalArgumentException("DER length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = length << 8 | (b[start + i] & 0xff);
        }
        start += bytes;
      }
      if (start + length > b.length) {
        throw new IllegalArgumentException("DER truncated");
      }
      return new Der(tag, start, start + length);
    }
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public String keyId() {
    return PublicKeys.fingerprint(publicKey);
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  /** ECDSA P-256 / SHA-256, ASN.1 DER. */
  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(privateKey);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA P-256 signing failed", e);
    }
  }
}
