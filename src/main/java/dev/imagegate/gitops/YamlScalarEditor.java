package dev.imagegate.gitops;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.tokens.ScalarToken;
import org.snakeyaml.engine.v2.tokens.Token;

/**
 * Changes scalar values in a YAML file and nothing else: comments, key order, indentation, quoting style, blank
 * lines, line endings (LF or CRLF), anchors and the other documents of the file stay byte-identical.
 *
 * <p>How: snakeyaml-engine composes the node tree (every document), which locates the addressed scalar; its
 * scanner gives that scalar's exact source span (the node's own start mark would include an {@code &anchor} or
 * {@code !tag} in front of it); only the bytes of that span are replaced, rendered in the scalar's original style
 * (plain, 'single' or "double" quoted). The result is parsed again and compared with the original tree: anything
 * but the intended values differing is refused, so a bad splice can never be written.
 *
 * <p>Why hand-written: the YAML libraries on the JVM (snakeyaml, snakeyaml-engine, Jackson's YAML module) round-trip
 * through a node tree or events and re-emit the whole document, which loses comment placement, blank lines, quoting,
 * flow style and CRLF; none offers a "replace this one scalar in the source" operation. A splice guided by the
 * parser's source marks is the smallest correct tool, and unlike {@code sed} it can tell {@code image.tag} from a
 * {@code tag:} key elsewhere in the file.
 */
public final class YamlScalarEditor {

  /** One value to write: the path to a scalar and its new value. */
  public record Edit(YamlPath path, String value) {
    public Edit {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A change made (or, with equal values, found already made).
   *
   * @param path the path edited
   * @param document the document index in the file (0-based)
   * @param line the 1-based line of the scalar
   * @param oldValue the value before, null if the key was created
   * @param newValue the value after
   */
  public record Change(String path, int document, int line, String oldValue, String newValue) {
    public boolean changed() {
      return !newValue.equals(oldValue);
    }
  }

  /** The edited bytes and what changed; {@link #changed()} is false when every value was already there. */
  public record Result(byte[] content, List<Change> changes) {
    public Result {
      changes = List.copyOf(changes);
    }

    public boolean changed() {
      return changes.stream().anyMatch(Change::changed);
    }
  }

  private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9_./@+~-][A-Za-z0-9_./@:+~=-]*");
  /** Plain scalars the YAML 1.2 core schema would read as something other than a string. */
  private static final Pattern NON_STRING =
      Pattern.compile(
          "(?i:null|~|true|false|yes|no|on|off|y|n)|[-+]?(\\.\\d+|\\d+(\\.\\d*)?)([eE][-+]?\\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private final String fileName;
  private final boolean createMissing;

  /**
   * @param fileName the file's name, for messages
   * @param createMissing create a missing last key (its parent mapping must exist) instead of failing
   */
  public YamlScalarEditor(String fileName, boolean createMissing) {
    this.fileName = Objects.requireNonNull(fileName, "fileName");
    this.createMissing = createMissing;
  }

  /** Applies the edits to every document of the file that has the path; a path in no document is an error. */
  public Result apply(byte[] content, List<Edit> edits) throws GitopsException {
    String text = decode(content);
    List<Node> documents = compose(text);
    Map<Integer, ScalarToken> tokensByEnd = null; // scanned on first need, only as far as needed
    String lineBreak = text.contains("\r\n") ? "\r\n" : "\n";

    List<Splice> splices = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    Map<ScalarNode, String> expected = new IdentityHashMap<>();
    Map<Integer, String> created = new HashMap<>(); // document -> path text, for the re-parse check
    for (Edit edit : edits) {
      boolean found = false;
      for (int d = 0; d < documents.size(); d++) {
        Located hit = locate(documents.get(d), edit.path());
        if (hit == null) {
          continue;
        }
        found = true;
        ScalarNode scalar = hit.scalar();
        int line = mark(scalar.getStartMark()).getLine() + 1;
        if (hit.viaAlias()) {
          throw new GitopsException(
              edit.path() + " in " + fileName + " (document " + (d + 1) + ") is an alias (*name) of a value defined at line "
                  + line + "; changing it would change every other use of that anchor.",
              "Point the path at the anchored value itself (the key that carries &name), or replace the alias by a value.");
        }
        changes.add(new Change(edit.path().toString(), d, line, scalar.getValue(), edit.value()));
        expected.put(scalar, edit.value());
        if (scalar.getValue().equals(edit.value())) {
          continue;
        }
        int end = mark(scalar.getEndMark()).getIndex();
        if (tokensByEnd == null || !tokensByEnd.containsKey(end)) {
          tokensByEnd = scalarTokens(text, maxEnd(documents, edits));
        }
        ScalarToken token = tokensByEnd.get(end);
        if (token == null) {
          throw new GitopsException(
              "Cannot find the source of " + edit.path() + " in " + fileName + " at line " + line + ".",
              "Report this as a bug with the file attached; meanwhile edit the file by hand.");
        }
        int start = mark(token.getStartMark()).getIndex();
        splices.add(new Splice(start, end, render(edit, token.getStyle(), line)));
      }
      if (!found) {
        Splice creation = createMissing ? creation(documents, edit, lineBreak, changes, created) : null;
        if (creation == null) {
          throw new GitopsException(
              "The path " + edit.path() + " is not in " + fileName + " (" + documents.size() + " document"
                  + (documents.size() == 1 ? "" : "s") + ").",
              "Check the path (keys separated by dots, e.g. image.tag) against the file, or let the goal create the last key"
                  + " with -Dimagegate.gitops.createMissing=true.");
        }
        splices.add(creation);
      }
    }
    if (splices.isEmpty()) {
      return new Result(content, changes);
    }
    byte[] out = splice(text, splices);
    verify(documents, expected, decode(out), edits, created.isEmpty());
    return new Result(out, changes);
  }

  // ---------------------------------------------------------------------------------------------------- parsing

  private String decode(byte[] content) throws GitopsException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new GitopsException(
          fileName + " is not UTF-8.", "Values files must be UTF-8 (as YAML 1.2 requires); convert it with iconv.", e);
    }
  }

