package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

/** Which modules of a reactor record an image with audit: what push's keyLayout check counts. */
class LaterGoalsTest {
  static final String KEY = "dev.imagegate:imagegate-maven-plugin";

  static MavenProject project(String artifactId, String packaging, String... goals) {
    Model model = new Model();
    model.setGroupId("it");
    model.setArtifactId(artifactId);
    model.setVersion("1");
    model.setPackaging(packaging);
    Build build = new Build();
    if (goals.length > 0) {
      Plugin plugin = new Plugin();
      plugin.setGroupId("dev.imagegate");
      plugin.setArtifactId("imagegate-maven-plugin");
      PluginExecution e = new PluginExecution();
      e.setGoals(List.of(goals));
      plugin.addExecution(e);
      build.addPlugin(plugin);
    }
    model.setBuild(build);
    return new MavenProject(model);
  }

  @Test
  void everyModuleThatBindsAuditCountsPomsAndModulesWithoutItDoNot() {
    MavenProject a = project("service-a", "jar", "build", "push", "sign", "audit");
    MavenProject b = project("service-b", "jar", "build", "push", "audit");
    MavenProject lib = project("lib-plain", "jar");
    MavenProject pushOnly = project("tool", "jar", "build", "push");
    MavenProject parent = project("parent", "pom", "audit");
    assertEquals(List.of("service-a", "service-b"), LaterGoals.modulesBinding(List.of(parent, a, lib, b, pushOnly), a, KEY, "audit"));
    assertEquals(List.of("service-a"), LaterGoals.modulesBinding(List.of(), a, KEY, "audit"), "a single-project build");
  }
}
