package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

  @Test
  void factoryThreadsAreNamedDaemons() {
    Thread t = DaemonThreads.named("imagegate-test").newThread(() -> {});
    assertEquals("imagegate-test", t.getName());
    assertTrue(t.isDaemon());
  }

  @Test
  void startRunsTheWorkOnANamedDaemon() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    Thread t = DaemonThreads.start("imagegate-started", () -> seen.complete(Thread.currentThread().getName()
        + (Thread.currentThread().isDaemon() ? " daemon" : " user")));
    assertEquals("imagegate-started daemon", seen.get(10, TimeUnit.SECONDS));
    t.join(10_000);
  }
}
