package dev.imagegate.secrets;

import java.util.Objects;

/**
 * One secret found: where, what kind, and the SHA-1 of the secret (hex, as detect-secrets' {@code hashed_secret}).
 * The secret itself is never kept, so a finding can be logged, written and compared safely.
 *
 * @param type what was found
 * @param path the file, as given to {@link SecretScanner#scan(String, byte[])} (relative, '/'-separated for files of
 *     a repository or an image layer)
 * @param line 1-based line number
 * @param hashedSecret 40 lower-case hex digits: SHA-1 of the secret's UTF-8 bytes
 */
public record SecretFinding(SecretType type, String path, int line, String hashedSecret) {

  public SecretFinding {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(path, "path");
    if (hashedSecret == null || !hashedSecret.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("hashedSecret must be 40 hex digits");
    }
  }

  /** {@code path:line: type}, the form every message uses. */
  public String location() {
    return path + ":" + line + ": " + type.label();
  }

  @Override
  public String toString() {
    return location();
  }
}
