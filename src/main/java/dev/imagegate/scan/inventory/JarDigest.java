package dev.imagegate.scan.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-1 of a jar's bytes: what Maven repositories publish beside every artifact, and what identifies a jar file. */
final class JarDigest {
  private JarDigest() {}

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(sha1().digest(bytes));
  }

  static String of(Path file) throws IOException {
    MessageDigest digest = sha1();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
