package dev.imagegate.scan.secret;

/**
 * A secret found in a file of an image layer. The secret itself is never kept: only its SHA-1
 * ({@code hashedSecret}, as detect-secrets' {@code hashed_secret}).
 *
 * @param layer the digest of the layer holding the file
 * @param layerIndex the layer's index, 0 = lowest
 * @param path the file's absolute path in the image, e.g. {@code /app/resources/app.properties}
 * @param line 1-based line number
 * @param type the detect-secrets type, e.g. {@code AWS Access Key}
 * @param hashedSecret 40 hex digits
 */
public record ImageSecret(String layer, int layerIndex, String path, int line, String type, String hashedSecret) {

  /** {@code /path:line: type}: what every message shows (never the secret). */
  public String location() {
    return path + ":" + line + ": " + type;
  }
}
