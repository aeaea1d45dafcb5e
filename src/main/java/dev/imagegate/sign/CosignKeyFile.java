package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decrypts the private key of {@code cosign generate-key-pair}: a PEM block whose content is JSON
 * {@code {"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":"nacl/secretbox","nonce"},"ciphertext"}};
 * key = scrypt(password, salt, N, r, p, 32) ({@link Scrypt}), plaintext = NaCl secretbox open (XSalsa20-Poly1305) = PKCS#8 DER.
 */
final class CosignKeyFile {
  private CosignKeyFile() {}

  static byte[] decrypt(String reference, byte[] json, char[] password) throws SigningException {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new SigningException("The encrypted key " + reference + " is not cosign's JSON format.", "Re-create it with cosign generate-key-pair.", e);
    }
    JsonNode kdf = root.path("kdf");
    JsonNode cipher = root.path("cipher");
    if (!"scrypt".equals(kdf.path("name").asText()) || !"nacl/secretbox".equals(cipher.path("name").asText())) {
      throw new SigningException(
          "The encrypted key " + reference + " uses kdf '" + kdf.path("name").asText() + "' / cipher '"
              + cipher.path("name").asText() + "'; only scrypt + nacl/secretbox (cosign's format) is supported.",
          "Re-create the key with cosign generate-key-pair, or give a PEM PKCS#8 key.");
    }
    int n = kdf.path("params").path("N").asInt();
    int r = kdf.path("params").path("r").asInt();
    int p = kdf.path("params").path("p").asInt();
    if (!Scrypt.usable(n, r, p)) {
      throw new SigningException("The encrypted key " + reference + " has unusable scrypt parameters.", "Re-create it with cosign generate-key-pair.");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(kdf.path("salt").asText(""));
    byte[] nonce = b64.decode(cipher.path("nonce").asText(""));
    byte[] box = b64.decode(root.path("ciphertext").asText(""));
    if (nonce.length != 24 || box.length < 16) {
      throw new SigningException("The encrypted key " + reference + " is truncated.", "Re-create it with cosign generate-key-pair.");
    }
    byte[] pass = utf8(password == null ? new char[0] : password);
    byte[] key = Scrypt.derive(pass, salt, n, r, p, 32);
    Arrays.fill(pass, (byte) 0);
    try {
      return SecretBox.open(box, nonce, key);
    } catch (IllegalArgumentException e) {
      throw new SigningException(
          "Cannot decrypt the cosign key " + reference + ": wrong password.",
          "Set the password in the environment variable named by imagegate.sign.passwordEnv (default COSIGN_PASSWORD) "
              + "or in the settings.xml server named by imagegate.sign.passwordServerId.");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] utf8(char[] chars) {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }
}
