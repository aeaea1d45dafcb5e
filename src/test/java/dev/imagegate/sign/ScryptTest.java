package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Scrypt} against RFC 7914 and against Bouncy Castle's SCrypt, the reference it replaces for speed. */
class ScryptTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void sameAsRfcAndBc(String password, String salt, int n, int r, int p, String expectedHex) {
    byte[] expected = HexFormat.of().parseHex(expectedHex.replace(" ", ""));
    assertArrayEquals(expected, SCrypt.generate(utf8(password), utf8(salt), n, r, p, 64), "BC and RFC 7914 agree");
    assertArrayEquals(expected, Scrypt.derive(utf8(password), utf8(salt), n, r, p, 64), "RFC 7914 N=" + n + " r=" + r + " p=" + p);
  }

  @Test
  void rfc7914TestVectors() {
    sameAsRfcAndBc("", "", 16, 1, 1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    sameAsRfcAndBc("password", "NaCl", 1024, 8, 16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    sameAsRfcAndBc("pleaseletmein", "SodiumChloride", 16384, 8, 1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
  }

  @Test
  void sameAsBouncyCastleForOtherParametersAndLengths() {
    Random random = new Random(7914);
    int[][] params = {{2, 1, 1}, {32, 2, 3}, {256, 3, 2}, {4096, 8, 1}, {64, 16, 1}};
    for (int[] np : params) {
      for (int len : new int[] {1, 32, 33, 100}) {
        byte[] password = new byte[random.nextInt(80)];
        byte[] salt = new byte[random.nextInt(40)];
        random.nextBytes(password);
        random.nextBytes(salt);
        assertArrayEquals(SCrypt.generate(password, salt, np[0], np[1], np[2], len), Scrypt.derive(password, salt, np[0], np[1], np[2], len),
            "N=" + np[0] + " r=" + np[1] + " p=" + np[2] + " dkLen=" + len);
      }
    }
  }

  @Test
  void cosignGeneratedKeyDecryptsTheSameWithBothImplementations() throws Exception {
    Tools.ok(dir, Map.of("COSIGN_PASSWORD", "s3cret pässword"), "cosign", "generate-key-pair");
    byte[] content;
    try (PemReader reader = new PemReader(Files.newBufferedReader(dir.resolve("cosign.key")))) {
      content = reader.readPemObject().getContent();
    }
    JsonNode root = Json.parse(content);
    JsonNode params = root.path("kdf").path("params");
    int n = params.path("N").asInt();
    assertTrue(n >= 32768, "cosign's real parameters: N=" + n);
    byte[] salt = Base64.getDecoder().decode(root.path("kdf").path("salt").asText());
    byte[] password = utf8("s3cret pässword");
    byte[] ours = Scrypt.derive(password, salt, n, params.path("r").asInt(), params.path("p").asInt(), 32);
    byte[] bc = SCrypt.generate(password, salt, n, params.path("r").asInt(), params.path("p").asInt(), 32);
    assertArrayEquals(bc, ours);
    byte[] nonce = Base64.getDecoder().decode(root.path("cipher").path("nonce").asText());
    byte[] box = Base64.getDecoder().decode(root.path("ciphertext").asText());
    byte[] plain = SecretBoxTest.bcOpen(box, nonce, bc);
    assertArrayEquals(plain, CosignKeyFile.decrypt("cosign.key", content, "s3cret pässword".toCharArray()));
    // and the key opened with our scrypt is the key cosign's public key belongs to
    KeyFileSigner signer = KeyFileSigner.load(dir.resolve("cosign.key"), "s3cret pässword".toCharArray());
    assertTrue(PublicKeys.verify(PublicKeys.read(dir.resolve("cosign.pub")), utf8("x"), signer.sign(utf8("x"))));
  }

  @Test
  void refusesUnusableParameters() {
    assertFalse(Scrypt.usable(1, 8, 1));
    assertFalse(Scrypt.usable(65535, 8, 1), "N must be a power of two");
    assertFalse(Scrypt.usable(1 << 22, 8, 1), "4 GiB of memory");
    assertFalse(Scrypt.usable(1 << 16, 0, 1));
    assertFalse(Scrypt.usable(1 << 16, 8, 65));
    assertTrue(Scrypt.usable(1 << 16, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> Scrypt.derive(new byte[0], new byte[0], 3, 1, 1, 32));
  }
}
