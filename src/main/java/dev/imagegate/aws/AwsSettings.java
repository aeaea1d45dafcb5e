package dev.imagegate.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * What decides how the plugin gets AWS credentials.
 *
 * @param roleArn the IAM role to assume with a GitHub Actions OIDC token (empty: no OIDC exchange)
 * @param sessionName the STS session name; empty: {@code imagegate-<GITHUB_RUN_ID>-<GITHUB_RUN_ATTEMPT>} or {@code imagegate}
 * @param region the default region; empty: the SDK's region chain ({@code AWS_REGION}, profile), else {@code us-east-1}
 * @param endpoint an endpoint for every AWS service (moto in tests); empty: the SDK's own resolution, which honours
 *     {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>}
 * @param allowStaticCredentials accept long-lived access keys (no session token), e.g. {@code AKIA…}
 * @param environment the process environment (a parameter so tests can supply one)
 * @param sessions the web-identity sessions of the build these settings belong to, shared by its goals (compared by
 *     identity: settings of two builds are never equal)
 */
public record AwsSettings(
    Optional<String> roleArn,
    Optional<String> sessionName,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean allowStaticCredentials,
    Map<String, String> environment,
    AwsSessionCache sessions) {

  public AwsSettings {
    environment = Map.copyOf(environment);
    sessions = sessions == null ? new AwsSessionCache() : sessions;
  }

  /** Defaults from the real process environment. */
  public static AwsSettings defaults() {
    return new AwsSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, System.getenv(), new AwsSessionCache());
  }

  public AwsSettings withRoleArn(String arn) {
    return new AwsSettings(blank(arn), sessionName, region, endpoint, allowStaticCredentials, environment, sessions);
  }

  public AwsSettings withRegion(String r) {
    return new AwsSettings(roleArn, sessionName, blank(r), endpoint, allowStaticCredentials, environment, sessions);
  }

  public AwsSettings withEndpoint(String uri) {
    return new AwsSettings(roleArn, sessionName, region, blank(uri).map(URI::create), allowStaticCredentials, environment, sessions);
  }

  public AwsSettings withAllowStaticCredentials(boolean allow) {
    return new AwsSettings(roleArn, sessionName, region, endpoint, allow, environment, sessions);
  }

  public AwsSettings withSessionName(String name) {
    return new AwsSettings(roleArn, blank(name), region, endpoint, allowStaticCredentials, environment, sessions);
  }

  public AwsSettings withEnvironment(Map<String, String> env) {
    return new AwsSettings(roleArn, sessionName, region, endpoint, allowStaticCredentials, env, sessions);
  }

  /** The same settings in the build session whose exchanges {@code cache} holds. */
  public AwsSettings withSessions(AwsSessionCache cache) {
    return new AwsSettings(roleArn, sessionName, region, endpoint, allowStaticCredentials, environment, cache);
  }

  /** Never prints the environment (it may hold a token). */
  @Override
  public String toString() {
    return "AwsSettings[roleArn=" + roleArn.orElse("none") + ", sessionName=" + sessionName.orElse("default") + ", region="
        + region.orElse("default") + ", endpoint=" + endpoint.map(URI::toString).orElse("default") + ", allowStaticCredentials="
        + allowStaticCredentials + ", " + sessions + "]";
  }

  private static Optional<String> blank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
