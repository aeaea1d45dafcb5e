package dev.imagegate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RulesTest {

  /** Where each keyword occurs in a text of one char per byte, as the scanner searches its bytes. */
  private static KeywordIndex.Hits find(KeywordIndex index, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return index.find(bytes, 0, bytes.length);
  }


  @Test
  void everyTypeHasARuleAndIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    Set<SecretType> types = EnumSet.noneOf(SecretType.class);
    for (Rule r : Rules.ALL) {
      assertTrue(ids.add(r.id()), "duplicate id " + r.id());
      types.add(r.type());
    }
    assertEquals(EnumSet.allOf(SecretType.class), types);
  }

  @Test
  void ruleKeywordsAreLowerCase() {
    Rule bad = Rules.ALL.get(0);
    try {
      new Rule("x", bad.type(), bad.target(), List.of("AKIA"), bad.pattern(), 0, bad.follow(), 0, m -> true, true);
      throw new AssertionError("upper-case keyword accepted");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("lower case"));
    }
  }

  /** The one-pass index finds exactly what lower-casing the text and indexOf for every keyword finds. */
  @Test
  void keywordIndexFindsWhatIndexOfFinds() throws IOException {
    List<String> keywords = Rules.keywords();
    KeywordIndex index = new KeywordIndex(keywords);
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SecretScannerTest.CORPUS)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    Random random = new Random(17);
    // with the bytes the index's case folding puts together with a keyword's (DEL with '_', '@' with '`', '[' with
    // '{', 0xC1 with 0xE1): they must reach the exact comparison and fail there
    String alphabet = "aAkKiIsSpPwWdDoO_-:/ .eEyYjJxXgGhHrRtT3\n<>=\u007f@`[{\u00c1\u00e1";
    for (int t = 0; t < 300; t++) {
      texts.add(randomText(random, keywords, alphabet, 400, 8));
    }
    texts.add("");
    texts.add("a");
    int found = 0;
    for (String text : texts) {
      found += assertFindsWhatIndexOfFinds(keywords, find(index, text), text, "");
    }
    assertTrue(found > 1000);
    assertTrue(find(index, "nothing to see here").none());
    assertFalse(find(index, "my PASSWORD is").none());
    assertTrue(find(index, "ghp\u007f github\u007fpat\u007f api\u007fkey pas").none(), "folded alike, but no keyword");
    assertTrue(find(index, "").none());
    assertTrue(find(index, "pw").none());
    assertFalse(find(index, "PwD").none());
  }

  /** A range of a byte array is searched as the text it holds: positions from its start, nothing outside it. */
  @Test
  void keywordIndexSearchesARangeOfBytes() {
    List<String> keywords = Rules.keywords();
    KeywordIndex index = new KeywordIndex(keywords);
    Random random = new Random(29);
    String alphabet = "aAsSpPwWdDoOtTkKeEnN_-:/ \n=";
    for (int t = 0; t < 500; t++) {
      String text = randomText(random, keywords, alphabet, 120, 6);
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      int to = from + random.nextInt(bytes.length - from + 1);
      assertFindsWhatIndexOfFinds(keywords, index.find(bytes, from, to), text.substring(from, to), " in [" + from + ", " + to + ") of " + text);
    }
  }

  /** Up to {@code length} pieces: a keyword one time in {@code keywordEvery}, else a char of the alphabet. */
  private static String randomText(Random random, List<String> keywords, String alphabet, int length, int keywordEvery) {
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(length); i > 0; i--) {
      b.append(random.nextInt(keywordEvery) == 0 ? keywords.get(random.nextInt(keywords.size())) : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** The hits are where lower-casing the text and indexOf find each keyword; returns how many there are. */
  private static int assertFindsWhatIndexOfFinds(List<String> keywords, KeywordIndex.Hits hits, String text, String where) {
    String lower = text.toLowerCase(Locale.ROOT);
    int found = 0;
    for (int k = 0; k < keywords.size(); k++) {
      List<Integer> expected = new ArrayList<>();
      for (int at = lower.indexOf(keywords.get(k)); at >= 0; at = lower.indexOf(keywords.get(k), at + 1)) {
        expected.add(at);
      }
      List<Integer> actual = new ArrayList<>();
      for (int at : hits.positions(k)) {
        actual.add(at);
      }
      assertEquals(expected, actual, "keyword " + keywords.get(k) + where);
      assertEquals(!expected.isEmpty(), hits.contains(k));
      found += expected.size();
    }
    return found;
  }

  @Test
  void keywordsHaveThreeCharsAtLeast() {
    try {
      new KeywordIndex(List.of("password", "pw"));
      throw new AssertionError("a two-char keyword accepted");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("three chars"));
    }
  }
}
