package dev.imagegate.sign;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * scrypt (RFC 7914), used to decrypt cosign's encrypted key (N=65536, r=8, p=1: 64 MB, two million Salsa20/8 cores).
 *
 * <p>Why not Bouncy Castle's {@code SCrypt.generate}: the key is decrypted ONCE per JVM (a {@code mvn deploy}), so what
 * counts is the first call, before the JIT has compiled anything. Measured on the 2-core build machine, N=65536,
 * median of 3 fresh JVMs each: BC 0.49 s for the first call (0.22 s warm); this class 0.28 s for the first call
 * (0.16-0.19 s warm), identical output; inside the example's {@code mvn deploy} the sign goal took 0.58-0.65 s with
 * this class against 0.69-0.72 s with BC's (everything else equal). Here the whole BlockMix, Salsa20/8 included, is
 * one allocation-free method over 16 local ints, which the JIT compiles early (C1 alone runs it at 0.25 s, C2 at
 * 0.16 s), and it loads no Bouncy Castle class (see {@link PrivateKeyFile}). Bouncy Castle stays the
 * reference: {@code ScryptTest} checks identical output for the RFC 7914 test vectors and for a real
 * {@code cosign generate-key-pair} key decrypted both ways.
 *
 * <p>PBKDF2-HMAC-SHA256 (one iteration, twice per call) is the JDK's {@code HmacSHA256}.
 */
final class Scrypt {
  /** The largest working memory accepted (128 * r * N bytes): 1 GiB, 16 times cosign's default. */
  static final long MAX_MEMORY = 1L << 30;

  private Scrypt() {}

  /** Whether N is a power of two above 1, and r, p, and the memory 128·r·N are in range. */
  static boolean usable(int n, int r, int p) {
    return n > 1 && (n & (n - 1)) == 0 && r >= 1 && r <= 64 && p >= 1 && p <= 64 && 128L * r * n <= MAX_MEMORY;
  }

