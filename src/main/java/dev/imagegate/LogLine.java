package dev.imagegate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a human log line may be: at most {@link #WIDTH} characters of prose. Identifiers a user copies whole (full
 * digests, commit hashes, paths, URLs, image references, ARNs: any word with a '/', a ':' followed by more text, or a
 * run of 40 or more hex digits) count as {@link #IDENTIFIER} characters, the width of a short digest; they are never
 * cut. So does a command to copy on its own indented line ({@code     mvn -f … imagegate:audit -D…}). Digests in lines other than a goal's summary line (the first line of an INFO {@code imagegate:<goal> …}, which
 * scripts read) are shortened to {@code sha256:<12 hex>…}: the full one is in the goal's handover file. The stories check
 * both rules on their build logs ({@code src/it/common/log-lines.groovy}).
 */
public final class LogLine {
  /** The most characters of a line, the level prefix ({@code [INFO] }) included. */
  public static final int WIDTH = 120;
  /** How many characters an identifier counts for. */
  public static final int IDENTIFIER = 12;

  private static final Pattern DIGEST = Pattern.compile("sha256:([0-9a-f]{12})[0-9a-f]{52}");
  private static final Pattern HEX_RUN = Pattern.compile(".*[0-9a-f]{40}.*");
  private static final Pattern COMMAND = Pattern.compile("((?:\\[[A-Z]+\\] )?\\s+)(?:mvn|aws|cosign) .*");

  private LogLine() {}

  /**
   * The message with every full digest shortened, except on the first line of a goal's summary ({@code imagegate:<goal> …},
   * which scripts read): the lines after it are for people.
   */
  public static String shortDigests(String message) {
    if (!message.startsWith("imagegate:")) {
      return shortAllDigests(message);
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl) + shortAllDigests(message.substring(nl));
  }

  /** The message with every full digest shortened (a warning is never a summary line). */
  public static String shortAllDigests(String message) {
    return DIGEST.matcher(message).replaceAll("sha256:$1…");
  }

  /**
   * The width the rule counts for one printed line: identifiers as {@link #IDENTIFIER}, every other character as one; an
   * indented command to copy ({@code mvn …}, {@code aws …}, {@code cosign …}) is one identifier after its indent.
   */
  public static int width(String line) {
    Matcher command = COMMAND.matcher(line);
    if (command.matches()) {
      return command.end(1) + IDENTIFIER;
    }
    int width = 0;
    String[] words = line.split(" ", -1);
    for (String w : words) {
      width += identifier(w) ? Math.min(w.length(), IDENTIFIER) : w.length();
    }
    return width + words.length - 1;
  }

  private static boolean identifier(String word) {
    return word.contains("/") || HEX_RUN.matcher(word).matches() || word.matches("[^:]+:[^:\\s]+:.*") || word.startsWith("arn:");
  }
}
