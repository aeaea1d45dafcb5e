package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's bash scripts run under {@code set -o pipefail}: a pipe into a grep that stops reading early
 * ({@code grep -q}, {@code grep -m N}) can kill the writer with SIGPIPE and fail the pipeline at random (it made
 * {@code scripts/peers}' liveness check report "did not become ready", and could hide a printed key in the demo).
 * Scripts feed such greps from a here-string or a file instead.
 */
class ScriptPipesTest {

  private static final Pattern EARLY_EXIT_GREP_IN_PIPE = Pattern.compile("\\|\\s*grep\\s+(-[A-Za-z]*[qm]|[^|]*\\s-[A-Za-z]*[qm])");

  @Test
  void noPipeFeedsAGrepThatStopsReading() throws IOException {
    List<String> offending = new ArrayList<>();
    for (Path root : List.of(Path.of("scripts"), Path.of(".ci"), Path.of("src/it"))) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).filter(ScriptPipesTest::isShell).toList()) {
          List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("#") && EARLY_EXIT_GREP_IN_PIPE.matcher(line).find()) {
              offending.add(f + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }
    assertEquals(List.of(), offending, "use grep … <<<\"$var\" (or a file) instead of a pipe into grep -q / grep -m");
  }

  @Test
  void theRuleSeesThePatternsItForbids() {
    assertEquals(true, EARLY_EXIT_GREP_IN_PIPE.matcher("tr '\\0' ' ' < f | grep -q -- x").find());
    assertEquals(true, EARLY_EXIT_GREP_IN_PIPE.matcher("echo \"$out\" | grep -qF x").find());
    assertEquals(true, EARLY_EXIT_GREP_IN_PIPE.matcher("a | grep -A1 x | grep -m1 '{'").find());
    assertEquals(false, EARLY_EXIT_GREP_IN_PIPE.matcher("grep -q x <<<\"$out\"").find());
    assertEquals(false, EARLY_EXIT_GREP_IN_PIPE.matcher("mvn deploy | grep -E 'imagegate:|BUILD'").find());
  }

  private static boolean isShell(Path f) {
    String name = f.getFileName().toString();
    if (name.endsWith(".sh")) {
      return true;
    }
    if (name.contains(".")) {
      return false;
    }
    try {
      String first = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
      return first.startsWith("#!") && first.contains("bash");
    } catch (IOException e) {
      return false;
    }
  }
}
