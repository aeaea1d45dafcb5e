package dev.imagegate.maven;

import dev.imagegate.aws.AwsSettings;
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

  /** The AWS settings these parameters describe. */
  protected AwsSettings awsSettings() {
    return AwsSettings.defaults()
        .withRoleArn(roleArn)
        .withSessionName(sessionName)
        .withRegion(awsRegion)
        .withEndpoint(awsEndpoint)
        .withAllowStaticCredentials(allowStaticCredentials);
  }
}
