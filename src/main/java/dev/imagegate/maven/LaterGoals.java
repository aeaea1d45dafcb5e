package dev.imagegate.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.lifecycle.MavenExecutionPlan;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MavenPluginManager;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;

/**
 * The goals of this plugin that Maven will run after the current one, in this project's build (Maven's own execution
 * plan for the goals and phases of the command line), each configured exactly as Maven will configure it when it runs:
 * {@code mvn deploy} with build, push, sign and audit bound gives push the configured sign and audit mojos. Goals bound
 * to phases the build does not reach, and goals of other plugins, are not included. Release with {@link #close()}.
 */
final class LaterGoals implements AutoCloseable {
  /** A later goal: its name ({@code sign}), and the mojo Maven configured for it, or why it could not be configured. */
  record Goal(String name, MojoExecution execution, Mojo mojo, Exception unconfigurable) {}

  private final MavenPluginManager pluginManager;
  private final List<Goal> goals;

  private LaterGoals(MavenPluginManager pluginManager, List<Goal> goals) {
    this.pluginManager = pluginManager;
    this.goals = goals;
  }

  /**
   * @param current the execution now running (push)
   * @throws Exception when Maven cannot calculate the plan (a plugin that cannot be resolved, an unknown phase)
   */
  static LaterGoals of(MavenSession session, MojoExecution current, LifecycleExecutor lifecycle, MavenPluginManager pluginManager) throws Exception {
    return of(session, current, lifecycle, pluginManager, goal -> true);
  }

  /**
   * The later goals whose name {@code wanted} accepts (only those mojos are configured).
   *
   * @param current the execution now running
   */
  static LaterGoals of(MavenSession session, MojoExecution current, LifecycleExecutor lifecycle, MavenPluginManager pluginManager,
      Predicate<String> wanted) throws Exception {
    MavenExecutionPlan plan = lifecycle.calculateExecutionPlan(session, session.getGoals().toArray(new String[0]));
    List<Goal> goals = new ArrayList<>();
    boolean after = false;
    for (MojoExecution e : plan.getMojoExecutions()) {
      if (!samePlugin(e, current)) {
        continue;
      }
      if (!after) {
        after = e.getGoal().equals(current.getGoal()) && e.getExecutionId().equals(current.getExecutionId());
        continue;
      }
      if (!wanted.test(e.getGoal())) {
        continue;
      }
      try {
        goals.add(new Goal(e.getGoal(), e, pluginManager.getConfiguredMojo(Mojo.class, session, e), null));
      } catch (Exception failure) {
        goals.add(new Goal(e.getGoal(), e, null, failure));
      }
    }
    return new LaterGoals(pluginManager, goals);
  }

  List<Goal> goals() {
    return goals;
  }

  /**
   * The reactor's projects ({@code MavenSession#getProjects()}; this one included) that bind {@code goal} of this plugin: the modules that will each
   * do it in this build (e.g. each record an image with audit). Projects with packaging pom are skipped by the goals.
   */
  static List<String> modulesBinding(List<MavenProject> reactor, MavenProject current, String pluginKey, String goal) {
    List<String> modules = new ArrayList<>();
    for (MavenProject p : reactor) {
      Plugin plugin = p.getPlugin(pluginKey);
      if (plugin == null || "pom".equals(p.getPackaging())) {
        continue;
      }
      for (PluginExecution e : plugin.getExecutions()) {
        if (e.getGoals().contains(goal)) {
          modules.add(p.getArtifactId());
          break;
        }
      }
    }
    if (!modules.contains(current.getArtifactId())) {
      modules.add(0, current.getArtifactId());
    }
    return modules;
  }

  private static boolean samePlugin(MojoExecution a, MojoExecution b) {
    return a.getGroupId().equals(b.getGroupId()) && a.getArtifactId().equals(b.getArtifactId());
  }

  @Override
  public void close() {
    for (Goal g : goals) {
      if (g.mojo() != null) {
        pluginManager.releaseMojo(g.mojo(), g.execution());
      }
    }
  }
}
