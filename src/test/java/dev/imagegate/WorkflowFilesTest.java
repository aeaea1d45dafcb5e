package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The example's GitHub Actions workflow is the one users copy: the README and the site's GitHub Actions page show
 * exactly that file, it grants least privilege (read-only by default, {@code id-token: write} only in the job that
 * deploys from main, one concurrency group per ref), and real actionlint finds no problem in it.
 */
class WorkflowFilesTest {

  private static final Path WORKFLOW = Path.of("examples/myapp/.github/workflows/ci.yaml");

  @Test
  void readmeAndSitePageShowTheExampleWorkflow() throws IOException {
    String workflow = Files.readString(WORKFLOW, StandardCharsets.UTF_8);
    String body = workflow.substring(workflow.indexOf("name: ci\n"));
    for (Path doc : List.of(Path.of("README.md"), Path.of("src/site/markdown/github-actions.md"))) {
      assertEquals(body, workflowBlock(doc), doc + " must show " + WORKFLOW + " from 'name: ci' on, unchanged");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void leastPrivilege() throws IOException {
    Map<String, Object> wf = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(WORKFLOW, StandardCharsets.UTF_8));
    assertEquals(Map.of("contents", "read"), wf.get("permissions"), "the default token is read-only");
    Map<String, Object> concurrency = (Map<String, Object>) wf.get("concurrency");
    assertTrue(String.valueOf(concurrency.get("group")).contains("github.ref"), "one concurrency group per ref: " + concurrency);
    Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) wf.get("jobs");
    List<String> withIdToken = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> job : jobs.entrySet()) {
      Map<String, Object> permissions = (Map<String, Object>) job.getValue().get("permissions");
      assertTrue(permissions != null, job.getKey() + " declares its permissions");
      if ("write".equals(permissions.get("id-token"))) {
        withIdToken.add(job.getKey());
        String condition = String.valueOf(job.getValue().get("if"));
        assertTrue(condition.contains("github.event_name == 'push'") && condition.contains("refs/heads/main"),
            job.getKey() + " has id-token: write and must run only for a push to main: " + condition);
      }
      if (String.valueOf(job.getValue().get("if")).contains("pull_request")) {
        assertFalse(permissions.containsKey("id-token"), "a pull request job gets no OIDC token");
        assertFalse(permissions.containsValue("write") && !Map.of("security-events", "write").keySet().containsAll(
            permissions.entrySet().stream().filter(e -> "write".equals(e.getValue())).map(Map.Entry::getKey).toList()),
            "a pull request job writes nothing but code scanning results: " + permissions);
      }
    }
    assertEquals(List.of("release"), withIdToken);
  }

  @Test
  void actionlintFindsNoProblem() throws Exception {
    assumeTrue(System.getenv("IMAGEGATE_ACTIONLINT") != null || System.getenv("CI") != null,
        "needs actionlint: scripts/peers install, then eval \"$(scripts/peers env)\" (scripts/test does both)");
    Path readmeCopy = Files.createTempFile("readme-workflow", ".yaml");
    try {
      Files.writeString(readmeCopy, workflowBlock(Path.of("README.md")), StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("scripts/actionlint", WORKFLOW.toString(), readmeCopy.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "actionlint did not finish");
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("0 problems"), out);
    } finally {
      Files.deleteIfExists(readmeCopy);
    }
  }

  @Test
  void actionlintIsAbleToFail() throws Exception {
    assumeTrue(System.getenv("IMAGEGATE_ACTIONLINT") != null || System.getenv("CI") != null, "needs actionlint (see above)");
    Path bad = Files.createTempFile("bad-workflow", ".yaml");
    try {
      Files.writeString(bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: writ\n    steps:\n      - run: echo hi\n");
      Process p = new ProcessBuilder("scripts/actionlint", bad.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "actionlint did not finish");
      assertEquals(1, p.exitValue(), out);
      assertTrue(out.contains("id-token"), out);
    } finally {
      Files.deleteIfExists(bad);
    }
  }

  /** The fenced yaml block of a Markdown file that holds the workflow (starts with {@code name: ci}). */
  private static String workflowBlock(Path doc) throws IOException {
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int start = text.indexOf("```yaml\nname: ci\n");
    assertTrue(start >= 0, doc + " has no ```yaml block starting with 'name: ci'");
    start += "```yaml\n".length();
    return text.substring(start, text.indexOf("```\n", start));
  }
}
