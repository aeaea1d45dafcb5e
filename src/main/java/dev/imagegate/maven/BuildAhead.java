package dev.imagegate.maven;

import java.util.List;
import java.util.function.Function;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;

/**
 * Decides, at a goal that runs before {@code build} in the same build (detect-secrets in {@code validate}), whether the
 * build goal is still ahead: then its git status (JGit, ~0.4-0.6 s cold in a Maven JVM, most of it class loading and
 * cold code) is read once in the background beside Maven's compile and test, so that the build goal finds JGit warm.
 *
 * <p>A goal is ahead when the project binds it (in any execution of this plugin) to a phase (its own, else the goal's
 * default) that comes after the current goal's phase and that the command line reaches, as {@link AwsWarmUpPlan}
 * decides for the AWS goals. Goals named on the command line ({@code mvn imagegate:build}) are not counted.
 */
final class BuildAhead {
  private BuildAhead() {}

  /**
   * @param currentGoal the goal now running (e.g. {@code detect-secrets})
   * @param requested the goals and phases of the command line ({@code MavenSession#getGoals()})
   * @param plugin this plugin as the project declares it (null: not declared)
   * @param defaultPhase a goal's default phase from the plugin descriptor (null when it has none)
   */
  static boolean buildAhead(String currentGoal, List<String> requested, Plugin plugin, Function<String, String> defaultPhase) {
    return goalAhead("build", currentGoal, requested, plugin, defaultPhase);
  }

  /**
   * Whether {@code goal} (e.g. {@code sign}) is ahead of {@code currentGoal} in this build, as {@link #buildAhead}
   * decides for the build goal.
   */
  static boolean goalAhead(String goal, String currentGoal, List<String> requested, Plugin plugin, Function<String, String> defaultPhase) {
    if (plugin == null || requested == null || currentGoal.equals(goal)) {
      return false;
    }
    int reached = AwsWarmUpPlan.reached(requested);
    int current = phase(currentGoal, plugin, defaultPhase);
    int ahead = phase(goal, plugin, defaultPhase);
    return current >= 0 && ahead > current && ahead <= reached;
  }

  /** The lifecycle index of the phase the project binds {@code goal} to, or -1 when it does not bind it. */
  private static int phase(String goal, Plugin plugin, Function<String, String> defaultPhase) {
    for (PluginExecution execution : plugin.getExecutions()) {
      if (execution.getGoals().contains(goal)) {
        return AwsWarmUpPlan.phaseIndex(execution, goal, defaultPhase);
      }
    }
    return -1;
  }
}
