package dev.imagegate.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in one file's content. Stateless and thread-safe: one instance can scan a repository's files and an
 * image's layer entries alike.
 *
 * <pre>{@code
 * SecretScanner scanner = new SecretScanner();
 * List<SecretFinding> findings = scanner.scan("app/config.properties", bytes);
 * }</pre>
 *
 * <p>Detectors: AWS access key ids and secret access keys, PEM/OpenSSH/PuTTY private keys (a BEGIN line followed by
 * key material), GitHub tokens ({@code ghp_ gho_ ghu_ ghs_ ghr_ github_pat_}), Slack tokens and webhooks, Stripe live
 * keys, JSON Web Tokens (header and payload must decode to JSON), credentials in URLs ({@code scheme://user:pass@}), and
 * values assigned to secret-sounding names (password, secret, token, api key, …) that are high-entropy base64 or hex,
 * or look like a hand-made password. The secret strings hashed are the ones Yelp detect-secrets hashes for the same
 * finding, so its {@code .secrets.baseline} entries match.
 *
 * <p>Allowlisting, as in detect-secrets: a line carrying a comment {@code pragma: allowlist secret} is not reported, nor
 * is the line after a line that is only the comment {@code pragma: allowlist nextline secret}.
 *
 * <p>Text is UTF-8 or any ASCII-compatible encoding, UTF-16 (LE or BE, with or without a byte order mark), or text
 * after a run of NUL bytes; lines end with LF, CRLF or a lone CR (as Python's universal newlines, which detect-secrets
 * reads with). See {@link TextLayout}.
 *
 * <p>Skipped: binary content (a NUL byte in the first 8000 bytes, git's own test, unless it is UTF-16 text or text after
 * a run of NULs) and content longer than {@link #maxFileSize()}: {@link #skipReason(byte[], long)} says which.
 */
public final class SecretScanner {

  /** Content longer than this (in bytes) is not scanned by default: 5 MiB. */
  public static final long DEFAULT_MAX_FILE_SIZE = 5L * 1024 * 1024;

  /** Why a file was not scanned. */
  public enum Skip {
    BINARY,
    TOO_LARGE
  }

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

  /** Secret-sounding names, lower case. */
  private static final List<String> KEYWORDS =
      List.of(
          "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "access_key", "access-key",
          "accesskey", "private_key", "private-key", "privatekey", "credential", "passphrase");
  /** After a keyword: the rest of the name, a closing quote or bracket, an assignment, an optional quote, the value. */
  private static final Pattern ASSIGNMENT =
      Pattern.compile("[A-Za-z0-9_.-]*[\"'\\]]{0,2}[ \\t]*(?::=|=>|=|:)[ \\t]*(?:\\\\?[\"'`])?([^\\s\"'`,;]+)");
  private static final Pattern XML_ELEMENT = Pattern.compile("[A-Za-z0-9_.-]*>([^<\\s]+)</");

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");

  private static final Pattern ALLOWLIST_SAME_LINE =
      Pattern.compile(
          "(?:#|//|/\\*|'|--|<!--[# \\t]*?)[ \\t]* *pragma: ?(?:allow|white)list[ -]secret.*?(?: *\\*/| *?-->)?[ \\t]*$");
  private static final Pattern ALLOWLIST_NEXT_LINE =
      Pattern.compile("^[ \\t]*(?:#|//|/\\*|'|--|<!--[# \\t]*?) *pragma: ?allowlist[ -]nextline[ -]secret.*$");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final long maxFileSize;

  public SecretScanner() {
    this(DEFAULT_MAX_FILE_SIZE);
  }

  /** @param maxFileSize content longer than this many bytes is skipped */
  public SecretScanner(long maxFileSize) {
    if (maxFileSize <= 0) {
      throw new IllegalArgumentException("maxFileSize must be positive");
    }
    this.maxFileSize = maxFileSize;
  }

  public long maxFileSize() {
    return maxFileSize;
  }

  /**
   * Whether content of this size and start would be skipped, and why.
   *
   * @param content the content, or at least its first 8000 bytes
   * @param size the content's full size in bytes
   */
  public Optional<Skip> skipReason(byte[] content, long size) {
    if (size > maxFileSize) {
      return Optional.of(Skip.TOO_LARGE);
    }
    return TextLayout.of(content).binary() ? Optional.of(Skip.BINARY) : Optional.empty();
  }

  /**
   * Scans a stream, reading at most {@link #maxFileSize()} + 1 bytes; a longer or binary stream yields no findings.
   * The stream is not closed.
   */
  public List<SecretFinding> scan(String path, InputStream content) throws IOException {
    byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxFileSize + 1));
    return scan(path, bytes);
  }

  /**
   * Scans one file's content.
   *
   * @param path the name findings carry (and that decides lock-file handling), e.g. {@code src/main/resources/app.yml}
   * @param content the file's bytes: UTF-8 (any ASCII-compatible encoding works for the detectors) or UTF-16
   * @return findings in line order; empty for binary or oversized content
   */
  public List<SecretFinding> scan(String path, byte[] content) {
    if (content.length > maxFileSize) {
      return List.of();
    }
    TextLayout layout = TextLayout.of(content);
    if (layout.binary()) {
      return List.of();
    }
    // one char per byte of UTF-8 text: the exact bytes of a match are recoverable (and hashed)
    String text = layout.text(content);
    Scan scan = new Scan(path, text);
    scan.run();
    return scan.findings();
  }

  private record Candidate(SecretType type, int start, int end, String secret) {}

  /** The work on one file. */
  private final class Scan {
    private final String path;
    private final String text;
    private final List<Candidate> candidates = new ArrayList<>();
    private int[] lineStarts;

    Scan(String path, String text) {
      this.path = path;
      this.text = text;
    }

    void run() {
      if (containsAny("AKIA", "ASIA", "ABIA", "ACCA", "A3T")) {
        Matcher m = AWS_KEY_ID.matcher(text);
        while (m.find()) {
          if (!FalsePositives.isPlaceholderBody(m.group(1))) {
            add(SecretType.AWS_ACCESS_KEY, m.start(), m.end(), m.group());
          }
        }
      }
      String lower = null;
      if (text.contains("PRIVATE KEY")) {
        Matcher m = PRIVATE_KEY.matcher(text);
        Matcher body = KEY_BODY.matcher(text);
        while (m.find()) {
          body.region(m.end(), Math.min(text.length(), m.end() + 1000));
          if (body.lookingAt()) {
            add(SecretType.PRIVATE_KEY, m.start(), body.end(), m.group(1));
          }
        }
      }
      if (text.contains("PuTTY-User-Key-File-")) {
        Matcher m = PUTTY_KEY.matcher(text);
        while (m.find()) {
          String window = text.substring(m.end(), Math.min(text.length(), m.end() + 4000));
          if (window.contains("Private-Lines:")) {
            add(SecretType.PRIVATE_KEY, m.start(), m.end(), m.group(1));
          }
        }
      }
      if (containsAny("ghp_", "gho_", "ghu_", "ghs_", "ghr_")) {
        tokens(GITHUB_TOKEN, SecretType.GITHUB_TOKEN);
      }
      if (text.contains("github_pat_")) {
        tokens(GITHUB_PAT, SecretType.GITHUB_TOKEN);
      }
      if (text.contains("xox") || text.contains("XOX")) {
        tokens(SLACK_TOKEN, SecretType.SLACK_TOKEN);
      }
      if (text.contains("hooks.slack.com")) {
        tokens(SLACK_WEBHOOK, SecretType.SLACK_TOKEN);
      }
      if (text.contains("k_live_")) {
        tokens(STRIPE_KEY, SecretType.STRIPE_KEY);
      }
      if (text.contains("eyJ")) {
        Matcher m = JWT.matcher(text);
        while (m.find()) {
          if (isFormallyValidJwt(m.group())) {
            add(SecretType.JWT, m.start(), m.end(), m.group());
          }
        }
      }
      if (text.contains("://")) {
        Matcher m = BASIC_AUTH.matcher(text);
        while (m.find()) {
          String password = m.group(1);
          if (!isPlaceholderPassword(password)) {
            add(SecretType.BASIC_AUTH, m.start(1), m.end(1), password);
          }
        }
      }
      if (FalsePositives.isLockFile(path)) {
        return; // integrity hashes everywhere; only the fixed-shape detectors above run on lock files
      }
      lower = text.toLowerCase(Locale.ROOT);
      if (lower.contains("aws")) {
        Matcher m = AWS_SECRET.matcher(text);
        while (m.find()) {
          String secret = m.group(1);
          if (isLikelyAwsSecret(secret)) {
            add(SecretType.AWS_ACCESS_KEY, m.start(1), m.end(1), secret);
          }
        }
      }
      keywords(lower);
    }

    private void tokens(Pattern pattern, SecretType type) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (!FalsePositives.isPlaceholderBody(m.group(1))) {
          add(type, m.start(), m.end(), m.group());
        }
      }
    }

    private void keywords(String lower) {
      Set<Integer> valuesSeen = new HashSet<>();
      Matcher assignment = ASSIGNMENT.matcher(text);
      Matcher xml = XML_ELEMENT.matcher(text);
      for (String keyword : KEYWORDS) {
        boolean strong = !keyword.equals("token") && !keyword.equals("credential");
        int from = 0;
        int at;
        while ((at = lower.indexOf(keyword, from)) >= 0) {
          from = at + keyword.length();
          int lineEnd = lineEnd(from);
          Matcher m = null;
          assignment.region(from, lineEnd);
          if (assignment.lookingAt()) {
            m = assignment;
          } else if (at > 0 && text.charAt(at - 1) == '<') {
            xml.region(from, lineEnd);
            if (xml.lookingAt()) {
              m = xml;
            }
          }
          if (m == null || !valuesSeen.add(m.start(1))) {
            continue;
          }
          String value = trimValue(m.group(1));
          int start = m.start(1);
          if (value.isEmpty() || overlapsFixedShapeFinding(start, start + value.length())) {
            continue;
          }
          SecretType type = classify(value, strong);
          if (type != null) {
            add(type, start, start + value.length(), value);
          }
        }
      }
    }

    /** Where the line holding {@code from} ends: at its LF, CR or CRLF, or the end of the text. */
    private int lineEnd(int from) {
      for (int i = from; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r') {
          return i;
        }
      }
      return text.length();
    }

    private boolean overlapsFixedShapeFinding(int start, int end) {
      for (Candidate c : candidates) {
        if (c.start() < end && start < c.end()) {
          return true;
        }
      }
      return false;
    }

    private boolean containsAny(String... needles) {
      for (String needle : needles) {
        if (text.contains(needle)) {
          return true;
        }
      }
      return false;
    }

    private void add(SecretType type, int start, int end, String secret) {
      candidates.add(new Candidate(type, start, end, secret));
    }

    List<SecretFinding> findings() {
      if (candidates.isEmpty()) {
        return List.of();
      }
      lineStarts = lineStarts(text);
      Set<String> seen = new HashSet<>();
      List<SecretFinding> out = new ArrayList<>();
      for (Candidate c : candidates) {
        int line = lineOf(c.start());
        if (isAllowlisted(line)) {
          continue;
        }
        SecretFinding finding = new SecretFinding(c.type(), path, line + 1, sha1(c.secret()));
        if (seen.add(c.type() + "\0" + finding.line() + "\0" + finding.hashedSecret())) {
          out.add(finding);
        }
      }
      out.sort(
          (a, b) ->
              a.line() != b.line()
                  ? Integer.compare(a.line(), b.line())
                  : a.type() != b.type() ? a.type().compareTo(b.type()) : a.hashedSecret().compareTo(b.hashedSecret()));
      return List.copyOf(out);
    }

    private int lineOf(int offset) {
      int i = Arrays.binarySearch(lineStarts, offset);
      return i >= 0 ? i : -i - 2;
    }

    private String lineText(int line) {
      int start = lineStarts[line];
      return text.substring(start, lineEnd(start));
    }

    private boolean isAllowlisted(int line) {
      String current = lineText(line);
      if (current.contains("pragma") && ALLOWLIST_SAME_LINE.matcher(current).find()) {
        return true;
      }
      if (line > 0) {
        String previous = lineText(line - 1);
        return previous.contains("pragma") && ALLOWLIST_NEXT_LINE.matcher(previous).find();
      }
      return false;
    }
  }

  /** Where each line starts; a line ends with LF, CRLF or a lone CR (Python's universal newlines). */
  private static int[] lineStarts(String text) {
    int[] starts = new int[16];
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, n);
  }

  /** A value's closing punctuation that the assignment pattern let through: {@code abc>}, {@code abc)}. */
  private static String trimValue(String value) {
    int end = value.length();
    while (end > 0 && "})]>".indexOf(value.charAt(end - 1)) >= 0) {
      end--;
    }
    return value.substring(0, end);
  }

  /** What a value assigned to a secret-sounding name is, or null if it is not a secret. */
  static SecretType classify(String value, boolean strongKeyword) {
    if (FalsePositives.isNotASecretValue(value)) {
      return null;
    }
    double entropy = FalsePositives.entropy(value);
    if (value.length() >= 16 && HEX.matcher(value).matches()) {
      boolean digitsOnly = value.chars().allMatch(Character::isDigit);
      return !digitsOnly && entropy >= 3.0 ? SecretType.HEX_HIGH_ENTROPY : null;
    }
    if (value.length() >= 20 && BASE64.matcher(value).matches() && entropy >= 4.0) {
      return SecretType.BASE64_HIGH_ENTROPY;
    }
    if (strongKeyword && FalsePositives.looksLikePassword(value)) {
      return SecretType.SECRET_KEYWORD;
    }
    return null;
  }

  private static boolean isLikelyAwsSecret(String secret) {
    return secret.chars().anyMatch(Character::isUpperCase)
        && secret.chars().anyMatch(Character::isLowerCase)
        && secret.chars().anyMatch(Character::isDigit)
        && FalsePositives.entropy(secret) >= 4.0
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
          JSON.readTree(new String(decoded, StandardCharsets.UTF_8));
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

  /** SHA-1 of the secret's original bytes (the ISO-8859-1 chars are those bytes), as detect-secrets hashes UTF-8. */
  static String sha1(String isoLatin1) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(isoLatin1.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
