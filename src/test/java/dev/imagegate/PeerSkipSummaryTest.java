package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerSkipSummaryTest {
  @Test
  void saysWhatWasLeftOutAndHowToRunIt() {
    String line = PeerSkipSummary.summary(23, 29);
    assertTrue(line.startsWith("[imagegate] 23 peer test(s) skipped"), line);
    assertTrue(line.contains("29 src/it stories not run (profile run-its)"), line);
    assertTrue(line.contains("scripts/test"), line);
    assertNull(PeerSkipSummary.summary(0, 0), "silent when everything ran");
  }

  @Test
  void aStoryIsADirectoryWithInvokerProperties(@TempDir Path it) throws Exception {
    Files.createDirectories(it.resolve("common"));
    Files.createDirectories(it.resolve("push-two-regions"));
    Files.writeString(it.resolve("push-two-regions/invoker.properties"), "invoker.goals = deploy\n");
    Files.writeString(it.resolve("settings.xml"), "<settings/>");
    assertEquals(1, PeerSkipSummary.stories(it));
    assertEquals(0, PeerSkipSummary.stories(it.resolve("missing")));
  }
}
