package dev.imagegate.maven;

import dev.imagegate.github.SourceLocation;
import dev.imagegate.github.SourceLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.InputLocation;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The repository lines behind a project's findings, from the locations Maven keeps while reading the pom (line numbers
 * of every element): for each resolved dependency the line a developer changes (its declaration, its managed version, or
 * for a transitive one the direct dependency that brings it in), the plugin's {@code from} line, the plugin's
 * declaration. Lines outside the repository (a parent or BOM from the local repository) fall back to the project's
 * {@code <parent>} line or the plugin's declaration.
 */
final class ProjectSourceLocations {
  private final MavenProject project;
  private final Path root;
  private final SourceLocation fallback;

  private ProjectSourceLocations(MavenProject project, Path root, SourceLocation fallback) {
    this.project = project;
    this.root = root;
    this.fallback = fallback;
  }

  /**
   * @param project the project (its model read with locations, as Maven reads every project)
   * @param pluginKey {@code groupId:artifactId} of this plugin
   */
  static SourceLocations of(MavenProject project, String pluginKey) {
    Path basedir = project.getBasedir() == null ? Path.of("").toAbsolutePath() : project.getBasedir().toPath().toAbsolutePath();
    Path root = repositoryRoot(basedir);
    String pom = root.relativize(project.getFile() == null ? basedir.resolve("pom.xml") : project.getFile().toPath().toAbsolutePath()).toString();
    ProjectSourceLocations p = new ProjectSourceLocations(project, root, new SourceLocation(pom, 1));
    Plugin plugin = project.getPlugin(pluginKey);
    SourceLocation build = plugin == null ? p.fallback : p.at(plugin.getLocation("")).orElse(p.fallback);
    SourceLocation from = plugin == null ? build : p.fromLine(plugin).orElse(build);
    String resources = root.relativize(basedir).resolve("src/main/resources").toString().replace('\\', '/') + "/";
    return new SourceLocations(root, p.packages(build), from, build,
        List.of(new SourceLocations.CopiedDirectory("app/resources/", resources.startsWith("/") ? resources.substring(1) : resources)));
  }

  private Map<String, SourceLocation> packages(SourceLocation build) {
    Map<String, SourceLocation> declared = new HashMap<>();
    for (Dependency d : project.getModel().getDependencies()) {
      at(d.getLocation("")).ifPresent(l -> declared.put(d.getGroupId() + ":" + d.getArtifactId(), l));
    }
    Map<String, SourceLocation> managed = new HashMap<>();
    if (project.getModel().getDependencyManagement() != null) {
      for (Dependency d : project.getModel().getDependencyManagement().getDependencies()) {
        at(d.getLocation("")).ifPresent(l -> managed.put(d.getGroupId() + ":" + d.getArtifactId(), l));
      }
    }
    SourceLocation parent = project.getModel().getParent() == null ? build : at(project.getModel().getParent().getLocation("")).orElse(build);
    Map<String, SourceLocation> out = new HashMap<>(declared);
    for (Artifact a : project.getArtifacts()) {
      String ga = a.getGroupId() + ":" + a.getArtifactId();
      if (out.containsKey(ga)) {
        continue;
      }
      SourceLocation line = managed.get(ga);
      if (line == null) {
        List<String> trail = a.getDependencyTrail();
        // [this project, the direct dependency, …, the artifact]: the direct one is what the pom says
        String direct = trail != null && trail.size() > 2 ? ga(trail.get(1)) : null;
        line = direct != null && declared.containsKey(direct) ? declared.get(direct) : parent;
      }
      out.put(ga, line);
    }
    Artifact own = project.getArtifact();
    if (own != null) {
      out.putIfAbsent(own.getGroupId() + ":" + own.getArtifactId(), fallback);
    }
    return out;
  }

  /** The {@code from} element of the plugin's configuration (or one execution's), else the property that sets it. */
  private Optional<SourceLocation> fromLine(Plugin plugin) {
    Optional<SourceLocation> line = fromElement(plugin.getConfiguration());
    for (PluginExecution e : plugin.getExecutions()) {
      line = line.isPresent() ? line : fromElement(e.getConfiguration());
    }
    if (line.isEmpty() && project.getModel().getProperties().containsKey("imagegate.from")) {
      InputLocation properties = project.getModel().getLocation("properties");
      line = at(properties == null ? null : properties.getLocation("imagegate.from"));
    }
    return line;
  }

  private Optional<SourceLocation> fromElement(Object configuration) {
    if (configuration instanceof Xpp3Dom dom && dom.getChild("from") != null) {
      Xpp3Dom from = dom.getChild("from");
      Xpp3Dom element = from.getChild("image") != null ? from.getChild("image") : from;
      if (element.getInputLocation() instanceof InputLocation l) {
        return at(l);
      }
    }
    return Optional.empty();
  }

  /** A location in a file of the repository, or empty (no location, or a pom outside the repository). */
  private Optional<SourceLocation> at(InputLocation location) {
    if (location == null || location.getLineNumber() < 1 || location.getSource() == null || location.getSource().getLocation() == null) {
      return Optional.empty();
    }
    Path file = Path.of(location.getSource().getLocation()).toAbsolutePath().normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(new SourceLocation(root.relativize(file).toString(), location.getLineNumber()));
  }

  private static String ga(String trailEntry) {
    String[] parts = trailEntry.split(":");
    return parts.length < 2 ? null : parts[0] + ":" + parts[1];
  }

  /** The nearest directory holding {@code .git}, from the project's up; the project's own when there is none. */
  static Path repositoryRoot(Path basedir) {
    for (Path d = basedir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(".git"))) {
        return d;
      }
    }
    return basedir;
  }
}
