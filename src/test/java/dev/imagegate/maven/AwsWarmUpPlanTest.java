package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imagegate.aws.SdkWarmUp.Service;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

class AwsWarmUpPlanTest {

  /** The goals' default phases, as the plugin descriptor gives them. */
  static final Function<String, String> DEFAULTS = g -> switch (g) {
    case "build", "scan" -> "package";
    case "detect-secrets" -> "validate";
    case "push", "sign", "audit" -> "deploy";
    default -> null;
  };

  private static Plugin plugin(String... goals) {
    Plugin p = new Plugin();
    p.setGroupId("dev.imagegate");
    p.setArtifactId("imagegate-maven-plugin");
    PluginExecution e = new PluginExecution();
    e.setId("default");
    e.setGoals(List.of(goals));
    p.addExecution(e);
    return p;
  }

  private static Xpp3Dom key(String value) {
    Xpp3Dom configuration = new Xpp3Dom("configuration");
    Xpp3Dom key = new Xpp3Dom("signingKey");
    key.setValue(value);
    configuration.addChild(key);
    return configuration;
  }

  @Test
  void deployWarmsWhatPushSignAndAuditWillUse() {
    Plugin p = plugin("detect-secrets", "build", "scan", "push", "sign", "audit");
    assertEquals(EnumSet.of(Service.STS, Service.ECR, Service.S3), AwsWarmUpPlan.servicesAhead("build", List.of("clean", "deploy"), p, DEFAULTS, Map.of()));
    // a KMS signing key, from the plugin configuration or the command line, adds KMS
    p.setConfiguration(key("awskms:///alias/imagegate-signing"));
    assertEquals(EnumSet.allOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("deploy"), p, DEFAULTS, Map.of()));
    p.setConfiguration(key("${user.home}/cosign.key"));
    assertEquals(EnumSet.of(Service.STS, Service.ECR, Service.S3), AwsWarmUpPlan.servicesAhead("build", List.of("deploy"), p, DEFAULTS, Map.of()));
    Plugin q = plugin("build", "sign");
    assertEquals(EnumSet.of(Service.STS, Service.ECR, Service.KMS),
        AwsWarmUpPlan.servicesAhead("build", List.of("deploy"), q, DEFAULTS, Map.of("imagegate.sign.key", "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")));
  }

  @Test
  void buildsThatNeverReachAnAwsGoalWarmNothing() {
    Plugin p = plugin("build", "scan", "push", "sign", "audit");
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("verify"), p, DEFAULTS, Map.of()), "a pull request's mvn verify");
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("install"), p, DEFAULTS, Map.of()));
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("imagegate:push"), p, DEFAULTS, Map.of()), "a goal on the command line runs first");
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("deploy"), plugin("build", "scan"), DEFAULTS, Map.of()), "no AWS goal configured");
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("deploy"), null, DEFAULTS, Map.of()), "plugin not declared");
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("push", List.of("deploy"), p, DEFAULTS, Map.of()), "an AWS goal pays its own start");
  }

  @Test
  void anExecutionBoundToAnEarlierPhaseCountsFromThere() {
    Plugin p = plugin("build", "audit");
    p.getExecutions().get(0).setPhase("install");
    assertEquals(EnumSet.of(Service.STS, Service.S3), AwsWarmUpPlan.servicesAhead("build", List.of("install"), p, DEFAULTS, Map.of()));
    assertEquals(EnumSet.noneOf(Service.class), AwsWarmUpPlan.servicesAhead("build", List.of("package"), p, DEFAULTS, Map.of()));
  }
}
