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
}
