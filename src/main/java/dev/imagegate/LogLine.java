package dev.imagegate;

import java.util.regex.Pattern;

/**
 * What a human log line may be: at most {@link #WIDTH} characters of prose. Identifiers a user copies whole (full
 * digests, commit hashes, paths, URLs, image references, ARNs: any word with a '/', a ':' followed by more text, or a
 * run of 40 or more hex digits) count as {@link #IDENTIFIER} characters, the width of a short digest; they are never
 * cut. Digests in lines other than a goal's summary line ({@code imagegate:<goal> …}, which scripts read) are shortened
 * to {@code sha256:<12 hex>…}: the full one is in the goal's handover file.
 */
public final class LogLine {
  /** The most characters of a line, the level prefix ({@code [INFO] }) included. */
  public static final int WIDTH = 120;
  /** How many characters an identifier counts for. */
  public static final int IDENTIFIER = 12;

  private static final Pattern DIGEST = Pattern.compile("sha256:([0-9a-f]{12})[0-9a-f]{52}");
  private static final Pattern HEX_RUN = Pattern.compile(".*[0-9a-f]{40}.*");

  private LogLine() {}

  /** The message with every full digest shortened, unless it is a goal's summary line. */
  public static String shortDigests(String message) {
    return message.startsWith("imagegate:") ? message : DIGEST.matcher(message).replaceAll("sha256:$1…");
  }

  /** The width the rule counts for one printed line: identifiers as {@link #IDENTIFIER}, every other character as one. */
  public static int width(String line) {
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
