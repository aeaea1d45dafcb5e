package dev.imagegate;

import java.util.concurrent.ThreadFactory;

/**
 * The goals' background threads: named (a thread dump says which goal's work it is) and daemons, so that a failing
 * build never waits for work it no longer needs (every such piece of work is bounded by the network timeouts).
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Threads for an executor, each called {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts {@code work} on a new daemon thread called {@code name}. */
  public static Thread start(String name, Runnable work) {
    Thread t = named(name).newThread(work);
    t.start();
    return t;
  }

  /**
   * Starts a warm-up (class loading, a first run of cold code, a read-only head start) on a new daemon thread called
   * {@code name}, at {@code priority}. A warm-up's failure is nobody's: whatever fails there fails again, and is
   * reported, where the work is done for real. So it ends silently on any exception or linkage error, never on the
   * console: when a goal fails early, Maven closes the plugin's class realm while its warm-up may still be loading
   * classes, which then throws {@code NoClassDefFoundError} (it printed a stack trace under the goal's failure).
   *
   * @param priority {@link Thread#NORM_PRIORITY} for a head start the goal waits for, {@link Thread#MIN_PRIORITY} for
   *     one that should only use a spare core (e.g. for a later goal)
   */
  public static Thread warmUp(String name, int priority, Runnable work) {
    Thread t = named(name).newThread(() -> {
      try {
        work.run();
      } catch (RuntimeException | LinkageError e) {
        // only a head start (see above)
      }
    });
    t.setPriority(priority);
    t.start();
    return t;
  }
}
