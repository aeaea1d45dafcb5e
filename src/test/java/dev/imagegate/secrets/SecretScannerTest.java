package dev.imagegate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SecretScannerTest {

  static final Path CORPUS = Path.of("src/test/resources/secrets/corpus");
  private final SecretScanner scanner = new SecretScanner();

  static List<SecretFinding> scanTree(SecretScanner scanner, Path root) throws IOException {
    List<SecretFinding> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = CORPUS.relativize(file).toString().replace('\\', '/');
        if (rel.equals(".secrets.baseline")) {
          continue;
        }
        all.addAll(scanner.scan(rel, Files.readAllBytes(file)));
      }
    }
    return all;
  }

  static Set<String> expected() throws IOException {
    return Files.readAllLines(Path.of("src/test/resources/secrets/expected.tsv")).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("\t"))
        .map(p -> p[0] + ":" + p[1] + ": " + p[2])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void findsEverySecretOfTheCorpusAndNothingElse() throws IOException {
    Set<String> found =
        scanTree(scanner, CORPUS.resolve("secrets")).stream()
            .map(SecretFinding::location)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = expected();
    Set<String> missed = new TreeSet<>(expected);
    missed.removeAll(found);
    Set<String> extra = new TreeSet<>(found);
    extra.removeAll(expected);
    assertEquals(Set.of(), missed, "secrets not found");
    assertEquals(Set.of(), extra, "reported but not expected");
    assertTrue(expected.size() >= 30);
    // every type is represented
    assertEquals(
        Set.of(SecretType.values()),
        scanTree(scanner, CORPUS.resolve("secrets")).stream().map(SecretFinding::type).collect(Collectors.toSet()));
  }

  @Test
  void reportsNoTrap() throws IOException {
    List<SecretFinding> traps = scanTree(scanner, CORPUS.resolve("traps"));
    assertEquals(List.of(), traps.stream().map(SecretFinding::location).toList());
    try (Stream<Path> files = Files.walk(CORPUS.resolve("traps"))) {
      assertTrue(files.filter(Files::isRegularFile).count() >= 15);
    }
  }

  @Test
  void hashesTheSecretWithSha1AndNeverShowsIt() {
    String key = "AKIAZ3MH7QKPC2WX4RTB";
    List<SecretFinding> findings = scanner.scan("a/b.txt", ("x\nid = " + key + "\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, findings.size());
    SecretFinding f = findings.get(0);
    assertEquals("a/b.txt", f.path());
    assertEquals(2, f.line());
    assertEquals(SecretType.AWS_ACCESS_KEY, f.type());
    assertEquals(SecretScanner.sha1(key), f.hashedSecret());
    assertEquals("1b7cc1f0a5ab1c6f3a7cb4c0a1fd0dd5d2a1bb39".length(), f.hashedSecret().length());
    assertFalse(f.toString().contains(key));
    assertEquals("a/b.txt:2: AWS Access Key", f.toString());
  }

  @Test
  void sha1MatchesAKnownVector() {
    // sha1("abc") from FIPS 180-2
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", SecretScanner.sha1("abc"));
  }

  @Test
  void skipsBinaryAndOversizedContent() throws IOException {
    byte[] withKey = "token AKIAZ3MH7QKPC2WX4RTB\n".getBytes(StandardCharsets.US_ASCII);
    // a NUL before and after the text (a NUL prefix alone is padding before text, read: SecretEncodingsTest)
    byte[] binary = new byte[withKey.length + 2];
    System.arraycopy(withKey, 0, binary, 1, withKey.length);
    assertEquals(Optional.of(SecretScanner.Skip.BINARY), scanner.skipReason(binary, binary.length));
    assertEquals(List.of(), scanner.scan("x.bin", binary));

    SecretScanner small = new SecretScanner(10);
    assertEquals(Optional.of(SecretScanner.Skip.TOO_LARGE), small.skipReason(withKey, withKey.length));
    assertEquals(List.of(), small.scan("x.txt", new ByteArrayInputStream(withKey)));
    assertEquals(1, scanner.scan("x.txt", new ByteArrayInputStream(withKey)).size());
  }

  @Test
  void honoursInlineAllowlistPragmas() {
    String key = "AKIAZ3MH7QKPC2WX4RTB";
    assertEquals(0, scanner.scan("a.py", ("k = '" + key + "'  # pragma: allowlist secret\n").getBytes()).size());
    assertEquals(0, scanner.scan("a.js", ("// pragma: allowlist nextline secret\nk = '" + key + "'\n").getBytes()).size());
    assertEquals(0, scanner.scan("a.xml", ("<k>" + key + "</k> <!-- pragma: allowlist secret -->\n").getBytes()).size());
    // a nextline pragma after code does not count (it would hide what it allows), as in detect-secrets
    assertEquals(
        1, scanner.scan("a.py", ("x = 1  # pragma: allowlist nextline secret\nk = '" + key + "'\n").getBytes()).size());
    // the pragma must be in a comment
    assertEquals(1, scanner.scan("a.txt", ("k = " + key + " pragma: allowlist secret\n").getBytes()).size());
  }

  @Test
  void lineNumbersFollowCrLfAndLf() {
    String text = "a\r\nb\r\n\r\npassword = \"Vt8#mQ2!pLx9\"\r\n";
    List<SecretFinding> f = scanner.scan("w.ini", text.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("w.ini:4: Secret Keyword"), f.stream().map(SecretFinding::location).toList());
  }

  @Test
  void jwtNeedsJsonHeaderAndPayload() {
    assertTrue(Rules.isFormallyValidJwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0."));
    assertFalse(Rules.isFormallyValidJwt("eyJub3QganNvbiBhdCBhbGw.eyJhbHNvIG5vdA."));
  }
}
