package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every offline {@code mvn -o} in {@code scripts/} that calls a plugin goal by its prefix ({@code dependency:…}) names a
 * plugin this project's pom declares with a version. Otherwise Maven picks a version from the local repository's
 * metadata, which on a fresh machine is one nothing downloaded (maven-dependency-plugin 2.8): the call fails offline,
 * and a script that sends its output to /dev/null under {@code set -e} dies without a word (scripts/bench/scan-trivy's
 * synthetic part did). Fully qualified goals ({@code group:artifact:version:goal}) and this plugin's own are fine.
 */
class ScriptsOfflinePluginsTest {
  private static final Pattern PREFIX_GOAL = Pattern.compile("(?<![\\w.:/-])([a-z][a-z-]*):([a-z][a-z-]*)(?![\\w:.-])");

  /** The prefixed goals of offline mvn lines whose plugin the pom does not pin, as {@code file:line: goal}. */
  static List<String> unpinned(Path scripts, String pom) throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(scripts)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.startsWith("#") || !line.matches(".*\\bmvn\\b.*") || !line.matches(".*\\s-o(\\s.*|$)")) {
          continue;
        }
        Matcher m = PREFIX_GOAL.matcher(line.substring(line.indexOf("mvn")));
        while (m.find()) {
          String prefix = m.group(1);
          if (prefix.equals("imagegate")) {
            continue;
          }
          if (!pom.contains("<artifactId>maven-" + prefix + "-plugin</artifactId>\n          <version>")
              && !pom.contains("<artifactId>maven-" + prefix + "-plugin</artifactId>\n        <version>")) {
            found.add(scripts.getParent().relativize(f) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    return found;
  }

  @Test
  void offlineMavenCallsInScriptsNameAPinnedPlugin() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    List<String> found = unpinned(Path.of("scripts").toAbsolutePath(), pom);
    assertEquals(List.of(), found, "these offline mvn calls let Maven pick the plugin's version, which a fresh machine does not have: write the goal"
        + " as org.apache.maven.plugins:maven-<prefix>-plugin:<version>:<goal> (as the benches do for maven-dependency-plugin:3.8.1), or pin the"
        + " plugin in the pom's pluginManagement");
  }

  @Test
  void theCheckSeesAnUnpinnedPrefixAndAcceptsTheQualifiedForm(@TempDir Path tmp) throws IOException {
    Path scripts = tmp.resolve("scripts");
    Files.createDirectories(scripts);
    Files.writeString(scripts.resolve("bench"), String.join("\n",
        "# mvn -o dependency:tree in a comment",
        "mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=x >/dev/null",
        "mvn -B -q -o org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
        "mvn -B -q -o install:install-file -Dfile=a.jar",
        "mvn -B dependency:tree",
        "mvn -B -q -o imagegate:scan"));
    String pom = "<artifactId>maven-install-plugin</artifactId>\n          <version>3.1.3</version>";
    List<String> found = unpinned(scripts, pom);
    assertEquals(List.of("scripts/bench:2: dependency:build-classpath"), found);
    assertTrue(unpinned(scripts, pom + "<artifactId>maven-dependency-plugin</artifactId>\n        <version>3.8.1</version>").isEmpty());
  }
}
