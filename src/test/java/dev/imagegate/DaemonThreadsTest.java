package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aWarmUpEndsSilentlyWhateverItThrows() throws Exception {
    List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      Thread a = DaemonThreads.warmUp("imagegate-warm-a", Thread.MIN_PRIORITY, () -> {
        throw new NoClassDefFoundError("com/fasterxml/jackson/core/io/NumberOutput");
      });
      Thread b = DaemonThreads.warmUp("imagegate-warm-b", Thread.NORM_PRIORITY, () -> {
        throw new IllegalStateException("cold");
      });
      a.join(10_000);
      b.join(10_000);
      assertTrue(!a.isAlive() && !b.isAlive());
      assertEquals(Thread.MIN_PRIORITY, a.getPriority());
      assertEquals(Thread.NORM_PRIORITY, b.getPriority());
      assertEquals(List.of(), uncaught);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  /**
   * A goal that fails at once, then Maven closes the plugin's class realm while the goal's warm-up still loads classes:
   * nothing may reach the console ("Exception in thread "imagegate-scan-reports" java.lang.NoClassDefFoundError" did,
   * under a failed offline scan). Runs the real scan in a class loader of its own and closes it, as Maven does.
   */
  @Test
  void aFailedScanWhoseClassesAreGoneLeavesNoStackTrace(@TempDir Path tmp) throws Exception {
    List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
    try {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        urls.add(new File(entry).toURI().toURL());
      }
      String message;
      URLClassLoader realm = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      try {
        message = (String) realm.loadClass("dev.imagegate.scan.FailingScan").getMethod("run", String.class).invoke(null, tmp.resolve("none").toString());
      } finally {
        realm.close();
      }
      assertTrue(message.contains("image.json"), message);
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("imagegate-")) {
          t.join(30_000);
        }
      }
      assertEquals(List.of(), uncaught);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }
}
