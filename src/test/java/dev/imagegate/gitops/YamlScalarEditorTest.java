package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixtures: input bytes, edits, expected output bytes (every byte outside the edited values must survive). */
class YamlScalarEditorTest {
  private static final String OLD = "sha-1111111111111111111111111111111111111111";
  private static final String NEW = "sha-2222222222222222222222222222222222222222";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static String edit(String yaml, String path, String value) throws GitopsException {
    return edit(yaml, List.of(new YamlScalarEditor.Edit(YamlPath.parse(path), value)), false);
  }

  private static String edit(String yaml, List<YamlScalarEditor.Edit> edits, boolean create) throws GitopsException {
    YamlScalarEditor.Result r = new YamlScalarEditor("values.yaml", create).apply(yaml.getBytes(StandardCharsets.UTF_8), edits);
    return new String(r.content(), StandardCharsets.UTF_8);
  }

  @Test
  void commentsUnquotedTagAndDecoyTagKey() throws Exception {
    String in = """
        # values for dev
        replicaCount: 2

        image:
          repository: 123.dkr.ecr.us-west-2.amazonaws.com/myapp   # the app
          # the tag is written by CI
          tag: %s   # do not edit by hand
          pullPolicy: IfNotPresent

        sidecar:
          image:
            tag: %s
        tag: %s
        """.formatted(OLD, OLD, OLD);
    String want = in.replaceFirst("tag: " + OLD + "   #", "tag: " + NEW + "   #");
    assertEquals(want, edit(in, "image.tag", NEW));
    // sed would have rewritten all three
    assertEquals(3, in.split("tag: " + OLD, -1).length - 1);
    assertEquals(2, want.split("tag: " + OLD, -1).length - 1);
  }

  @Test
  void quotingStyleIsKept() throws Exception {
    String in = "a:\n  tag: \"" + OLD + "\"\nb:\n  tag: '" + OLD + "'\nc:\n  tag: " + OLD + "\n";
    String want = "a:\n  tag: \"" + NEW + "\"\nb:\n  tag: '" + OLD + "'\nc:\n  tag: " + OLD + "\n";
    assertEquals(want, edit(in, "a.tag", NEW));
    assertEquals("a:\n  tag: \"" + OLD + "\"\nb:\n  tag: '" + NEW + "'\nc:\n  tag: " + OLD + "\n", edit(in, "b.tag", NEW));
  }

  @Test
  void flowMappingAndDigestWithColon() throws Exception {
    String in = "image: {repository: r/myapp, tag: " + OLD + ", digest: \"\"}   # flow\nother: {tag: " + OLD + "}\n";
    String want = "image: {repository: r/myapp, tag: " + NEW + ", digest: \"" + DIGEST + "\"}   # flow\nother: {tag: " + OLD + "}\n";
    List<YamlScalarEditor.Edit> edits =
        List.of(
            new YamlScalarEditor.Edit(YamlPath.parse("image.tag"), NEW),
            new YamlScalarEditor.Edit(YamlPath.parse("image.digest"), DIGEST));
    assertEquals(want, edit(in, edits, false));
  }

  @Test
  void plainDigestInFlowMappingStaysPlain() throws Exception {
    String in = "image: {digest: sha256:00, tag: x}\n";
    assertEquals("image: {digest: " + DIGEST + ", tag: x}\n", edit(in, "image.digest", DIGEST));
  }

  @Test
  void multipleDocumentsEachWithThePath() throws Exception {
    String in = "---\n# doc one\nimage:\n  tag: " + OLD + "\n---\nkind: Other\nspec: {x: 1}\n---\nimage:\n  tag: '" + OLD + "'\n...\n";
    String want = "---\n# doc one\nimage:\n  tag: " + NEW + "\n---\nkind: Other\nspec: {x: 1}\n---\nimage:\n  tag: '" + NEW + "'\n...\n";
    YamlScalarEditor.Result r =
        new YamlScalarEditor("v.yaml", false)
            .apply(in.getBytes(StandardCharsets.UTF_8), List.of(new YamlScalarEditor.Edit(YamlPath.parse("image.tag"), NEW)));
    assertEquals(want, new String(r.content(), StandardCharsets.UTF_8));
    assertEquals(2, r.changes().size());
    assertEquals(0, r.changes().get(0).document());
    assertEquals(2, r.changes().get(1).document());
    assertEquals(10, r.changes().get(1).line());
  }

  @Test
  void anchoredValueIsEditedInPlaceAndItsAliasesFollow() throws Exception {
    String in = "image:\n  tag: &tag " + OLD + "\nmigrations:\n  tag: *tag\nworker: &w\n  tag: " + OLD + "\n";
    String want = "image:\n  tag: &tag " + NEW + "\nmigrations:\n  tag: *tag\nworker: &w\n  tag: " + OLD + "\n";
    assertEquals(want, edit(in, "image.tag", NEW));
  }

  @Test
  void pathThroughAnAliasIsRefused() {
    String in = "base: &b\n  tag: " + OLD + "\nimage: *b\n";
    GitopsException e = assertThrows(GitopsException.class, () -> edit(in, "image.tag", NEW));
    assertTrue(e.getMessage().contains("alias"), e.getMessage());
  }

