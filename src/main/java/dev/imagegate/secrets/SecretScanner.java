package dev.imagegate.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
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
 * finding, so its {@code .secrets.baseline} entries match. The detectors are the rows of {@link Rules}; one pass over
 * the text finds every rule's keywords, and only the rules whose keywords occur run their pattern.
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

  private static final Pattern ALLOWLIST_SAME_LINE =
      Pattern.compile(
          "(?:#|//|/\\*|'|--|<!--[# \\t]*?)[ \\t]* *pragma: ?(?:allow|white)list[ -]secret.*?(?: *\\*/| *?-->)?[ \\t]*$");
  private static final Pattern ALLOWLIST_NEXT_LINE =
      Pattern.compile("^[ \\t]*(?:#|//|/\\*|'|--|<!--[# \\t]*?) *pragma: ?allowlist[ -]nextline[ -]secret.*$");

  /** The keywords of every rule, and per rule the ids of its keywords in that index. */
  private static final List<String> KEYWORDS = Rules.keywords();
  private static final KeywordIndex INDEX = new KeywordIndex(KEYWORDS);
  private static final int[][] RULE_KEYWORDS = new int[Rules.ALL.size()][];
  /** The secret names, as keyword ids, in claim order. */
  private static final int[] NAME_IDS = new int[Rules.SECRET_NAMES.size()];

  static {
    for (int r = 0; r < Rules.ALL.size(); r++) {
      RULE_KEYWORDS[r] = Rules.ALL.get(r).keywords().stream().mapToInt(KEYWORDS::indexOf).toArray();
    }
    for (int i = 0; i < NAME_IDS.length; i++) {
      NAME_IDS[i] = KEYWORDS.indexOf(Rules.SECRET_NAMES.get(i));
    }
  }

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
    return examine(path, content).findings();
  }

  /**
   * What became of one content: skipped (and why, as {@link #skipReason(byte[], long)} says for its length), or
   * scanned, with its findings (as {@link #scan(String, byte[])} finds them). The content is probed once.
   *
   * @param skipped why the content was not scanned; empty when it was
   * @param findings in line order; empty when skipped
   */
  public record Outcome(Optional<Skip> skipped, List<SecretFinding> findings) {}

  /** Skips or scans one file's content: {@link #skipReason(byte[], long)} and {@link #scan(String, byte[])} at once. */
  public Outcome examine(String path, byte[] content) {
    if (content.length > maxFileSize) {
      return new Outcome(Optional.of(Skip.TOO_LARGE), List.of());
    }
    TextLayout layout = TextLayout.of(content);
    if (layout.binary()) {
      return new Outcome(Optional.of(Skip.BINARY), List.of());
    }
    // one char per byte of UTF-8 text: the exact bytes of a match are recoverable (and hashed); the keywords are
    // searched in the bytes themselves, and only a text that holds one is made a string for the patterns
    byte[] bytes = layout.bytes(content);
    int from = layout.textStart();
    KeywordIndex.Hits hits = INDEX.find(bytes, from, bytes.length);
    if (hits.none()) {
      return new Outcome(Optional.empty(), List.of());
    }
    Scan scan = new Scan(path, new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1));
    scan.run(hits);
    return new Outcome(Optional.empty(), scan.findings());
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

    /** One loop over the rule table, the rules whose keywords the text holds. */
    void run(KeywordIndex.Hits hits) {
      boolean lockFile = FalsePositives.isLockFile(path);
      for (int r = 0; r < Rules.ALL.size(); r++) {
        Rule rule = Rules.ALL.get(r);
        if (rule.target() == Rule.Target.TEXT && (rule.lockFiles() || !lockFile) && anyOf(hits, RULE_KEYWORDS[r])) {
          search(rule);
        }
      }
      if (!lockFile) {
        assignedValues(hits); // lock files: integrity hashes everywhere, only the fixed-shape rules run there
      }
    }

    private boolean anyOf(KeywordIndex.Hits hits, int[] keywordIds) {
      for (int k : keywordIds) {
        if (hits.contains(k)) {
          return true;
        }
      }
      return false;
    }

    private void search(Rule rule) {
      Matcher m = rule.pattern().matcher(text);
      Matcher follow = rule.follow().map(f -> f.pattern().matcher(text)).orElse(null);
      while (m.find()) {
        int start = m.start(rule.group());
        int end = m.end(rule.group());
        if (follow != null) {
          follow.region(m.end(), Math.min(text.length(), m.end() + rule.follow().get().window()));
          if (!follow.lookingAt()) {
            continue;
          }
          start = m.start();
          end = follow.end();
        }
        if (rule.accepts(m)) {
          add(rule.type(), start, end, m.group(rule.group()));
        }
      }
    }

    /**
     * The value assigned right after each secret name ({@code name = value}, {@code "name": "value"},
     * {@code <name>value</name>}), judged by the first value rule (in table order) that applies to the name and
     * accepts the value. A value reached from several names belongs to the first name in claim order.
     */
    private void assignedValues(KeywordIndex.Hits hits) {
      Set<Integer> valuesSeen = new HashSet<>();
      Matcher assignment = Rules.ASSIGNMENT.matcher(text);
      Matcher xml = Rules.XML_ELEMENT.matcher(text);
      for (int name = 0; name < NAME_IDS.length; name++) {
        int keyword = NAME_IDS[name];
        int length = KEYWORDS.get(keyword).length();
        int from = 0;
        for (int at : hits.positions(keyword)) {
          if (at < from) {
            continue; // overlaps the previous occurrence of the same name
          }
          from = at + length;
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
          if (value.isEmpty()
              || overlapsFixedShapeFinding(start, start + value.length())
              || FalsePositives.isNotASecretValue(value)) {
            continue;
          }
          judge(value, start, keyword);
        }
      }
    }

    private void judge(String value, int start, int keyword) {
      for (int r = 0; r < Rules.ALL.size(); r++) {
        Rule rule = Rules.ALL.get(r);
        if (rule.target() != Rule.Target.ASSIGNED_VALUE || !contains(RULE_KEYWORDS[r], keyword)) {
          continue;
        }
        Matcher m = rule.pattern().matcher(value);
        if (m.matches() && rule.accepts(m)) {
          add(rule.type(), start, start + value.length(), value);
          return;
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

  private static boolean contains(int[] ids, int id) {
    for (int i : ids) {
      if (i == id) {
        return true;
      }
    }
    return false;
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
