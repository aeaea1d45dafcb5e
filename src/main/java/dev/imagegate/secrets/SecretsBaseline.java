package dev.imagegate.secrets;

import dev.imagegate.AtomicWrite;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@code .secrets.baseline} in the format of Yelp detect-secrets (1.x): {@code version}, {@code plugins_used},
 * {@code filters_used}, {@code results} (file → list of {@code type}, {@code filename}, {@code hashed_secret},
 * {@code is_verified}, {@code line_number}, optional {@code is_secret}) and {@code generated_at}.
 *
 * <p>A finding is accepted when the baseline has an entry with the same file and {@code hashed_secret}: the hash is
 * the secret's identity, the line number moves with edits (detect-secrets compares file, hash and type; the type is
 * not compared here because both tools may name one secret differently, e.g. a hex password is "Secret Keyword" and
 * "Hex High Entropy String" to detect-secrets).
 */
public final class SecretsBaseline {

  /** The detect-secrets version whose format is written. */
  public static final String FORMAT_VERSION = "1.5.0";

  /** One accepted secret. {@code isSecret} is the audit label: empty when not audited. */
  public record Entry(String type, String filename, String hashedSecret, boolean isVerified, int lineNumber,
      Optional<Boolean> isSecret) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Entry> entries;
  private final Map<String, Entry> byKey = new HashMap<>();

  public SecretsBaseline(Collection<Entry> entries) {
    this.entries = List.copyOf(entries);
    for (Entry e : this.entries) {
      byKey.putIfAbsent(e.filename() + "\0" + e.hashedSecret(), e);
    }
  }

