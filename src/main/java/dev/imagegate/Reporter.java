package dev.imagegate;

/**
 * Where core classes report progress and warnings. The mojos adapt Maven's log to it; tests collect lines.
 * Nothing secret is ever passed to it.
 */
public interface Reporter {

  /** Discards everything. */
  Reporter SILENT = new Reporter() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}
  };

  void info(String message);

  void warn(String message);

  default void debug(String message) {}
}