  private static LoadSettings settings() {
    return LoadSettings.builder().setUseMarks(true).setAllowDuplicateKeys(false).setLabel("values").build();
  }

  private List<Node> compose(String text) throws GitopsException {
    LoadSettings settings = settings();
    List<Node> documents = new ArrayList<>();
    try {
      Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      while (composer.hasNext()) {
        documents.add(composer.next());
      }
    } catch (YamlEngineException e) {
      throw new GitopsException(
          fileName + " is not valid YAML: " + e.getMessage(), "Fix the file in the GitOps repository (yamllint helps).", e);
    }
    return documents;
  }

  /** Every scalar token of the stream, by the code-point index where it ends (which is where its node ends). */
  private static Map<Integer, ScalarToken> scalarTokens(String text, int upTo) {
    LoadSettings settings = settings();
    ScannerImpl scanner = new ScannerImpl(settings, new StreamReader(settings, text));
    Map<Integer, ScalarToken> byEnd = new HashMap<>();
    while (scanner.hasNext()) {
      Token token = scanner.next();
      if (token instanceof ScalarToken scalar) {
        int end = mark(scalar.getEndMark()).getIndex();
        byEnd.put(end, scalar);
        if (end >= upTo) {
          break; // every scalar to edit ends at or before upTo
        }
      }
    }
    return byEnd;
  }

  /** The last end index of any scalar addressed by the edits (so the scan can stop there). */
  private int maxEnd(List<Node> documents, List<Edit> edits) throws GitopsException {
    int max = 0;
    for (Edit edit : edits) {
      for (Node doc : documents) {
        Located hit = locate(doc, edit.path());
        if (hit != null) {
          max = Math.max(max, mark(hit.scalar().getEndMark()).getIndex());
        }
      }
    }
    return max;
  }

  private static Mark mark(java.util.Optional<Mark> mark) {
    return mark.orElseThrow(() -> new IllegalStateException("snakeyaml-engine gave no source mark"));
  }

  private record Located(ScalarNode scalar, boolean viaAlias) {}

  /** The scalar at the path, or null if the document does not have it. */
  private Located locate(Node root, YamlPath path) throws GitopsException {
    Node node = root;
    boolean viaAlias = false;
    int afterIndex = -1; // where the previous key ended: a value that starts before it was reached through an alias
    for (String segment : path.segments()) {
      Step step = child(node, segment, path);
      if (step == null) {
        return null;
      }
      Node next = step.value();
      if (step.key() != null) {
        afterIndex = mark(step.key().getEndMark()).getIndex();
      }
      if (afterIndex >= 0 && mark(next.getStartMark()).getIndex() < afterIndex) {
        viaAlias = true;
      }
      node = next;
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw new GitopsException(
          "The path " + path + " in " + fileName + " (line " + (mark(node.getStartMark()).getLine() + 1)
              + ") is a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not a single value.",
          "Point the path at the value itself, e.g. image.tag rather than image.");
    }
    return new Located(scalar, viaAlias);
  }

