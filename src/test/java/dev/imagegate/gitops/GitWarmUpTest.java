package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GitWarmUpTest {

  @Test
  void everyStepCompletesWithoutNetworkOrFiles() {
    assertTrue(GitWarmUp.run(), "a step of the warm-up failed, so the update would pay for it");
  }

  @Test
  void everyClassItLoadsExists() {
    // a name that no longer exists after a JGit upgrade would make the warm-up stop early without a word
    for (String name : GitWarmUp.CLASSES) {
      assertDoesNotThrow(() -> Class.forName(name, false, GitWarmUp.class.getClassLoader()), name);
    }
  }

  @Test
  void theThreadIsADaemonAndEnds() throws InterruptedException {
    Thread t = GitWarmUp.start(null);
    assertTrue(t.isDaemon());
    t.join();
    assertFalse(t.isAlive());
  }
}
