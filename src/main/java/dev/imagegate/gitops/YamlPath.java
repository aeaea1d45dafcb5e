package dev.imagegate.gitops;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path to one node of a YAML document: mapping keys separated by dots, sequence indexes in brackets, e.g.
 * {@code image.tag}, {@code containers[0].image.tag}. A dot inside a key is written {@code \.}
 * (e.g. {@code podAnnotations.app\.kubernetes\.io/version}).
 *
 * @param segments each a mapping key, or a {@link #isIndex(String) sequence index} written {@code [n]}
 */
public record YamlPath(List<String> segments) {

  public YamlPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("empty YAML path");
    }
  }

  /** Parses {@code a.b[0].c}; rejects empty keys. */
  public static YamlPath parse(String text) {
    Objects.requireNonNull(text, "path");
    List<String> out = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    boolean pending = false; // a key was started (even an empty one after a dot)
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        key.append(text.charAt(++i));
        pending = true;
      } else if (c == '.') {
        flush(text, out, key, true);
        pending = true;
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' in YAML path '" + text + "'");
        }
        if (key.length() > 0) {
          flush(text, out, key, true);
        }
        String index = text.substring(i + 1, close).trim();
        if (!index.matches("\\d+")) {
          throw new IllegalArgumentException("sequence index '" + index + "' in YAML path '" + text + "' is not a number");
        }
        out.add("[" + Integer.parseInt(index) + "]");
        i = close;
        pending = false;
        if (i + 1 < text.length() && text.charAt(i + 1) == '.') {
          i++;
          pending = true;
        }
      } else {
        key.append(c);
        pending = true;
      }
    }
    if (pending || key.length() > 0) {
      flush(text, out, key, true);
    }
    return new YamlPath(out);
  }

  private static void flush(String text, List<String> out, StringBuilder key, boolean required) {
    if (key.length() == 0 && required) {
      throw new IllegalArgumentException("empty key in YAML path '" + text + "'");
    }
    out.add(key.toString());
    key.setLength(0);
  }

  /** Whether a segment is a sequence index ({@code [n]}). */
  public static boolean isIndex(String segment) {
    return segment.length() > 2 && segment.charAt(0) == '[' && segment.charAt(segment.length() - 1) == ']';
  }

  static int index(String segment) {
    return Integer.parseInt(segment.substring(1, segment.length() - 1));
  }

  /** The path without its last segment (the parent), or null for a one-segment path. */
  YamlPath parent() {
    return segments.size() == 1 ? null : new YamlPath(segments.subList(0, segments.size() - 1));
  }

  String last() {
    return segments.get(segments.size() - 1);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      if (isIndex(s)) {
        b.append(s);
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(s.replace(".", "\\."));
      }
    }
    return b.toString();
  }
}