  @Test
  void crlfLineEndingsAndTagOnAnchoredMapping() throws Exception {
    String in = "# crlf file\r\nimage: &img\r\n  repository: \"r/app\"\r\n  tag: " + OLD + "\r\n\r\nother:\r\n  tag: " + OLD + "\r\n";
    String want = "# crlf file\r\nimage: &img\r\n  repository: \"r/app2\"\r\n  tag: " + NEW + "\r\n\r\nother:\r\n  tag: " + OLD + "\r\n";
    List<YamlScalarEditor.Edit> edits =
        List.of(
            new YamlScalarEditor.Edit(YamlPath.parse("image.tag"), NEW),
            new YamlScalarEditor.Edit(YamlPath.parse("image.repository"), "r/app2"));
    assertEquals(want, edit(in, edits, false));
  }

  @Test
  void nonAsciiBeforeTheValueKeepsByteOffsetsRight() throws Exception {
    String in = "# café ☕ 𝄞 values\nimage:\n  tag: " + OLD + "  # über\n";
    assertEquals("# café ☕ 𝄞 values\nimage:\n  tag: " + NEW + "  # über\n", edit(in, "image.tag", NEW));
  }

  @Test
  void sameValueIsANoOpWithTheSameBytes() throws Exception {
    byte[] in = ("image:\n  tag: " + NEW + "\n").getBytes(StandardCharsets.UTF_8);
    YamlScalarEditor.Result r =
        new YamlScalarEditor("v", false).apply(in, List.of(new YamlScalarEditor.Edit(YamlPath.parse("image.tag"), NEW)));
    assertFalse(r.changed());
    assertSame(in, r.content());
  }

  @Test
  void missingPathFailsUnlessCreationIsAsked() throws Exception {
    String in = "image:\n    repository: r/app  # four spaces\n    pullPolicy: Always\n";
    GitopsException e = assertThrows(GitopsException.class, () -> edit(in, "image.tag", NEW));
    assertTrue(e.getMessage().contains("image.tag"), e.getMessage());
    assertTrue(e.suggestion().contains("createMissing"), e.suggestion());
    String want = "image:\n    tag: " + NEW + "\n    repository: r/app  # four spaces\n    pullPolicy: Always\n";
    assertEquals(want, edit(in, List.of(new YamlScalarEditor.Edit(YamlPath.parse("image.tag"), NEW)), true));
  }

  @Test
  void valuesThatWouldChangeTypeOrSyntaxAreQuoted() throws Exception {
    assertEquals("image:\n  tag: \"1.10\"\n", edit("image:\n  tag: v1\n", "image.tag", "1.10"));
    assertEquals("image:\n  tag: \"a: b\"\n", edit("image:\n  tag: v1\n", "image.tag", "a: b"));
    assertEquals("image:\n  tag: 'it''s'\n", edit("image:\n  tag: 'v1'\n", "image.tag", "it's"));
  }

  @Test
  void aMappingAtThePathIsRefused() {
    GitopsException e = assertThrows(GitopsException.class, () -> edit("image:\n  tag: x\n", "image", NEW));
    assertTrue(e.getMessage().contains("not a single value"), e.getMessage());
  }

  @Test
  void sequenceIndexes() throws Exception {
    String in = "containers:\n  - name: a\n    tag: " + OLD + "\n  - name: b\n    tag: " + OLD + "\n";
    String want = "containers:\n  - name: a\n    tag: " + OLD + "\n  - name: b\n    tag: " + NEW + "\n";
    assertEquals(want, edit(in, "containers[1].tag", NEW));
  }

  @Test
  void invalidYamlFailsClearly() {
    GitopsException e = assertThrows(GitopsException.class, () -> edit("image: [unclosed\n", "image.tag", NEW));
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void bytesOutsideTheValueAreIdentical() throws Exception {
    byte[] in = ("\uFEFFimage:\r\n\ttag_comment: 1 # tab in comment\r\n  tag:   " + OLD + "\t\r\n").replace("\ttag_comment", "  tag_comment").getBytes(StandardCharsets.UTF_8);
    byte[] out =
        new YamlScalarEditor("v", false).apply(in, List.of(new YamlScalarEditor.Edit(YamlPath.parse("image.tag"), NEW))).content();
    byte[] want = new String(in, StandardCharsets.UTF_8).replace(OLD, NEW).getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(want, out);
  }

  @Test
  void pathParsing() {
    assertEquals(List.of("a", "b.c", "[2]", "d"), YamlPath.parse("a.b\\.c[2].d").segments());
    assertEquals("a.b\\.c[2].d", YamlPath.parse("a.b\\.c[2].d").toString());
    assertThrows(IllegalArgumentException.class, () -> YamlPath.parse("a..b"));
    assertThrows(IllegalArgumentException.class, () -> YamlPath.parse("a[x]"));
  }

  @Test
  void aDuplicateKeyOnThePathIsRefusedNotGuessed() {
    String in = "image:\n  tag: sha-old\n  repository: r/app\n  tag: sha-other\n";
    GitopsException e = assertThrows(GitopsException.class, () -> edit(in, "image.tag", NEW));
    assertTrue(e.getMessage().contains("'tag' of image.tag appears twice"), e.getMessage());
    assertTrue(e.getMessage().contains("lines 2 and 4"), e.getMessage());
    assertTrue(e.suggestion().contains("duplicate key"), e.suggestion());
  }
}