  public static SecretsBaseline empty() {
    return new SecretsBaseline(List.of());
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The entry that accepts this finding, if any. */
  public Optional<Entry> accepting(SecretFinding finding) {
    return Optional.ofNullable(byKey.get(finding.path() + "\0" + finding.hashedSecret()));
  }

  /**
   * Reads a baseline written by detect-secrets or by {@link #write}.
   *
   * @throws SecretsException if the file is not JSON or has no {@code results} object
   */
  public static SecretsBaseline read(Path file) throws SecretsException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new SecretsException(
          "The secrets baseline " + file + " is not readable JSON: " + e.getMessage(),
          "Fix or delete it and write a new one with mvn imagegate:secrets-baseline"
              + " (or detect-secrets scan > .secrets.baseline).",
          e);
    }
    JsonNode results = root == null ? null : root.get("results");
    if (results == null || !results.isObject()) {
      throw new SecretsException(
          "The secrets baseline " + file + " has no \"results\" object: it is not a detect-secrets baseline.",
          "Write a new one with mvn imagegate:secrets-baseline, or point imagegate.secrets.baseline at the right file.",
          (Throwable) null);
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file1 = it.next();
      for (JsonNode e : file1.getValue()) {
        String filename = e.hasNonNull("filename") ? e.get("filename").asText() : file1.getKey();
        JsonNode hash = e.get("hashed_secret");
        if (hash == null || !hash.isTextual()) {
          continue;
        }
        entries.add(
            new Entry(
                e.path("type").asText(""),
                normalise(filename),
                hash.asText().toLowerCase(java.util.Locale.ROOT),
                e.path("is_verified").asBoolean(false),
                e.path("line_number").asInt(0),
                e.hasNonNull("is_secret") ? Optional.of(e.get("is_secret").asBoolean()) : Optional.empty()));
      }
    }
    return new SecretsBaseline(entries);
  }

  private static String normalise(String filename) {
    String f = filename.replace('\\', '/');
    return f.startsWith("./") ? f.substring(2) : f;
  }

  /**
   * The baseline for a new scan: every finding, keeping the audit labels ({@code is_secret}, {@code is_verified}) of
   * the entries of {@code previous} that still match; entries whose secret is gone are dropped, as detect-secrets does.
   */
  public static SecretsBaseline of(List<SecretFinding> findings, SecretsBaseline previous) {
    List<Entry> entries = new ArrayList<>();
    for (SecretFinding f : findings) {
      Optional<Entry> old = previous.accepting(f);
      entries.add(
          new Entry(
              f.type().label(),
              f.path(),
              f.hashedSecret(),
              old.map(Entry::isVerified).orElse(false),
              f.line(),
              old.flatMap(Entry::isSecret)));
    }
    return new SecretsBaseline(entries);
  }

  /** Writes the baseline atomically, in detect-secrets' layout (2-space JSON, sorted files, entries by line). */
  public void write(Path file, Instant generatedAt) throws SecretsException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", FORMAT_VERSION);
    ArrayNode plugins = root.putArray("plugins_used");
    for (SecretType type : SecretType.values()) {
      ObjectNode p = plugins.addObject().put("name", type.plugin());
      if (type == SecretType.BASE64_HIGH_ENTROPY) {
        p.put("limit", 4.5);
      } else if (type == SecretType.HEX_HIGH_ENTROPY) {
        p.put("limit", 3.0);
      } else if (type == SecretType.SECRET_KEYWORD) {
        p.put("keyword_exclude", "");
      }
    }
    List<ObjectNode> pluginList = new ArrayList<>();
    plugins.forEach(n -> pluginList.add((ObjectNode) n));
    pluginList.sort(Comparator.comparing(n -> n.get("name").asText()));
    plugins.removeAll();
    pluginList.forEach(plugins::add);
    ArrayNode filters = root.putArray("filters_used");
    for (String f :
        List.of(
            "detect_secrets.filters.allowlist.is_line_allowlisted",
            "detect_secrets.filters.heuristic.is_indirect_reference",
            "detect_secrets.filters.heuristic.is_lock_file",
            "detect_secrets.filters.heuristic.is_potential_uuid",
            "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
            "detect_secrets.filters.heuristic.is_sequential_string",
            "detect_secrets.filters.heuristic.is_templated_secret")) {
      filters.addObject().put("path", f);
    }
    filters
        .addObject()
        .put("path", "detect_secrets.filters.common.is_baseline_file")
        .put("filename", file.getFileName().toString());
    List<ObjectNode> filterList = new ArrayList<>();
    filters.forEach(n -> filterList.add((ObjectNode) n));
    filterList.sort(Comparator.comparing(n -> n.get("path").asText()));
    filters.removeAll();
    filterList.forEach(filters::add);

    Map<String, List<Entry>> byFile = new TreeMap<>();
    for (Entry e : entries) {
      byFile.computeIfAbsent(e.filename(), k -> new ArrayList<>()).add(e);
    }
    ObjectNode results = root.putObject("results");
    for (Map.Entry<String, List<Entry>> file1 : byFile.entrySet()) {
      ArrayNode list = results.putArray(file1.getKey());
      file1.getValue().stream()
          .sorted(
              Comparator.comparingInt(Entry::lineNumber)
                  .thenComparing(Entry::hashedSecret)
                  .thenComparing(Entry::type))
          .forEach(
              e -> {
                ObjectNode n = list.addObject();
                n.put("type", e.type());
                n.put("filename", e.filename());
                n.put("hashed_secret", e.hashedSecret());
                n.put("is_verified", e.isVerified());
                if (e.lineNumber() > 0) {
                  n.put("line_number", e.lineNumber());
                }
                e.isSecret().ifPresent(s -> n.put("is_secret", s));
              });
    }
    root.put("generated_at", generatedAt.truncatedTo(ChronoUnit.SECONDS).toString());

    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter() {
          private static final long serialVersionUID = 1L;

          @Override
          public DefaultPrettyPrinter createInstance() {
            return this;
          }

          @Override
          public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
            g.writeRaw(": "); // Python's json.dumps writes "key": value
          }
        };
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    try {
      String json = JSON.writer(printer).writeValueAsString(root).replace("[ ]", "[]").replace("{ }", "{}") + "\n";
      AtomicWrite.replace(file, json.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new SecretsException(
          "Could not write the secrets baseline " + file + ": " + e.getMessage(),
          "Check that its directory is writable.",
          e);
    }
  }
}
