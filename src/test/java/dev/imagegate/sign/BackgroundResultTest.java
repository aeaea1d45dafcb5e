package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.ImagegateException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/** What the sign goal's background work threw reaches the goal as it was thrown. */
class BackgroundResultTest {

  private static <T> FutureTask<T> ran(java.util.concurrent.Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    task.run();
    return task;
  }

  @Test
  void givesTheResult() throws Exception {
    assertEquals("ok", BackgroundResult.of(ran(() -> "ok"), ImagegateException.class, "interrupted"));
  }

  @Test
  void rethrowsATypedFailureRuntimeExceptionAndErrorAsThrown() {
    SigningException typed = new SigningException("bad key", "fix it");
    assertSame(typed, assertThrows(SigningException.class,
        () -> BackgroundResult.of(ran(() -> { throw typed; }), SigningException.class, "i")));
    IllegalArgumentException runtime = new IllegalArgumentException("x");
    assertSame(runtime, assertThrows(IllegalArgumentException.class,
        () -> BackgroundResult.of(ran(() -> { throw runtime; }), ImagegateException.class, "i")));
    AssertionError error = new AssertionError("e");
    assertSame(error, assertThrows(AssertionError.class,
        () -> BackgroundResult.of(ran(() -> { throw error; }), ImagegateException.class, "i")));
  }

  @Test
  void wrapsWhatIsNeitherTyped() {
    ImagegateException other = new ImagegateException("other kind", "s");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> BackgroundResult.of(ran(() -> { throw other; }), SigningException.class, "i"));
    assertSame(other, e.getCause());
    IOException io = new IOException("io");
    assertSame(io, assertThrows(IllegalStateException.class,
        () -> BackgroundResult.of(ran(() -> { throw io; }), ImagegateException.class, "i")).getCause());
  }

  @Test
  void anInterruptedWaitFailsWithTheGivenMessageAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      SigningException e = assertThrows(SigningException.class,
          () -> BackgroundResult.of(new CompletableFuture<String>(), ImagegateException.class, "Interrupted while X."));
      assertEquals("Interrupted while X.", e.getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