  // ---------------------------------------------------------------------------------------------------- rendering

  private String render(Edit edit, ScalarStyle style, int line) throws GitopsException {
    String v = edit.value();
    switch (style) {
      case PLAIN:
        return plainSafe(v) ? v : doubleQuoted(v);
      case SINGLE_QUOTED:
        return singleQuotable(v) ? "'" + v.replace("'", "''") + "'" : doubleQuoted(v);
      case DOUBLE_QUOTED:
        return doubleQuoted(v);
      default:
        throw new GitopsException(
            edit.path() + " in " + fileName + " (line " + line + ") is a " + style.name().toLowerCase(java.util.Locale.ROOT)
                + " block scalar (| or >); an image tag does not belong in one.",
            "Write the value on the key's line (tag: sha-…), then run the goal again.");
    }
  }

  private static boolean plainSafe(String v) {
    return PLAIN_SAFE.matcher(v).matches() && !v.endsWith(":") && !NON_STRING.matcher(v).matches();
  }

  private static boolean singleQuotable(String v) {
    return v.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
  }

  static String doubleQuoted(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  // ---------------------------------------------------------------------------------------------------- creating

  /**
   * Inserts {@code key: value} as the first entry of the existing block mapping that is the path's parent, at the
   * column of its first key, so indentation and everything after stay as they were.
   */
  private Splice creation(List<Node> documents, Edit edit, String lineBreak, List<Change> changes, Map<Integer, String> created)
      throws GitopsException {
    YamlPath parentPath = edit.path().parent();
    String key = edit.path().last();
    if (YamlPath.isIndex(key)) {
      return null;
    }
    for (int d = 0; d < documents.size(); d++) {
      Node parent = parentPath == null ? documents.get(d) : node(documents.get(d), parentPath);
      if (parent instanceof MappingNode map && map.getFlowStyle() == FlowStyle.BLOCK && !map.getValue().isEmpty()) {
        Node firstKey = map.getValue().get(0).getKeyNode();
        Mark at = mark(firstKey.getStartMark());
        String value = plainSafe(edit.value()) ? edit.value() : doubleQuoted(edit.value());
        String insert = (plainSafe(key) ? key : doubleQuoted(key)) + ": " + value + lineBreak + " ".repeat(at.getColumn());
        changes.add(new Change(edit.path().toString(), d, at.getLine() + 1, null, edit.value()));
        created.put(d, edit.path().toString());
        return new Splice(at.getIndex(), at.getIndex(), insert);
      }
    }
    return null;
  }

  private Node node(Node root, YamlPath path) throws GitopsException {
    Node node = root;
    for (String segment : path.segments()) {
      Step step = child(node, segment, path);
      if (step == null) {
        return null;
      }
      node = step.value();
    }
    return node;
  }

  /**
   * One step of a path: the sequence item at an index (no key) or the mapping entry with that key; null when there is
   * none. A key that appears twice is refused: YAML forbids it, parsers disagree on which one wins,
   * and the edit and its check must address the same value.
   */
  private Step child(Node node, String segment, YamlPath path) throws GitopsException {
    if (YamlPath.isIndex(segment)) {
      int i = YamlPath.index(segment);
      return node instanceof SequenceNode seq && i < seq.getValue().size() ? new Step(null, seq.getValue().get(i)) : null;
    }
    NodeTuple found = null;
    if (node instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(segment)) {
          if (found != null) {
            throw new GitopsException(
                "The key '" + segment + "' of " + path + " appears twice in one mapping of " + fileName + " (lines "
                    + (mark(found.getKeyNode().getStartMark()).getLine() + 1) + " and " + (mark(key.getStartMark()).getLine() + 1) + ").",
                "Remove the duplicate key in the GitOps repository (YAML forbids it; yamllint reports it), then run the goal again.");
          }
          found = tuple;
        }
      }
    }
    return found == null ? null : new Step(found.getKeyNode(), found.getValueNode());
  }

  /** Where one path step led: the key that named it (null for a sequence index) and its value. */
  private record Step(Node key, Node value) {}

  // ---------------------------------------------------------------------------------------------------- splicing

  /** Replace the code points [start, end) of the text by {@code replacement}. */
  private record Splice(int start, int end, String replacement) {}

  /** Splices the original bytes: everything outside the spans is copied byte for byte. */
  private byte[] splice(String text, List<Splice> splices) throws GitopsException {
    List<Splice> ordered = new ArrayList<>(splices);
    ordered.sort(Comparator.comparingInt(Splice::start));
    for (int i = 1; i < ordered.size(); i++) {
      if (ordered.get(i).start() < ordered.get(i - 1).end()
          || ordered.get(i).start() == ordered.get(i - 1).start()) {
        throw new GitopsException(
            "Two of the configured paths address the same value in " + fileName + ".",
            "Configure each value (tag, repository, digest) with its own path.");
      }
    }
    byte[] original = text.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(original.length + 64);
    int cpPos = 0; // code point position of charPos
    int charPos = 0;
    int bytePos = 0;
    for (Splice s : ordered) {
      int startChar = text.offsetByCodePoints(charPos, s.start() - cpPos);
      int startByte = bytePos + utf8Length(text, charPos, startChar);
      int endChar = text.offsetByCodePoints(startChar, s.end() - s.start());
      int endByte = startByte + utf8Length(text, startChar, endChar);
      out.write(original, bytePos, startByte - bytePos);
      out.writeBytes(s.replacement().getBytes(StandardCharsets.UTF_8));
      cpPos = s.end();
      charPos = endChar;
      bytePos = endByte;
    }
    out.write(original, bytePos, original.length - bytePos);
    return out.toByteArray();
  }

  private static int utf8Length(String text, int from, int to) {
    try {
      return StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text, from, to)).remaining();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- checking

  /**
   * Parses the result and compares it, scalar by scalar in document order, with the original where the edited
   * scalars carry their new values. With a created key the shapes differ; then only the paths are checked.
   */
  private void verify(List<Node> before, Map<ScalarNode, String> expected, String after, List<Edit> edits, boolean structural)
      throws GitopsException {
    List<Node> reparsed;
    try {
      reparsed = compose(after);
    } catch (GitopsException e) {
      throw new GitopsException(
          "Editing " + fileName + " would make it invalid YAML (" + e.getMessage() + "); nothing was written.",
          "Report this as a bug with the file attached; meanwhile edit the file by hand.",
          e);
    }
    boolean ok = reparsed.size() == before.size();
    if (ok && structural) {
      List<String> want = new ArrayList<>();
      List<String> got = new ArrayList<>();
      for (Node n : before) {
        flatten(n, expected, want, Collections.newSetFromMap(new IdentityHashMap<>()));
      }
      for (Node n : reparsed) {
        flatten(n, Map.of(), got, Collections.newSetFromMap(new IdentityHashMap<>()));
      }
      ok = want.equals(got);
    }
    if (ok) {
      for (Edit edit : edits) {
        boolean seen = false;
        for (Node doc : reparsed) {
          Node n = node(doc, edit.path());
          if (n != null) {
            seen = true;
            ok &= n instanceof ScalarNode s && s.getValue().equals(edit.value());
          }
        }
        ok &= seen;
      }
    }
    if (!ok) {
      throw new GitopsException(
          "Editing " + fileName + " would change more than the configured values; nothing was written.",
          "Report this as a bug with the file attached; meanwhile edit the file by hand.");
    }
  }

  private static void flatten(Node node, Map<ScalarNode, String> replace, List<String> out, Set<Node> seen) {
    if (node instanceof ScalarNode s) {
      out.add("s:" + replace.getOrDefault(s, s.getValue()));
    } else if (!seen.add(node)) {
      out.add("*");
    } else if (node instanceof SequenceNode seq) {
      out.add("[" + seq.getValue().size());
      seq.getValue().forEach(n -> flatten(n, replace, out, seen));
    } else if (node instanceof MappingNode map) {
      out.add("{" + map.getValue().size());
      for (NodeTuple t : map.getValue()) {
        flatten(t.getKeyNode(), replace, out, seen);
        flatten(t.getValueNode(), replace, out, seen);
      }
    }
  }
}
