package dev.imagegate.scan.policy;

import dev.imagegate.scan.error.ScanException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads {@code .trivyignore} and {@code .trivyignore.yaml} files. */
public final class IgnoreFile {
  private IgnoreFile() {}

  /** Reads a file by its name: {@code .yaml}/{@code .yml} as {@code .trivyignore.yaml}, anything else as {@code .trivyignore}. */
  public static List<IgnoreRule> read(Path file) throws ScanException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ScanException("Cannot read the ignore file " + file + ": " + e.getMessage(),
          "Fix the path in imagegate.scan.ignoreFile or remove the parameter.", e);
    }
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") ? parseYaml(text, file.toString()) : parsePlain(text, file.toString());
  }

  /** {@code .trivyignore}: one id a line, {@code #} comments (a comment line gives the reason of the ids below it). */
  public static List<IgnoreRule> parsePlain(String text, String origin) throws ScanException {
    List<IgnoreRule> out = new ArrayList<>();
    String reason = null;
    int n = 0;
    for (String raw : text.split("\r?\n")) {
      n++;
      String line = raw.trim();
      if (line.isEmpty()) {
        reason = null;
        continue;
      }
      if (line.startsWith("#")) {
        reason = line.substring(1).trim();
        continue;
      }
      String comment = null;
      int hash = line.indexOf('#');
      if (hash > 0) {
        comment = line.substring(hash + 1).trim();
        line = line.substring(0, hash).trim();
      }
      String[] parts = line.split("\\s+");
      LocalDate exp = null;
      for (int i = 1; i < parts.length; i++) {
        if (parts[i].startsWith("exp:")) {
          exp = date(parts[i].substring(4), origin + ":" + n);
        }
      }
      out.add(new IgnoreRule(parts[0], exp, comment != null ? comment : reason, List.of(), origin + ":" + n));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<IgnoreRule> parseYaml(String text, String origin) throws ScanException {
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().setMaxAliasesForCollections(10).build()).loadFromString(text);
    } catch (RuntimeException e) {
      throw new ScanException("The ignore file " + origin + " is not valid YAML: " + e.getMessage(),
          "Fix it: it must look like 'vulnerabilities: [{id: CVE-…, expired_at: 2026-12-31, statement: …}]'.", e);
    }
    List<IgnoreRule> out = new ArrayList<>();
    if (!(doc instanceof Map<?, ?> map) || !(map.get("vulnerabilities") instanceof List<?> list)) {
      return out;
    }
    int i = 0;
    for (Object o : list) {
      i++;
      if (!(o instanceof Map<?, ?> m) || m.get("id") == null) {
        throw new ScanException("Entry " + i + " of 'vulnerabilities' in " + origin + " has no id.", "Give every entry an 'id: CVE-…'.");
      }
      Object exp = m.get("expired_at");
      List<String> paths = m.get("paths") instanceof List<?> p ? p.stream().map(String::valueOf).toList() : List.of();
      out.add(new IgnoreRule(String.valueOf(m.get("id")), exp == null ? null : date(String.valueOf(exp), origin + " entry " + i),
          m.get("statement") == null ? null : String.valueOf(m.get("statement")), paths, origin + " entry " + i));
    }
    return out;
  }

  private static LocalDate date(String s, String where) throws ScanException {
    try {
      return LocalDate.parse(s.trim().length() > 10 ? s.trim().substring(0, 10) : s.trim());
    } catch (DateTimeParseException e) {
      throw new ScanException("Bad expiry date '" + s + "' at " + where + ".", "Write it as exp:YYYY-MM-DD (e.g. exp:2026-12-31).", e);
    }
  }
}
