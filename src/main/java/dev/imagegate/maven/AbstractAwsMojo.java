package dev.imagegate.maven;

import dev.imagegate.NetworkTimeouts;
import dev.imagegate.aws.AwsSessionCache;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The AWS access every goal that talks to AWS shares (push, sign, verify-signature, audit, gitops-update): the same
 * parameters and {@code imagegate.aws.*} properties, so one plugin-level configuration serves them all.
 * Credentials themselves never come from the pom: GitHub Actions' OIDC token exchanged for {@link #roleArn}, or the
 * AWS SDK's default chain.
 */
abstract class AbstractAwsMojo extends AbstractImagegateMojo {

  /**
   * The IAM role to assume with the CI's OIDC token (GitHub Actions: {@code ACTIONS_ID_TOKEN_REQUEST_URL}/{@code _TOKEN},
   * or {@code AWS_WEB_IDENTITY_TOKEN_FILE}) through STS AssumeRoleWithWebIdentity. Without it the SDK's default chain.
   */
  @Parameter(property = "imagegate.aws.roleArn")
  protected String roleArn;

  /** The STS session name; defaults to {@code imagegate-<GITHUB_RUN_ID>-<GITHUB_RUN_ATTEMPT>}. */
  @Parameter(property = "imagegate.aws.sessionName")
  protected String sessionName;

  /** The default AWS region (STS, KMS keys not given as ARNs); defaults to AWS_REGION, then the profile, then us-east-1. */
  @Parameter(property = "imagegate.aws.region")
  protected String awsRegion;

  /** One endpoint for every AWS service (an emulator in tests); by default the SDK's, honouring AWS_ENDPOINT_URL. */
  @Parameter(property = "imagegate.aws.endpoint")
  protected String awsEndpoint;

  /** Accept long-lived AWS access keys (AKIA…, no session token). Not recommended: use OIDC and a role. */
  @Parameter(property = "imagegate.aws.allowStaticCredentials", defaultValue = "false")
  protected boolean allowStaticCredentials;

  /**
   * Seconds an exchange with a registry may go without a byte moving (no answer, or a body that stopped) before it is
   * abandoned and the goal fails naming the registry. Not retried: a server that holds a connection silent would
   * hold the next attempt too.
   */
  @Parameter(property = NetworkTimeouts.STALL_PROPERTY, defaultValue = "60")
  protected int networkStallTimeoutSeconds;

  /**
   * Seconds one exchange with a registry may take in all (headers and body); a body adds the time it needs at
   * 256 KiB/s, so large layers get what a slow but working link needs. A registry that trickles its answer fails here.
   */
  @Parameter(property = NetworkTimeouts.TIMEOUT_PROPERTY, defaultValue = "120")
  protected int networkTimeoutSeconds;

  /** The registry client settings every registry-facing goal shares: the network limits above. */
  protected RegistryOptions registryOptions() throws RegistryException {
    try {
      return RegistryOptions.DEFAULTS.withNetwork(NetworkTimeouts.ofSeconds(networkStallTimeoutSeconds, networkTimeoutSeconds));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(e.getMessage(), "Set " + NetworkTimeouts.STALL_PROPERTY + " and " + NetworkTimeouts.TIMEOUT_PROPERTY + " to whole seconds, at least 1.");
    }
  }

  /** The AWS settings these parameters describe, with the web-identity sessions of this build (see {@link BuildScope}). */
  protected AwsSettings awsSettings() {
    return AwsSettings.defaults()
        .withRoleArn(roleArn)
        .withSessionName(sessionName)
        .withRegion(awsRegion)
        .withEndpoint(awsEndpoint)
        .withAllowStaticCredentials(allowStaticCredentials)
        .withSessions(BuildScope.of(session == null ? null : session.getRepositorySession(), AwsSessionCache.class, AwsSessionCache::new));
  }
}
