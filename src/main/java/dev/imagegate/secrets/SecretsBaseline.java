package dev.imagegate.secrets;

import dev.imagegate.AtomicWrite;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
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

  /** Parsers of the baseline: jackson-core only, loaded when there is a baseline to read. */
  private static final class Streams {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  /** The writer's tree model, loaded only when a baseline is written. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

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
    List<Entry> entries = null;
    // jackson-core's streaming parser: a few dozen classes, where databind's ObjectMapper loads hundreds (0.3 s and
    // more in a fresh JVM, the first goal of a build)
    try (JsonParser json = Streams.FACTORY.createParser(file.toFile())) {
      if (json.nextToken() == JsonToken.START_OBJECT) {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (field.equals("results") && value == JsonToken.START_OBJECT) {
            entries = results(json);
          } else {
            if (field.equals("results")) {
              entries = null; // the last "results" counts, as for a JSON tree
            }
            json.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      throw new SecretsException(
          "The secrets baseline " + file + " is not readable JSON: " + e.getMessage(),
          "Fix or delete it and write a new one with mvn imagegate:secrets-baseline"
              + " (or detect-secrets scan > .secrets.baseline).",
          e);
    }
    if (entries == null) {
      throw new SecretsException(
          "The secrets baseline " + file + " has no \"results\" object: it is not a detect-secrets baseline.",
          "Write a new one with mvn imagegate:secrets-baseline, or point imagegate.secrets.baseline at the right file.",
          (Throwable) null);
    }
    return new SecretsBaseline(entries);
  }

  /** The entries of {@code "results": {file: [entry, …], …}}, the parser on the object's start. */
  private static List<Entry> results(JsonParser json) throws IOException {
    List<Entry> entries = new ArrayList<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String fileKey = json.currentName();
      if (json.nextToken() != JsonToken.START_ARRAY) {
        json.skipChildren();
        continue;
      }
      while (json.nextToken() != JsonToken.END_ARRAY) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
          json.skipChildren();
          continue;
        }
        Map<String, Scalar> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String name = json.currentName();
          JsonToken token = json.nextToken();
          fields.put(name, new Scalar(token, token.isScalarValue() ? json.getText() : ""));
          json.skipChildren();
        }
        Scalar hash = fields.get("hashed_secret");
        if (hash == null || hash.token() != JsonToken.VALUE_STRING) {
          continue;
        }
        Scalar filename = fields.get("filename");
        Scalar isSecret = fields.get("is_secret");
        entries.add(
            new Entry(
                Scalar.text(fields.get("type")),
                normalise(filename != null && !filename.isNull() ? filename.text() : fileKey),
                hash.text().toLowerCase(java.util.Locale.ROOT),
                Scalar.bool(fields.get("is_verified")),
                Scalar.integer(fields.get("line_number")),
                isSecret != null && !isSecret.isNull() ? Optional.of(Scalar.bool(isSecret)) : Optional.empty()));
      }
    }
    return entries;
  }

  /** One value of a baseline entry, read as Jackson's {@code JsonNode.asText/asBoolean/asInt} read it. */
  private record Scalar(JsonToken token, String text) {
    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    static String text(Scalar s) {
      return s == null || s.isNull() || !s.token().isScalarValue() ? "" : s.text();
    }

    static boolean bool(Scalar s) {
      if (s == null) {
        return false;
      }
      return switch (s.token()) {
        case VALUE_TRUE -> true;
        case VALUE_STRING -> s.text().trim().equals("true");
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new java.math.BigDecimal(s.text()).signum() != 0;
        default -> false;
      };
    }

    static int integer(Scalar s) {
      if (s == null) {
        return 0;
      }
      try {
        return switch (s.token()) {
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new java.math.BigDecimal(s.text()).intValue();
          case VALUE_STRING -> (int) Double.parseDouble(s.text().trim());
          case VALUE_TRUE -> 1;
          default -> 0;
        };
      } catch (NumberFormatException e) {
        return 0;
      }
    }
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
    ObjectNode root = Json.MAPPER.createObjectNode();
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
      String json = Json.MAPPER.writer(printer).writeValueAsString(root).replace("[ ]", "[]").replace("{ }", "{}") + "\n";
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
