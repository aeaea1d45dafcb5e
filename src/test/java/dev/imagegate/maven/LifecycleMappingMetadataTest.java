package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

/** Eclipse's m2e lifecycle mapping names every goal of the plugin: a new goal must say what m2e does with it. */
class LifecycleMappingMetadataTest {

  @Test
  void everyGoalIsMapped() throws Exception {
    Set<String> mapped = new TreeSet<>();
    try (InputStream in = getClass().getResourceAsStream("/META-INF/m2e/lifecycle-mapping-metadata.xml")) {
      NodeList goals = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("goal");
      for (int i = 0; i < goals.getLength(); i++) {
        mapped.add(goals.item(i).getTextContent().trim());
      }
    }
    assertEquals(goalsOfTheMojos(), mapped);
  }

  private static Set<String> goalsOfTheMojos() throws IOException {
    Set<String> goals = new TreeSet<>();
    Pattern name = Pattern.compile("@Mojo\\(\\s*name\\s*=\\s*\"([^\"]+)\"", Pattern.DOTALL);
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/imagegate/maven"))) {
      for (Path f : files.filter(p -> p.toString().endsWith("Mojo.java")).toList()) {
        Matcher m = name.matcher(Files.readString(f));
        if (m.find()) {
          goals.add(m.group(1));
        }
      }
    }
    return goals;
  }
}
