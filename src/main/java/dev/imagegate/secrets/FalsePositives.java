package dev.imagegate.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The heuristics that keep the keyword and entropy detectors quiet on things that are not secrets, after Yelp
 * detect-secrets' {@code filters.heuristic} (UUIDs, sequential strings, templated values, indirect references, lock
 * files) and gitleaks' generic-key allowlist (stop words, placeholders, low entropy).
 */
final class FalsePositives {

  private FalsePositives() {}

  /** Lock and checksum files: full of integrity hashes, never hand-written credentials (Yelp {@code is_lock_file}). */
  private static final Set<String> LOCK_FILES =
      Set.of(
          "package-lock.json",
          "npm-shrinkwrap.json",
          "yarn.lock",
          "pnpm-lock.yaml",
          "bun.lock",
          "composer.lock",
          "Gemfile.lock",
          "Cargo.lock",
          "Pipfile.lock",
          "poetry.lock",
          "uv.lock",
          "go.sum",
          "gradle.lockfile",
          "flake.lock",
          "packages.lock.json",
          "Podfile.lock",
          "mix.lock",
          "pubspec.lock");

  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Words that mark a value as a placeholder, a fixture or documentation rather than a live credential. */
  private static final List<String> PLACEHOLDER_WORDS =
      List.of(
          "example", "changeme", "change_me", "change-me", "placeholder", "dummy", "fake", "sample", "redacted",
          "your", "xxxx", "****", "....", "todo", "replace", "insert", "enter", "none", "null", "undefined", "secret",
          "password", "passwd", "token", "test", "mock", "foobar", "notreal", "not_real", "not-real", "invalid",
          "lorem", "ipsum", "12345", "qwerty", "letmein", "default", "unknown", "empty", "hidden", "masked");

  private static final List<String> REFERENCE_MARKERS =
      List.of(
          "${", "{{", "}}", "#{", "%(", "%s", "(", ")", "[", "]", "process.env", "env.", "os.environ", "getenv",
          "system.getproperty", "://", "\\");

  private static final List<String> SEQUENCES =
      List.of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ",
          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
          "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
          "0123456789ABCDEF0123456789ABCDEF",
          "0123456789012345678901234567890123456789",
          "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/");

  static boolean isLockFile(String path) {
    int slash = path.lastIndexOf('/');
    return LOCK_FILES.contains(slash < 0 ? path : path.substring(slash + 1));
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    if (s.isEmpty()) {
      return 0;
    }
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double h = 0;
    double n = s.length();
    for (int count : counts) {
      if (count > 0) {
        double p = count / n;
        h -= p * (Math.log(p) / Math.log(2));
      }
    }
    if (other > 0) {
      double p = other / n;
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }

  static int distinctChars(String s) {
    return (int) s.chars().distinct().count();
  }

  /** Placeholders of a fixed-shape token's variable part: {@code ghp_xxxx…}, {@code AKIA0000…}. */
  static boolean isPlaceholderBody(String body) {
    if (distinctChars(body) < Math.min(6, body.length())) {
      return true;
    }
    String lower = body.toLowerCase(Locale.ROOT);
    return lower.contains("xxxx") || lower.contains("0000000") || isSequential(body);
  }

  static boolean isSequential(String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    for (String sequence : SEQUENCES) {
      if (sequence.contains(upper)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a value assigned to a secret-sounding name is not itself a secret: a reference to one (a variable, a
   * template, a function call, an environment lookup), a placeholder, a UUID, a checksum, a path, a number, a boolean
   * or a plain identifier.
   */
  static boolean isNotASecretValue(String value) {
    if (value.length() < 6) {
      return true;
    }
    char first = value.charAt(0);
    if ("$%@{<#&*!~".indexOf(first) >= 0) {
      return true; // $VAR, %VAR%, @filtered@, {{ }}, <placeholder>, #{...}, *** masked, ~/path
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (value.startsWith("./") || value.startsWith("../")
        || (first == '/' && (lower.contains(".") || lower.matches("(/[a-z0-9_-]+)+/?")))) {
      return true; // a path
    }
    for (String marker : REFERENCE_MARKERS) {
      if (lower.contains(marker)) {
        return true;
      }
    }
    for (String word : PLACEHOLDER_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    if (lower.startsWith("sha1-") || lower.startsWith("sha256-") || lower.startsWith("sha384-")
        || lower.startsWith("sha512-") || lower.startsWith("sha256:") || lower.startsWith("sha512:")
        || lower.startsWith("md5:") || lower.startsWith("md5-")) {
      return true;
    }
    if (UUID.matcher(value).find()) {
      return true;
    }
    if (lower.matches("[a-z]+([._:-][a-z]+)*")) {
      return true; // app.db.password, my-token, camelCase words lowered: identifiers and property names
    }
    if (value.matches("[A-Za-z]+(\\.[A-Za-z]+)*")) {
      return true; // SomeClassName, Config.SECRET: identifiers
    }
    if (value.matches("[A-Z0-9_]+") && value.contains("_")) {
      return true; // MY_SECRET_NAME: a constant's name
    }
    if (value.matches("[0-9.:_-]+")) {
      return true; // numbers, versions, durations, ports
    }
    if (lower.matches(".*\\.(pem|key|crt|cer|der|p12|pfx|jks|keystore|txt|json|ya?ml|properties|env|conf|cfg|xml)$")) {
      return true; // a file that holds the secret, not the secret
    }
    if (distinctChars(value) < 4 || isSequential(value)) {
      return true;
    }
    return false;
  }

  /** A literal that looks like a hand-made password: long enough, mixed character classes, not a single word. */
  static boolean looksLikePassword(String value) {
    if (value.length() < 8 || entropy(value) < 2.8) {
      return false;
    }
    int classes = 0;
    if (value.chars().anyMatch(Character::isLowerCase)) {
      classes++;
    }
    if (value.chars().anyMatch(Character::isUpperCase)) {
      classes++;
    }
    if (value.chars().anyMatch(Character::isDigit)) {
      classes++;
    }
    if (value.chars().anyMatch(c -> !Character.isLetterOrDigit(c))) {
      classes++;
    }
    return classes >= 3;
  }
}
