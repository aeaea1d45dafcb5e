package dev.imagegate.sign;

import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/** ECDSA P-256 public keys: PEM in and out, the fingerprint sign.json records, and signature checks. */
public final class PublicKeys {
  private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----");

  private PublicKeys() {}

  public static PublicKey fromDer(byte[] subjectPublicKeyInfo) throws SigningException {
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
      requireP256(key);
      return key;
    } catch (GeneralSecurityException e) {
      throw new SigningException(
          "The public key is not an EC key: " + e.getMessage(),
          "Use an ECDSA P-256 key (cosign generate-key-pair, or a KMS key with key spec ECC_NIST_P256).",
          e);
    }
  }

  public static PublicKey fromPem(String pem) throws SigningException {
    return fromPem("The key", pem);
  }

  /** @param what how to name the key in messages ({@code The key cosign.key}) */
  private static PublicKey fromPem(String what, String pem) throws SigningException {
    Matcher privateKey = PRIVATE_KEY.matcher(pem);
    if (privateKey.find()) {
      throw new SigningException(
          what + " is a private key (" + privateKey.group(1) + "), where a public key is expected: verifying needs only the public half.",
          "Give the public key: cosign.pub (written next to cosign.key by cosign generate-key-pair), or the output of"
              + " 'cosign public-key --key <private key>'; for verify-signature set publicKey (imagegate.verify.key). The private"
              + " key belongs to sign's signingKey (imagegate.sign.key).");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object instanceof SubjectPublicKeyInfo info) {
        return fromDer(info.getEncoded());
      }
      throw new SigningException(
          "The text is not a PEM public key (-----BEGIN PUBLIC KEY-----)" + (object == null ? "" : ": found " + object.getClass().getSimpleName()),
          "Give the public key, e.g. cosign.pub or the output of 'cosign public-key --key awskms:///…'.");
    } catch (IOException e) {
      throw new SigningException("Cannot read the PEM public key: " + e.getMessage(), "Check the key file is a PEM public key.", e);
    }
  }

  public static PublicKey read(Path pemFile) throws SigningException {
    try {
      return fromPem("The key " + pemFile, Files.readString(pemFile, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new SigningException("Cannot read the public key " + pemFile + ": " + e.getMessage(), "Check the path of the public key.", e);
    }
  }

  /** PEM {@code PUBLIC KEY}, 64 characters a line (with the JDK: no Bouncy Castle on the signing path). */
  public static String toPem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** {@code sha256:<hex of the DER SubjectPublicKeyInfo>} */
  public static String fingerprint(PublicKey key) {
    return Digests.sha256(key.getEncoded());
  }

  /** Whether {@code derSignature} is a valid ECDSA-SHA256 signature of {@code message} under {@code key}. */
  public static boolean verify(PublicKey key, byte[] message, byte[] derSignature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(derSignature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static void requireP256(PublicKey key) throws SigningException {
    if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new SigningException(
          "The key is not an ECDSA P-256 key (" + key.getAlgorithm() + ").",
          "Use an ECDSA P-256 key: cosign generate-key-pair, or a KMS key with key spec ECC_NIST_P256 and usage SIGN_VERIFY.");
    }
  }
}
