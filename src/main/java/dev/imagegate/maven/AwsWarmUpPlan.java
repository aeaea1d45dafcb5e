package dev.imagegate.maven;

import dev.imagegate.aws.SdkWarmUp;
import dev.imagegate.sign.KmsKeyReference;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Decides, at a goal that does not talk to AWS, whether a later goal of the same build will, and which AWS services
 * it will use: then {@link SdkWarmUp} loads their SDK clients in the background while this goal works.
 *
 * <p>A later AWS goal is an execution of this plugin in the project whose phase (its own, else the goal's default)
 * the build reaches: a lifecycle phase asked on the command line at or after it. Goals named on the command line
 * ({@code mvn imagegate:push}) are not warmed: they run first and pay their own start. A pull request's
 * {@code mvn verify} never reaches {@code deploy}, so it warms nothing.
 */
final class AwsWarmUpPlan {

  /** The default lifecycle, in order (Maven 3). */
  static final List<String> PHASES = List.of(
      "validate", "initialize", "generate-sources", "process-sources", "generate-resources", "process-resources", "compile",
      "process-classes", "generate-test-sources", "process-test-sources", "generate-test-resources", "process-test-resources",
      "test-compile", "process-test-classes", "test", "prepare-package", "package", "pre-integration-test", "integration-test",
      "post-integration-test", "verify", "install", "deploy");

  /** The AWS services of each goal that talks to AWS (KMS too for sign and verify-signature with a KMS key). */
  static final Map<String, Set<SdkWarmUp.Service>> SERVICES = Map.of(
      "push", EnumSet.of(SdkWarmUp.Service.STS, SdkWarmUp.Service.ECR),
      "sign", EnumSet.of(SdkWarmUp.Service.STS, SdkWarmUp.Service.ECR),
      "verify-signature", EnumSet.of(SdkWarmUp.Service.STS, SdkWarmUp.Service.ECR),
      "audit", EnumSet.of(SdkWarmUp.Service.STS, SdkWarmUp.Service.S3),
      "gitops-update", EnumSet.of(SdkWarmUp.Service.STS, SdkWarmUp.Service.ECR));

  private AwsWarmUpPlan() {}

  /**
   * @param currentGoal the goal now running (e.g. {@code build})
   * @param requested the goals and phases of the command line ({@code MavenSession#getGoals()})
   * @param plugin this plugin as the project declares it (null: not declared)
   * @param defaultPhase a goal's default phase from the plugin descriptor (null when it has none)
   * @param userProperties the command line's {@code -D} properties (a signing key may be given as {@code imagegate.sign.key})
   * @return the services to warm; empty when no later goal of this build talks to AWS
   */
  static Set<SdkWarmUp.Service> servicesAhead(
      String currentGoal, List<String> requested, Plugin plugin, Function<String, String> defaultPhase, Map<?, ?> userProperties) {
    Set<SdkWarmUp.Service> services = EnumSet.noneOf(SdkWarmUp.Service.class);
    if (SERVICES.containsKey(currentGoal) || plugin == null || requested == null) {
      return services;
    }
    int reached = reached(requested);
    if (reached < 0) {
      return services;
    }
    for (PluginExecution execution : plugin.getExecutions()) {
      for (String goal : execution.getGoals()) {
        Set<SdkWarmUp.Service> s = SERVICES.get(goal);
        if (s == null) {
          continue;
        }
        int at = phaseIndex(execution, goal, defaultPhase);
        if (at >= 0 && at <= reached) {
          services.addAll(s);
          if ((goal.equals("sign") || goal.equals("verify-signature")) && KmsKeyReference.isKms(signingKey(goal, execution, plugin, userProperties))) {
            services.add(SdkWarmUp.Service.KMS);
          }
        }
      }
    }
    return services;
  }

  /** The last lifecycle phase the command line reaches (its index in {@link #PHASES}), or -1 when it names none. */
  static int reached(List<String> requested) {
    return requested.stream().mapToInt(PHASES::indexOf).max().orElse(-1);
  }

  /** The index in {@link #PHASES} of the phase {@code execution} runs {@code goal} in (its own, else the goal's default), or -1. */
  static int phaseIndex(PluginExecution execution, String goal, Function<String, String> defaultPhase) {
    String phase = execution.getPhase() != null ? execution.getPhase() : defaultPhase.apply(goal);
    return phase == null ? -1 : PHASES.indexOf(phase);
  }

  /**
   * The key a KMS warm-up depends on: sign's {@code signingKey} ({@code -Dimagegate.sign.key}), verify-signature's
   * {@code publicKey} ({@code -Dimagegate.verify.key}); the execution's, else the plugin's, else the property.
   */
  private static String signingKey(String goal, PluginExecution execution, Plugin plugin, Map<?, ?> userProperties) {
    boolean sign = goal.equals("sign");
    String parameter = sign ? "signingKey" : "publicKey";
    for (Object configuration : new Object[] {execution.getConfiguration(), plugin.getConfiguration()}) {
      if (configuration instanceof Xpp3Dom dom && dom.getChild(parameter) != null && dom.getChild(parameter).getValue() != null) {
        return dom.getChild(parameter).getValue().trim();
      }
    }
    Object property = userProperties == null ? null : userProperties.get(sign ? "imagegate.sign.key" : "imagegate.verify.key");
    return property == null ? "" : property.toString().trim();
  }
}
