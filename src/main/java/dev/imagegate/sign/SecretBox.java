package dev.imagegate.sign;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * NaCl {@code secretbox_open} (XSalsa20-Poly1305), the cipher of cosign's encrypted key, with the JDK only.
 *
 * <p>Why not Bouncy Castle (it was {@code XSalsa20Engine} + {@code Poly1305}): the first Bouncy Castle class in a JVM
 * verifies Bouncy Castle's signed jar; with the EC code that followed it cost 340 ms of CPU in a fresh JVM (the JDK's
 * EC key pair + ECDSA sign + verify: 52 ms), and on the 2-core build machine that CPU was taken from the scrypt
 * decryption running at the same time. The box is ~150 bytes, so Poly1305 over {@link BigInteger} is fast enough;
 * {@code SecretBoxTest} checks it against Bouncy Castle's XSalsa20/Poly1305, the former implementation.
 */
final class SecretBox {
  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574}; // "expand 32-byte k"
  private static final BigInteger P1305 = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

  private SecretBox() {}

  /** secretbox_open: box = tag(16) || ciphertext; throws IllegalArgumentException when the tag does not match. */
  static byte[] open(byte[] box, byte[] nonce, byte[] key) {
    if (key.length != 32 || nonce.length != 24 || box.length < 16) {
      throw new IllegalArgumentException("secretbox: a 32-byte key, a 24-byte nonce and a 16-byte tag are needed");
    }
    byte[] subkey = hsalsa20(key, Arrays.copyOfRange(nonce, 0, 16));
    byte[] iv = Arrays.copyOfRange(nonce, 16, 24);
    int length = box.length - 16;
    // the keystream: its first 32 bytes are the Poly1305 key, the rest encrypts the message
    byte[] stream = new byte[32 + length];
    for (long counter = 0; counter * 64 < stream.length; counter++) {
      byte[] block = salsa20Block(subkey, iv, counter);
      int at = (int) (counter * 64);
      System.arraycopy(block, 0, stream, at, Math.min(64, stream.length - at));
    }
    Arrays.fill(subkey, (byte) 0);
    byte[] tag = poly1305(Arrays.copyOfRange(stream, 0, 32), box, 16, length);
    if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(box, 0, 16))) {
      Arrays.fill(stream, (byte) 0);
      throw new IllegalArgumentException("authentication failed");
    }
    byte[] plain = new byte[length];
    for (int i = 0; i < length; i++) {
      plain[i] = (byte) (box[16 + i] ^ stream[32 + i]);
    }
    Arrays.fill(stream, (byte) 0);
    return plain;
  }

  /** HSalsa20: the 32-byte subkey of XSalsa20 from the key and the first 16 bytes of the nonce. */
  static byte[] hsalsa20(byte[] key, byte[] nonce16) {
    int[] x = state(key, le32(nonce16, 0), le32(nonce16, 4), le32(nonce16, 8), le32(nonce16, 12));
    rounds20(x);
    byte[] out = new byte[32];
    int[] pick = {0, 5, 10, 15, 6, 7, 8, 9};
    for (int i = 0; i < 8; i++) {
      put32(out, 4 * i, x[pick[i]]);
    }
    return out;
  }

  /** One 64-byte Salsa20 block for a key, an 8-byte nonce and a block counter. */
  static byte[] salsa20Block(byte[] key, byte[] nonce8, long counter) {
    int[] in = state(key, le32(nonce8, 0), le32(nonce8, 4), (int) counter, (int) (counter >>> 32));
    int[] x = in.clone();
    rounds20(x);
    byte[] out = new byte[64];
    for (int i = 0; i < 16; i++) {
      put32(out, 4 * i, x[i] + in[i]);
    }
    return out;
  }

  private static int[] state(byte[] key, int w6, int w7, int w8, int w9) {
    return new int[] {
      SIGMA[0], le32(key, 0), le32(key, 4), le32(key, 8), le32(key, 12), SIGMA[1], w6, w7,
      w8, w9, SIGMA[2], le32(key, 16), le32(key, 20), le32(key, 24), le32(key, 28), SIGMA[3]
    };
  }

  private static void rounds20(int[] x) {
    for (int i = 0; i < 10; i++) {
      quarter(x, 0, 4, 8, 12); // columns
      quarter(x, 5, 9, 13, 1);
      quarter(x, 10, 14, 2, 6);
      quarter(x, 15, 3, 7, 11);
      quarter(x, 0, 1, 2, 3); // rows
      quarter(x, 5, 6, 7, 4);
      quarter(x, 10, 11, 8, 9);
      quarter(x, 15, 12, 13, 14);
    }
  }

  private static void quarter(int[] x, int a, int b, int c, int d) {
    x[b] ^= Integer.rotateLeft(x[a] + x[d], 7);
    x[c] ^= Integer.rotateLeft(x[b] + x[a], 9);
    x[d] ^= Integer.rotateLeft(x[c] + x[b], 13);
    x[a] ^= Integer.rotateLeft(x[d] + x[c], 18);
  }

  /** Poly1305 (RFC 8439 section 2.5) of {@code message[offset, offset + length)} under a one-time 32-byte key. */
  static byte[] poly1305(byte[] key, byte[] message, int offset, int length) {
    byte[] rBytes = Arrays.copyOfRange(key, 0, 16);
    rBytes[3] &= 15;
    rBytes[7] &= 15;
    rBytes[11] &= 15;
    rBytes[15] &= 15;
    rBytes[4] &= (byte) 252;
    rBytes[8] &= (byte) 252;
    rBytes[12] &= (byte) 252;
    BigInteger r = littleEndian(rBytes, 0, 16);
    BigInteger s = littleEndian(key, 16, 16);
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0; i < length; i += 16) {
      int n = Math.min(16, length - i);
      byte[] block = Arrays.copyOfRange(message, offset + i, offset + i + n + 1);
      block[n] = 1;
      acc = acc.add(littleEndian(block, 0, n + 1)).multiply(r).mod(P1305);
    }
    byte[] big = acc.add(s).toByteArray(); // big-endian, possibly with a sign byte; keep the low 16 bytes
    byte[] tag = new byte[16];
    for (int i = 0; i < 16 && i < big.length; i++) {
      tag[i] = big[big.length - 1 - i];
    }
    return tag;
  }

  private static BigInteger littleEndian(byte[] b, int offset, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = b[offset + length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
  }

  private static void put32(byte[] b, int i, int v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >>> 8);
    b[i + 2] = (byte) (v >>> 16);
    b[i + 3] = (byte) (v >>> 24);
  }
}
