package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The parameter tables of the site pages ({@code src/site/markdown/*.md}: rows under a header with "parameter",
 * "property" and "default") say what the mojos declare: the user property and the default value, as the generated
 * plugin descriptor ({@code META-INF/maven/plugin.xml}, written at process-classes from the {@code @Parameter}
 * annotations) holds them.
 */
class GoalPageDefaultsTest {
  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

  /** A parameter as the descriptor declares it. */
  record Declared(String goal, String name, String property, String defaultValue) {}

  @Test
  void everyDocumentedPropertyAndDefaultIsTheCodes() throws Exception {
    Map<String, Declared> byProperty = new HashMap<>();
    Map<String, List<Declared>> byName = new HashMap<>();
    for (Declared d : declared()) {
      if (d.property() != null) {
        byProperty.putIfAbsent(d.property(), d);
      }
      byName.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
    }
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    List<Path> pages;
    try (Stream<Path> files = Files.list(Path.of("src/site/markdown"))) {
      pages = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (Path page : pages) {
      int property = -1;
      int def = -1;
      for (String line : Files.readAllLines(page)) {
        if (!line.startsWith("|")) {
          property = -1;
          def = -1;
          continue;
        }
        List<String> cells = cells(line);
        if (cells.size() > 2 && cells.get(0).equals("parameter") && cells.contains("default")) {
          property = cells.indexOf("property");
          def = cells.indexOf("default");
          continue;
        }
        if (property < 0 || def < 0 || cells.size() <= Math.max(property, def) || line.startsWith("|---")) {
          continue;
        }
        List<String> names = ticked(cells.get(0));
        List<String> properties = ticked(cells.get(property));
        if (names.size() != 1 || properties.size() > 1) {
          continue; // rows that group several parameters are prose
        }
        Declared code = properties.size() == 1 ? byProperty.get(properties.get(0)) : only(byName.get(names.get(0)));
        String where = page.getFileName() + " `" + names.get(0) + "`";
        if (code == null) {
          if (properties.size() == 1 && !properties.get(0).endsWith("*")) {
            wrong.add(where + ": no mojo has the property " + properties.get(0));
          }
          continue;
        }
        checked++;
        String documented = cells.get(def).trim();
        String literal = literal(documented);
        if (literal != null && code.defaultValue() != null && !normalise(code.defaultValue()).equals(normalise(literal))) {
          wrong.add(where + ": the page says default " + documented + ", " + code.goal() + " declares " + code.defaultValue());
        }
        if (literal != null && code.defaultValue() == null && !documented.startsWith("`")) {
          wrong.add(where + ": the page says default " + documented + ", " + code.goal() + " declares none");
        }
      }
    }
    assertTrue(checked >= 40, "the tables were read: " + checked + " rows checked");
    assertEquals(List.of(), wrong);
  }

  /** A default cell that is one value ({@code `x`}, {@code false}, {@code 4}), or null for prose. */
  private static String literal(String cell) {
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    if (m.matches()) {
      return m.group(1);
    }
    String bare = cell.replaceAll("\\s*\\(.*\\)$", "");
    if (bare.matches("true|false|-?\\d+")) {
      return bare;
    }
    m = Pattern.compile("`([^`]+)`\\s*\\(.*\\)").matcher(cell);
    return m.matches() ? m.group(1) : null;
  }

  private static String normalise(String value) {
    return value.replace("${user.home}", "~");
  }

  private static Declared only(List<Declared> declared) {
    if (declared == null) {
      return null;
    }
    long defaults = declared.stream().map(Declared::defaultValue).distinct().count();
    return defaults == 1 ? declared.get(0) : null;
  }

  private static List<String> ticked(String cell) {
    List<String> result = new ArrayList<>();
    Matcher m = TICKED.matcher(cell);
    while (m.find()) {
      result.add(m.group(1));
    }
    if (result.isEmpty() && cell.matches("[A-Za-z]+")) {
      result.add(cell);
    }
    return result;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.substring(1).split("(?<!\\\\)\\|", -1)) {
      cells.add(cell.trim());
    }
    if (!cells.isEmpty() && cells.get(cells.size() - 1).isEmpty()) {
      cells.remove(cells.size() - 1);
    }
    return cells;
  }

  private static List<Declared> declared() throws Exception {
    Path descriptor = Path.of("target/classes/META-INF/maven/plugin.xml");
    assertTrue(Files.isRegularFile(descriptor), "run through process-classes (mvn test does) so plugin.xml exists");
    Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(descriptor.toFile()).getDocumentElement();
    List<Declared> result = new ArrayList<>();
    NodeList mojos = root.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      String goal = mojo.getElementsByTagName("goal").item(0).getTextContent();
      NodeList configuration = mojo.getElementsByTagName("configuration");
      if (configuration.getLength() == 0) {
        continue;
      }
      NodeList entries = configuration.item(0).getChildNodes();
      for (int j = 0; j < entries.getLength(); j++) {
        Node node = entries.item(j);
        if (!(node instanceof Element e)) {
          continue;
        }
        String text = e.getTextContent().trim();
        String property = text.startsWith("${") && text.endsWith("}") ? text.substring(2, text.length() - 1) : null;
        String def = e.hasAttribute("default-value") ? e.getAttribute("default-value") : null;
        result.add(new Declared(goal, e.getTagName(), property, def));
      }
    }
    return result;
  }
}
