package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.junit.jupiter.api.Test;

/** When a goal before build starts the git warm-up for it: only when the build goal is still ahead in this build. */
class BuildAheadTest {
  /** The goals' default phases, as the plugin descriptor gives them. */
  private static final Function<String, String> DEFAULTS = AwsWarmUpPlanTest.DEFAULTS;

  private static Plugin plugin(String phase, String... goals) {
    Plugin p = new Plugin();
    p.setGroupId("dev.imagegate");
    p.setArtifactId("imagegate-maven-plugin");
    PluginExecution e = new PluginExecution();
    e.setId("default");
    e.setPhase(phase);
    e.setGoals(List.of(goals));
    p.addExecution(e);
    return p;
  }

  @Test
  void detectSecretsWarmsGitForABuildThatReachesPackage() {
    Plugin p = plugin(null, "detect-secrets", "build", "scan", "push", "sign", "audit");
    assertTrue(BuildAhead.buildAhead("detect-secrets", List.of("deploy"), p, DEFAULTS));
    assertTrue(BuildAhead.buildAhead("detect-secrets", List.of("clean", "verify"), p, DEFAULTS));
    assertTrue(BuildAhead.buildAhead("detect-secrets", List.of("package"), p, DEFAULTS));
  }

  @Test
  void notWhenTheBuildIsNotAheadOrNotReached() {
    Plugin p = plugin(null, "detect-secrets", "build", "scan");
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("validate"), p, DEFAULTS), "mvn validate never builds");
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("compile"), p, DEFAULTS));
    assertFalse(BuildAhead.buildAhead("build", List.of("deploy"), p, DEFAULTS), "the build goal reads it itself");
    assertFalse(BuildAhead.buildAhead("scan", List.of("deploy"), p, DEFAULTS), "after the build");
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("imagegate:detect-secrets"), p, DEFAULTS), "goals named on the command line");
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("deploy"), plugin(null, "detect-secrets"), DEFAULTS), "no build goal bound");
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("deploy"), null, DEFAULTS), "plugin not declared");
  }

  @Test
  void anExecutionsOwnPhaseCounts() {
    // everything bound to verify: detect-secrets and build in the same phase, so build is not "after" it
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("deploy"), plugin("verify", "detect-secrets", "build"), DEFAULTS));
    Plugin p = plugin(null, "detect-secrets");
    PluginExecution late = new PluginExecution();
    late.setId("image");
    late.setPhase("install");
    late.setGoals(List.of("build"));
    p.addExecution(late);
    assertTrue(BuildAhead.buildAhead("detect-secrets", List.of("deploy"), p, DEFAULTS));
    assertFalse(BuildAhead.buildAhead("detect-secrets", List.of("verify"), p, DEFAULTS), "verify does not reach install");
  }
}
