package dev.imagegate.scan.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parses deb822 control data ({@code /var/lib/dpkg/status}, {@code status.d/*}): stanzas separated by blank lines,
 * {@code Field: value}, continuation lines starting with a space or tab, field names case-insensitive.
 */
public final class Deb822 {
  private Deb822() {}

  /** The stanzas, each a map from lower-cased field name to value (continuations joined with newlines). */
  public static List<Map<String, String>> parse(String text, Consumer<String> warnings) {
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> cur = new LinkedHashMap<>();
    String last = null;
    int lineNo = 0;
    for (String line : text.split("\r?\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        if (!cur.isEmpty()) {
          out.add(cur);
          cur = new LinkedHashMap<>();
        }
        last = null;
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (last == null) {
          warnings.accept("line " + lineNo + ": continuation line without a field");
          continue;
        }
        cur.merge(last, "\n" + line.substring(1), String::concat);
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        warnings.accept("line " + lineNo + ": not a 'Field: value' line");
        last = null;
        continue;
      }
      last = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      cur.put(last, line.substring(colon + 1).trim());
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }
}
