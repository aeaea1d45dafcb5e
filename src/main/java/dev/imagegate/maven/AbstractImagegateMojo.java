package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every imagegate goal shares: the project, the hand-over directory, the skip switches, and the translation
 * of a typed failure into a {@link MojoFailureException} that says what to do.
 */
abstract class AbstractImagegateMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  protected PluginDescriptor pluginDescriptor;

  /**
   * The directory where the goals hand over to each other: the image archive, {@code image.json}, scan reports,
   * {@code push.json}, {@code sign.json}, {@code audit.json}.
   */
  @Parameter(property = "imagegate.outputDirectory", defaultValue = "${project.build.directory}/imagegate", required = true)
  protected File outputDirectory;

  /** Skips every imagegate goal. */
  @Parameter(property = "imagegate.skip", defaultValue = "false")
  protected boolean skip;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipGoal()) {
      getLog().info("Skipping " + goalName() + " (skip is set).");
      return;
    }
    if ("pom".equals(project.getPackaging()) && !runsOnPomProjects()) {
      getLog().info("Skipping " + goalName() + ": the project has packaging pom.");
      return;
    }
    try {
      run(new MavenReporter(getLog()));
    } catch (ImagegateException e) {
      throw new MojoFailureException(failureMessage(e), e);
    }
  }

  static String failureMessage(ImagegateException e) {
    return e.suggestion().isEmpty() ? e.getMessage() : e.getMessage() + System.lineSeparator() + "  Fix: " + e.suggestion();
  }

  /** The goal's own work: gather parameters, call one core class, log a summary line. */
  protected abstract void run(Reporter reporter) throws ImagegateException, MojoExecutionException;

  /** The goal's own skip parameter. */
  protected abstract boolean skipGoal();

  protected abstract String goalName();

  /** Goals that do something for an aggregator project override this. */
  protected boolean runsOnPomProjects() {
    return false;
  }

  protected String pluginVersion() {
    return pluginDescriptor == null ? "unknown" : pluginDescriptor.getVersion();
  }
}
