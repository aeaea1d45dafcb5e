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
 */
public record AwsSettings(
    Optional<String> roleArn,
    Optional<String> sessionName,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean allowStaticCredentials,
    Map<String, String> environment) {

  public AwsSettings {
    environment = Map.copyOf(environment);
  }

  /** Defaults from the real process environment. */
  public static AwsSettings defaults() {
    return new AwsSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, System.getenv());
  }

  public AwsSettings withRoleArn(String arn) {
    return new AwsSettings(blank(arn), sessionName, region, endpoint, allowStaticCredentials, environment);
  }

  public AwsSettings withRegion(String r) {
    return new AwsSettings(roleArn, sessionName, blank(r), endpoint, allowStaticCredentials, environment);
  }

  public AwsSettings withEndpoint(String uri) {
    return new AwsSettings(roleArn, sessionName, region, blank(uri).map(URI::create), allowStaticCredentials, environment);
  }

  public AwsSettings withAllowStaticCredentials(boolean allow) {
    return new AwsSettings(roleArn, sessionName, region, endpoint, allow, environment);
  }

  public AwsSettings withSessionName(String name) {
    return new AwsSettings(roleArn, blank(name), region, endpoint, allowStaticCredentials, environment);
  }

  public AwsSettings withEnvironment(Map<String, String> env) {
    return new AwsSettings(roleArn, sessionName, region, endpoint, allowStaticCredentials, env);
  }

  private static Optional<String> blank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
