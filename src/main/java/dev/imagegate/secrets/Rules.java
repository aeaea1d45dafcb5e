package dev.imagegate.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The detectors' table: every {@link Rule} the {@link SecretScanner} runs, in the order it runs them, and the patterns
 * that find the value assigned to a secret-sounding name. Adding a detector is adding a row.
 *
 * <p>The secret each rule hashes is the string Yelp detect-secrets hashes for the same finding (the key id, the URL's
 * password, the JWT's {@code header.payload.}, the {@code BEGIN … PRIVATE KEY} marker), so its
 * {@code .secrets.baseline} entries match.
 */
final class Rules {

  private Rules() {}

  /** Secret-sounding names, lower case, in the order their values are claimed (the first name that reaches a value). */
  static final List<String> SECRET_NAMES =
      List.of(
          "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "access_key", "access-key",
          "accesskey", "private_key", "private-key", "privatekey", "credential", "passphrase");

  /** The names whose values may also be hand-made passwords ({@code token} and {@code credential} are too vague). */
  private static final List<String> PASSWORD_NAMES =
      SECRET_NAMES.stream().filter(n -> !n.equals("token") && !n.equals("credential")).toList();

  /** After a name: the rest of the name, a closing quote or bracket, an assignment, an optional quote, the value. */
  static final Pattern ASSIGNMENT =
      Pattern.compile("[A-Za-z0-9_.-]*[\"'\\]]{0,2}[ \\t]*(?::=|=>|=|:)[ \\t]*(?:\\\\?[\"'`])?([^\\s\"'`,;]+)");

  /** After a name that follows {@code <}: the rest of the element name and its text, {@code <password>…</}. */
  static final Pattern XML_ELEMENT = Pattern.compile("[A-Za-z0-9_.-]*>([^<\\s]+)</");

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16,}");

  private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)([0-9A-Z]{16})\\b");
  private static final Pattern AWS_SECRET =
      Pattern.compile(
          "aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?\\b([0-9a-zA-Z/+]{40})\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----(BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----");
  /** After the BEGIN line: optional PEM headers (Proc-Type, DEK-Info, Version), then a line of key material. */
  private static final Pattern KEY_BODY =
      Pattern.compile(
          "(?:[ \\t]|\\r|\\n|\\\\r|\\\\n|\")*(?:[A-Za-z-]+: [^\\n\\\\]*(?:\\r?\\n|\\\\n)(?:[ \\t]|\\r|\\n|\\\\r|\\\\n|\")*)*"
              + "[A-Za-z0-9+/]{40,}");
  private static final Pattern PUTTY_KEY = Pattern.compile("(PuTTY-User-Key-File-[23]): ");
  private static final Pattern PUTTY_BODY = Pattern.compile("[\\s\\S]*?Private-Lines:");
  private static final Pattern GITHUB_TOKEN =
      Pattern.compile("(?<![A-Za-z0-9_])(?:ghp|gho|ghu|ghs|ghr)_([A-Za-z0-9_]{36})(?![A-Za-z0-9_])");
  private static final Pattern GITHUB_PAT = Pattern.compile("(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9_]{82})(?![A-Za-z0-9_])");
  private static final Pattern SLACK_TOKEN =
      Pattern.compile("xox(?:a|b|p|o|s|r)-(?:\\d+-)+([a-z0-9]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SLACK_WEBHOOK =
      Pattern.compile(
          "https://hooks\\.slack\\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/([a-zA-Z0-9_]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern STRIPE_KEY = Pattern.compile("(?:r|s)k_live_([0-9a-zA-Z]{24})");
  /** detect-secrets' own pattern, kept as is so the hashed string (header.payload.) is the same. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9-_=]+\\.[A-Za-z0-9-_=]+\\.?[A-Za-z0-9-_.+/=]*?");
  private static final Pattern BASIC_AUTH = Pattern.compile("://[^\\s:/@'\"<>]+:([^\\s:/@'\"<>]+)@");

  /** The table, in the order the scanner runs it: every text rule, then the value rules in claim order. */
  static final List<Rule> ALL =
      List.of(
          Rule.text("aws-access-key-id", SecretType.AWS_ACCESS_KEY, List.of("akia", "asia", "abia", "acca", "a3t"),
              AWS_KEY_ID, 0, m -> !FalsePositives.isPlaceholderBody(m.group(1))),
          Rule.text("private-key", SecretType.PRIVATE_KEY, List.of("private key"), PRIVATE_KEY, 1, m -> true)
              .followedBy(KEY_BODY, 1000),
          Rule.text("putty-private-key", SecretType.PRIVATE_KEY, List.of("putty-user-key-file-"), PUTTY_KEY, 1, m -> true)
              .followedBy(PUTTY_BODY, 4000),
          Rule.text("github-token", SecretType.GITHUB_TOKEN, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
              GITHUB_TOKEN, 0, m -> !FalsePositives.isPlaceholderBody(m.group(1))),
          Rule.text("github-fine-grained-pat", SecretType.GITHUB_TOKEN, List.of("github_pat_"), GITHUB_PAT, 0,
              m -> !FalsePositives.isPlaceholderBody(m.group(1))),
          Rule.text("slack-token", SecretType.SLACK_TOKEN, List.of("xox"), SLACK_TOKEN, 0,
              m -> !FalsePositives.isPlaceholderBody(m.group(1))),
          Rule.text("slack-webhook-url", SecretType.SLACK_TOKEN, List.of("hooks.slack.com"), SLACK_WEBHOOK, 0,
              m -> !FalsePositives.isPlaceholderBody(m.group(1))),
          Rule.text("stripe-live-key", SecretType.STRIPE_KEY, List.of("k_live_"), STRIPE_KEY, 0,
              m -> !FalsePositives.isPlaceholderBody(m.group(1))),
          Rule.text("jwt", SecretType.JWT, List.of("eyj"), JWT, 0, m -> isFormallyValidJwt(m.group())),
          Rule.text("url-password", SecretType.BASIC_AUTH, List.of("://"), BASIC_AUTH, 1,
              m -> !isPlaceholderPassword(m.group(1))),
          Rule.text("aws-secret-access-key", SecretType.AWS_ACCESS_KEY, List.of("aws"), AWS_SECRET, 1,
                  m -> isLikelyAwsSecret(m.group(1)))
              .withEntropy(4.0)
              .notOnLockFiles(),
          // values assigned to secret-sounding names: the first rule whose pattern matches the whole value and
          // accepts it wins
          Rule.value("hex-high-entropy-value", SecretType.HEX_HIGH_ENTROPY, SECRET_NAMES, HEX, 3.0,
              m -> !m.group().chars().allMatch(Character::isDigit)),
          Rule.value("base64-high-entropy-value", SecretType.BASE64_HIGH_ENTROPY, SECRET_NAMES,
              Pattern.compile("(?=.{20})[A-Za-z0-9+/_-]+={0,2}"), 4.0, m -> true),
          // a hex-shaped value is the hex rule's alone: not a hand-made password when its entropy is too low
          Rule.value("hand-made-password", SecretType.SECRET_KEYWORD, PASSWORD_NAMES, Pattern.compile("\\S{8,}"), 0,
              m -> !HEX.matcher(m.group()).matches() && FalsePositives.looksLikePassword(m.group())));

  /** Every keyword of the table, lower case, each once: text rules' first, then the secret names in claim order. */
  static List<String> keywords() {
    Set<String> all = new LinkedHashSet<>();
    for (Rule r : ALL) {
      all.addAll(r.keywords());
    }
    return new ArrayList<>(all);
  }

  private static boolean isLikelyAwsSecret(String secret) {
    return secret.chars().anyMatch(Character::isUpperCase)
        && secret.chars().anyMatch(Character::isLowerCase)
        && secret.chars().anyMatch(Character::isDigit)
        && !FalsePositives.isSequential(secret);
  }

  /** A URL's password that is a placeholder or a reference: {@code ${DB_PASSWORD}}, {@code <password>}, {@code ***}. */
  private static boolean isPlaceholderPassword(String password) {
    if (password.length() >= 6) {
      return FalsePositives.isNotASecretValue(password);
    }
    String lower = password.toLowerCase(Locale.ROOT);
    return "$%{<*@#&".indexOf(lower.charAt(0)) >= 0
        || Set.of("pass", "pw", "pwd", "x", "xx", "xxx", "xxxx", "xxxxx", "token", "test", "user", "none", "null")
            .contains(lower);
  }

  /** Loaded on the first JWT-shaped candidate only: most files have none, and Jackson's start is not free. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** detect-secrets' {@code is_formally_valid}: header and payload are base64url JSON. */
  static boolean isFormallyValidJwt(String token) {
    String[] parts = token.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].replace("=", "");
      if (part.length() % 4 == 1) {
        return false;
      }
      try {
        byte[] decoded = Base64.getUrlDecoder().decode(part);
        if (i < 2) {
          Json.MAPPER.readTree(new String(decoded, StandardCharsets.UTF_8));
          if (!new String(decoded, StandardCharsets.UTF_8).trim().startsWith("{")) {
            return false;
          }
        }
      } catch (IllegalArgumentException | IOException e) {
        return false;
      }
    }
    return true;
  }
}
