package dev.imagegate.preflight;

import dev.imagegate.ImagegateException;
import java.util.List;

/** Every problem {@link Preflight} found: each with the goal that would have failed and its own fix. */
public final class PreflightException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  private final transient List<Preflight.Problem> problems;

  PreflightException(List<Preflight.Problem> problems) {
    super(message(problems), "Fix " + (problems.size() == 1 ? "it" : "every one of them") + " and run the build again; nothing was pushed, signed or recorded."
        + System.lineSeparator() + "       To push anyway and let the later goals fail on their own, set imagegate.push.checkLaterGoals=false.");
    this.problems = List.copyOf(problems);
  }

  public List<Preflight.Problem> problems() {
    return problems;
  }

  private static String message(List<Preflight.Problem> problems) {
    String nl = System.lineSeparator();
    StringBuilder b = new StringBuilder("Nothing was pushed: the later goals of this build would fail, " + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + " found before the first upload:");
    int i = 0;
    for (Preflight.Problem p : problems) {
      // a problem's own lines nest under its number
      b.append(nl).append("  ").append(++i).append(". imagegate:").append(p.goal()).append(": ").append(p.failure().getMessage().replace(nl, nl + "     "));
      if (!p.failure().suggestion().isEmpty()) {
        b.append(nl).append("     Fix: ").append(p.failure().suggestion().replace(nl, nl + "     "));
      }
    }
    return b.toString();
  }
}
