package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/** {@link SecretBox} against RFC 8439's Poly1305 vector and Bouncy Castle's XSalsa20 + Poly1305 (the former implementation). */
class SecretBoxTest {

  /** NaCl secretbox (seal) with Bouncy Castle: tag(16) || ciphertext. */
  static byte[] bcSeal(byte[] plain, byte[] nonce, byte[] key) {
    XSalsa20Engine stream = new XSalsa20Engine();
    stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] polyKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, polyKey, 0);
    byte[] box = new byte[16 + plain.length];
    stream.processBytes(plain, 0, plain.length, box, 16);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    mac.update(box, 16, plain.length);
    mac.doFinal(box, 0);
    return box;
  }

  /** The former implementation: Bouncy Castle's secretbox_open. */
  static byte[] bcOpen(byte[] box, byte[] nonce, byte[] key) {
    XSalsa20Engine stream = new XSalsa20Engine();
    stream.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] polyKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, polyKey, 0);
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(polyKey));
    mac.update(box, 16, box.length - 16);
    byte[] tag = new byte[16];
    mac.doFinal(tag, 0);
    if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(box, 0, 16))) {
      throw new IllegalArgumentException("authentication failed");
    }
    byte[] plain = new byte[box.length - 16];
    stream.processBytes(box, 16, plain.length, plain, 0);
    return plain;
  }

  @Test
  void poly1305Rfc8439Vector() {
    byte[] key = HexFormat.of().parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
    byte[] msg = "Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertArrayEquals(HexFormat.of().parseHex("a8061dc1305136c6c22b8baf0c0127a9"), SecretBox.poly1305(key, msg, 0, msg.length));
  }

  @Test
  void opensWhatBouncyCastleSealsAndAgreesWithItsOpen() {
    Random random = new Random(8439);
    for (int len : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 121, 138, 200, 1000}) {
      byte[] key = new byte[32];
      byte[] nonce = new byte[24];
      byte[] plain = new byte[len];
      random.nextBytes(key);
      random.nextBytes(nonce);
      random.nextBytes(plain);
      byte[] box = bcSeal(plain, nonce, key);
      assertArrayEquals(plain, SecretBox.open(box, nonce, key), "length " + len);
      assertArrayEquals(bcOpen(box, nonce, key), SecretBox.open(box, nonce, key), "length " + len);
      // a flipped bit anywhere (tag or ciphertext) fails authentication, as with Bouncy Castle
      byte[] bad = box.clone();
      bad[random.nextInt(bad.length)] ^= 1 << random.nextInt(8);
      assertThrows(IllegalArgumentException.class, () -> SecretBox.open(bad, nonce, key));
      assertThrows(IllegalArgumentException.class, () -> bcOpen(bad, nonce, key));
    }
  }

  @Test
  void wrongKeyOrNonceFails() {
    byte[] key = new byte[32];
    byte[] nonce = new byte[24];
    byte[] box = bcSeal("pkcs8".getBytes(java.nio.charset.StandardCharsets.US_ASCII), nonce, key);
    byte[] otherKey = key.clone();
    otherKey[0] = 1;
    byte[] otherNonce = nonce.clone();
    otherNonce[23] = 1;
    assertThrows(IllegalArgumentException.class, () -> SecretBox.open(box, nonce, otherKey));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.open(box, otherNonce, key));
  }
}
