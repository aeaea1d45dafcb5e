package dev.imagegate.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a private key file to PKCS#8 DER: PEM {@code PRIVATE KEY}, {@code EC PRIVATE KEY} (SEC1), or the encrypted
 * {@code cosign.key}. The PEM framing is read with the JDK, not Bouncy Castle: the first class of Bouncy Castle's
 * signed jar costs 0.07 s (Maven JVM) to 0.2-0.5 s (fresh JVM on 2 busy cores) to verify, CPU taken from the scrypt
 * decryption; only a SEC1 key loads it ({@link BcKeys}).
 */
final class PrivateKeyFile {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final Pattern HEADER = Pattern.compile("^[A-Za-z-]+:.*$", Pattern.MULTILINE);

  private PrivateKeyFile() {}

  static String read(Path file) throws SigningException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new SigningException(
          "Cannot read the signing key " + file + ": " + e.getMessage(), "Set imagegate.sign.key to an existing key file.", e);
    }
  }

  /** The key's PKCS#8 DER; decrypts a cosign key ({@link CosignKeyFile}) with the password (may be empty). */
  static byte[] pkcs8(String reference, String pem, char[] password) throws SigningException {
    Matcher m = BLOCK.matcher(pem);
    if (!m.find()) {
      throw new SigningException(
          "The key " + reference + " holds no PEM block.",
          "Give a PEM PKCS#8 EC private key or a cosign.key written by 'cosign generate-key-pair'.");
    }
    String type = m.group(1);
    if (HEADER.matcher(m.group(2)).find()) {
      throw new SigningException(
          "The key " + reference + " is a PEM block with headers (an OpenSSL-encrypted key?), which this plugin does not read.",
          "Give an unencrypted PEM PKCS#8 EC P-256 key or a cosign.key written by 'cosign generate-key-pair'.");
    }
    byte[] content;
    try {
      content = Base64.getMimeDecoder().decode(m.group(2).strip());
    } catch (IllegalArgumentException e) {
      throw new SigningException("The key " + reference + " is not PEM: " + e.getMessage(), "Give a PEM private key.", e);
    }
    return switch (type) {
      case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> CosignKeyFile.decrypt(reference, content, password);
      case "PRIVATE KEY" -> content;
      case "EC PRIVATE KEY" -> BcKeys.sec1ToPkcs8(reference, pem);
      case "PUBLIC KEY" -> throw new SigningException(
          "The key " + reference + " is a public key (PUBLIC KEY), where the private signing key is expected: a public key cannot sign.",
          "Set sign's signingKey (imagegate.sign.key) to the private key (cosign.key, a PEM PKCS#8 EC P-256 key) or to"
              + " awskms:///<key>; the public key belongs to verify-signature's publicKey (imagegate.verify.key).");
      default -> throw new SigningException(
          "The key " + reference + " is a '" + type + "', not a private key this plugin reads.",
          "Give a PEM PKCS#8 EC P-256 private key (BEGIN PRIVATE KEY) or an encrypted cosign.key; for KMS use awskms:///<key>.");
    };
  }
}
