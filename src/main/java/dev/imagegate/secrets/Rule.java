package dev.imagegate.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * One secret detector as data, after Trivy's built-in secret rules ({@code pkg/fanal/secret/builtin-rules.go}: id,
 * keywords, regex, secret group) and Yelp detect-secrets' plugins (a type, a pattern, entropy limits). {@link Rules}
 * holds the table; {@link SecretScanner} runs it with one loop.
 *
 * <p>Two kinds of rule, told by {@link #target()}:
 *
 * <ul>
 *   <li>{@link Target#TEXT}: {@link #pattern()} is searched in the whole text, but only when one of the
 *       {@link #keywords()} occurs in it (case-insensitive; the prefilter Trivy runs before its regexes). Fixed-shape
 *       tokens: AWS key ids, private keys, GitHub, Slack and Stripe tokens, JWTs, passwords in URLs.
 *   <li>{@link Target#ASSIGNED_VALUE}: the value assigned to a secret-sounding name ({@code password = …},
 *       {@code <token>…</token>}) is found right after each occurrence of a keyword, and the rule applies when the value
 *       was found after one of {@link #keywords()}; {@link #pattern()} must then match the whole value. For one value
 *       the first such rule of the table that accepts it wins.
 * </ul>
 *
 * @param id a stable name, as Trivy's rule ids ({@code aws-access-key-id})
 * @param type what a match is reported as
 * @param target where the pattern is applied
 * @param keywords lower-case words: the rule runs only where one occurs
 * @param pattern the detector's regular expression
 * @param group the capturing group whose text is the secret (hashed into the finding); 0 for the whole match
 * @param follow what must come after a match for it to count (a private key's BEGIN line needs key material)
 * @param entropy the least Shannon entropy (bits per character) of the secret, 0 for none
 * @param check what else the match must satisfy (not a placeholder, a well-formed JWT…)
 * @param lockFiles whether the rule also runs on lock files ({@code package-lock.json}, {@code go.sum}…), full of
 *     integrity hashes
 */
record Rule(
    String id,
    SecretType type,
    Target target,
    List<String> keywords,
    Pattern pattern,
    int group,
    Optional<Follow> follow,
    double entropy,
    Predicate<MatchResult> check,
    boolean lockFiles) {

  /** Where a rule's pattern is applied. */
  enum Target {
    /** searched in the whole text */
    TEXT,
    /** matched against the value assigned to one of the rule's keywords */
    ASSIGNED_VALUE
  }

  /**
   * What must follow a match, looked for from its end: {@link #pattern()} must match there (anchored) within
   * {@link #window()} characters; the finding then spans the match and what follows.
   */
  record Follow(Pattern pattern, int window) {}

  Rule {
    keywords = List.copyOf(keywords);
    for (String k : keywords) {
      if (!k.equals(k.toLowerCase(Locale.ROOT)) || k.isEmpty()) {
        throw new IllegalArgumentException(id + ": keywords are lower case: " + k);
      }
    }
    if (keywords.isEmpty()) {
      throw new IllegalArgumentException(id + ": a rule needs at least one keyword");
    }
  }

  /** A rule searched in the text. */
  static Rule text(String id, SecretType type, List<String> keywords, Pattern pattern, int group, Predicate<MatchResult> check) {
    return new Rule(id, type, Target.TEXT, keywords, pattern, group, Optional.empty(), 0, check, true);
  }

  /** A rule matched against values assigned to its keywords. */
  static Rule value(String id, SecretType type, List<String> keywords, Pattern pattern, double entropy, Predicate<MatchResult> check) {
    return new Rule(id, type, Target.ASSIGNED_VALUE, keywords, pattern, 0, Optional.empty(), entropy, check, false);
  }

  Rule followedBy(Pattern follows, int window) {
    return new Rule(id, type, target, keywords, pattern, group, Optional.of(new Follow(follows, window)), entropy, check, lockFiles);
  }

  Rule notOnLockFiles() {
    return new Rule(id, type, target, keywords, pattern, group, follow, entropy, check, false);
  }

  Rule withEntropy(double bits) {
    return new Rule(id, type, target, keywords, pattern, group, follow, bits, check, lockFiles);
  }

  /** Whether a match's secret passes the entropy limit and the check. */
  boolean accepts(MatchResult match) {
    return (entropy <= 0 || FalsePositives.entropy(match.group(group)) >= entropy) && check.test(match);
  }
}