  static byte[] derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
    if (!usable(n, r, p)) {
      throw new IllegalArgumentException("unusable scrypt parameters N=" + n + " r=" + r + " p=" + p);
    }
    byte[] b = pbkdf2Sha256(password, salt, p * 128 * r);
    int words = 32 * r;
    int[] x = new int[words];
    int[] y = new int[words];
    int[] v = new int[words * n];
    for (int i = 0; i < p; i++) {
      int off = i * 128 * r;
      for (int k = 0; k < words; k++) {
        int q = off + 4 * k;
        x[k] = (b[q] & 0xff) | (b[q + 1] & 0xff) << 8 | (b[q + 2] & 0xff) << 16 | (b[q + 3] & 0xff) << 24;
      }
      roMix(x, y, v, n, r);
      for (int k = 0; k < words; k++) {
        int q = off + 4 * k;
        b[q] = (byte) x[k];
        b[q + 1] = (byte) (x[k] >>> 8);
        b[q + 2] = (byte) (x[k] >>> 16);
        b[q + 3] = (byte) (x[k] >>> 24);
      }
    }
    Arrays.fill(x, 0);
    Arrays.fill(y, 0);
    Arrays.fill(v, 0);
    byte[] key = pbkdf2Sha256(password, b, dkLen);
    Arrays.fill(b, (byte) 0);
    return key;
  }

  /** scryptROMix on x (32·r little-endian words), with v as the N-block table and y as scratch. */
  private static void roMix(int[] x, int[] y, int[] v, int n, int r) {
    int words = 32 * r;
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, 0, v, i * words, words);
      blockMix(x, y, r);
    }
    for (int i = 0; i < n; i++) {
      int base = (x[words - 16] & (n - 1)) * words;
      for (int k = 0; k < words; k++) {
        x[k] ^= v[base + k];
      }
      blockMix(x, y, r);
    }
  }

  /** scryptBlockMix with Salsa20/8 on b (2r blocks of 16 words), in place; y is scratch of the same size. */
  private static void blockMix(int[] b, int[] y, int r) {
    int l = (2 * r - 1) * 16;
    int x0 = b[l], x1 = b[l + 1], x2 = b[l + 2], x3 = b[l + 3], x4 = b[l + 4], x5 = b[l + 5], x6 = b[l + 6], x7 = b[l + 7];
    int x8 = b[l + 8], x9 = b[l + 9], x10 = b[l + 10], x11 = b[l + 11], x12 = b[l + 12], x13 = b[l + 13], x14 = b[l + 14], x15 = b[l + 15];
    for (int i = 0; i < 2 * r; i++) {
      int o = i * 16;
      x0 ^= b[o]; x1 ^= b[o + 1]; x2 ^= b[o + 2]; x3 ^= b[o + 3]; x4 ^= b[o + 4]; x5 ^= b[o + 5]; x6 ^= b[o + 6]; x7 ^= b[o + 7];
      x8 ^= b[o + 8]; x9 ^= b[o + 9]; x10 ^= b[o + 10]; x11 ^= b[o + 11]; x12 ^= b[o + 12]; x13 ^= b[o + 13]; x14 ^= b[o + 14]; x15 ^= b[o + 15];
      int j0 = x0, j1 = x1, j2 = x2, j3 = x3, j4 = x4, j5 = x5, j6 = x6, j7 = x7;
      int j8 = x8, j9 = x9, j10 = x10, j11 = x11, j12 = x12, j13 = x13, j14 = x14, j15 = x15;
      for (int k = 0; k < 4; k++) { // Salsa20/8: 4 double rounds
        x4 ^= Integer.rotateLeft(x0 + x12, 7); x8 ^= Integer.rotateLeft(x4 + x0, 9);
        x12 ^= Integer.rotateLeft(x8 + x4, 13); x0 ^= Integer.rotateLeft(x12 + x8, 18);
        x9 ^= Integer.rotateLeft(x5 + x1, 7); x13 ^= Integer.rotateLeft(x9 + x5, 9);
        x1 ^= Integer.rotateLeft(x13 + x9, 13); x5 ^= Integer.rotateLeft(x1 + x13, 18);
        x14 ^= Integer.rotateLeft(x10 + x6, 7); x2 ^= Integer.rotateLeft(x14 + x10, 9);
        x6 ^= Integer.rotateLeft(x2 + x14, 13); x10 ^= Integer.rotateLeft(x6 + x2, 18);
        x3 ^= Integer.rotateLeft(x15 + x11, 7); x7 ^= Integer.rotateLeft(x3 + x15, 9);
        x11 ^= Integer.rotateLeft(x7 + x3, 13); x15 ^= Integer.rotateLeft(x11 + x7, 18);
        x1 ^= Integer.rotateLeft(x0 + x3, 7); x2 ^= Integer.rotateLeft(x1 + x0, 9);
        x3 ^= Integer.rotateLeft(x2 + x1, 13); x0 ^= Integer.rotateLeft(x3 + x2, 18);
        x6 ^= Integer.rotateLeft(x5 + x4, 7); x7 ^= Integer.rotateLeft(x6 + x5, 9);
        x4 ^= Integer.rotateLeft(x7 + x6, 13); x5 ^= Integer.rotateLeft(x4 + x7, 18);
        x11 ^= Integer.rotateLeft(x10 + x9, 7); x8 ^= Integer.rotateLeft(x11 + x10, 9);
        x9 ^= Integer.rotateLeft(x8 + x11, 13); x10 ^= Integer.rotateLeft(x9 + x8, 18);
        x12 ^= Integer.rotateLeft(x15 + x14, 7); x13 ^= Integer.rotateLeft(x12 + x15, 9);
        x14 ^= Integer.rotateLeft(x13 + x12, 13); x15 ^= Integer.rotateLeft(x14 + x13, 18);
      }
      x0 += j0; x1 += j1; x2 += j2; x3 += j3; x4 += j4; x5 += j5; x6 += j6; x7 += j7;
      x8 += j8; x9 += j9; x10 += j10; x11 += j11; x12 += j12; x13 += j13; x14 += j14; x15 += j15;
      // output order: the even blocks first, then the odd ones
      int d = ((i & 1) == 0 ? i >> 1 : r + (i >> 1)) * 16;
      y[d] = x0; y[d + 1] = x1; y[d + 2] = x2; y[d + 3] = x3; y[d + 4] = x4; y[d + 5] = x5; y[d + 6] = x6; y[d + 7] = x7;
      y[d + 8] = x8; y[d + 9] = x9; y[d + 10] = x10; y[d + 11] = x11; y[d + 12] = x12; y[d + 13] = x13; y[d + 14] = x14; y[d + 15] = x15;
    }
    System.arraycopy(y, 0, b, 0, 32 * r);
  }

  /** PBKDF2-HMAC-SHA256 with one iteration. */
  private static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // HMAC pads the key with zeros to the block size, so the empty key (which SecretKeySpec refuses) is one zero byte
      mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] u = new byte[32];
      for (int block = 1, pos = 0; pos < length; block++) {
        mac.update(salt);
        mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
        mac.doFinal(u, 0);
        int c = Math.min(32, length - pos);
        System.arraycopy(u, 0, out, pos, c);
        pos += c;
      }
      Arrays.fill(u, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
    }
  }
}
