package dev.imagegate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small JSON records read with jackson-core's streaming parser only, as data binding read them: unknown fields ignored, a
 * missing or {@code null} field null (0 or false for a number or a flag), the last of repeated fields kept. The files
 * every goal reads first (image.json, an OCI archive's index.json, image manifest) are read this way: in a fresh JVM the
 * first use of data binding (annotation introspection, a deserializer built per record type) costs more than the
 * reading. Stricter than data binding where that only refuses broken files: nothing may follow the value, a list may
 * hold no {@code null}, a map no {@code null} value, and a field of the wrong kind (an object for a string) fails; every
 * error names the line and column.
 */
public final class JsonStream {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonStream() {}

  /** Reads one value at the parser's current token. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(JsonParser p) throws IOException;
  }

  /** Reads one field's value, the parser at the value's first token; skips ({@link #skip}) a field it does not know. */
  @FunctionalInterface
  public interface Fields {
    void field(String name, JsonParser p) throws IOException;
  }

  /**
   * The one JSON value {@code bytes} hold, read by {@code reader}; null when it is the literal {@code null}.
   *
   * @throws IOException when the bytes are empty, not JSON, not what {@code reader} reads, or hold more after the value
   */
  public static <T> T parse(byte[] bytes, Reader<T> reader) throws IOException {
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JsonParseException(p, "no JSON value (empty content)");
      }
      T value = nullable(p, reader);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "content after the JSON value");
      }
      return value;
    }
  }

  /** Reads the object at the current token, field by field; the parser is left at its closing brace. */
  public static void object(JsonParser p, Fields fields) throws IOException {
    expect(p, JsonToken.START_OBJECT, "an object");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      fields.field(name, p);
    }
  }

  /** The value at the current token read by {@code reader}, or null for {@code null}. */
  public static <T> T nullable(JsonParser p, Reader<T> reader) throws IOException {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : reader.read(p);
  }

  /** Skips the current value (an object or array with everything in it). */
  public static void skip(JsonParser p) throws IOException {
    p.skipChildren();
  }

  /** A string; a number or flag as its text (as data binding coerces it); null for {@code null}. */
  public static String string(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == null || !t.isScalarValue()) {
      throw new JsonParseException(p, "field '" + p.currentName() + "' must be a string, not " + kind(t));
    }
    return p.getText();
  }

  /** A whole number ({@code "42"} too, as data binding coerces it); 0 for {@code null}. */
  public static long longValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(p.getText().trim());
      } catch (NumberFormatException e) {
        throw new JsonParseException(p, "field '" + p.currentName() + "' must be a whole number, not \"" + p.getText() + "\"");
      }
    }
    throw new JsonParseException(p, "field '" + p.currentName() + "' must be a whole number, not " + kind(t));
  }

  /** {@link #longValue} within an int. */
  public static int intValue(JsonParser p) throws IOException {
    long v = longValue(p);
    if (v != (int) v) {
      throw new JsonParseException(p, "field '" + p.currentName() + "' is out of range: " + v);
    }
    return (int) v;
  }

  /** {@code true} or {@code false} ({@code "true"}, {@code "false"} too); false for {@code null}. */
  public static boolean bool(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.VALUE_STRING && (p.getText().equals("true") || p.getText().equals("false"))) {
      return p.getText().equals("true");
    }
    throw new JsonParseException(p, "field '" + p.currentName() + "' must be true or false, not " + kind(t));
  }

  /** The array at the current token, each element read by {@code element}; null for {@code null}. */
  public static <T> List<T> list(JsonParser p, Reader<T> element) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    String field = p.currentName();
    expect(p, JsonToken.START_ARRAY, "an array");
    List<T> values = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == null) {
        throw new JsonParseException(p, "unexpected end of content in the array '" + field + "'");
      }
      if (t == JsonToken.VALUE_NULL) {
        throw new JsonParseException(p, "the array '" + field + "' holds null");
      }
      values.add(element.read(p));
    }
    return values;
  }

  /** The object at the current token as a map of strings, in order; null for {@code null}. */
  public static Map<String, String> stringMap(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    object(p, (name, q) -> {
      String v = string(q);
      if (v == null) {
        throw new JsonParseException(q, "field '" + name + "' is null");
      }
      map.put(name, v);
    });
    return map;
  }

  private static void expect(JsonParser p, JsonToken token, String what) throws IOException {
    if (p.currentToken() != token) {
      String field = p.currentName();
      throw new JsonParseException(p, (field == null ? "expected " : "field '" + field + "' must be ") + what + ", not " + kind(p.currentToken()));
    }
  }

  private static String kind(JsonToken t) {
    if (t == null) {
      return "the end of the content";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a flag";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }
}
