package dev.imagegate.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Without credentials, the SDK's message lists every provider of its chain with each one's reason (over a thousand
 * characters on one line); what the user reads is what failed and the fix, in a few short lines.
 */
class MissingCredentialsMessageTest {

  @RegisterExtension
  final AwsSystemProperties aws = AwsSystemProperties.noCredentialFiles().and("aws.disableEc2Metadata", "true");

  @Test
  void theSdkChainFailureBecomesOneShortLine() {
    AwsCredentialsProviderChain chain = AwsCredentialsProviderChain.of(SystemPropertyCredentialsProvider.create(),
        EnvironmentVariableCredentialsProvider.create(), ProfileCredentialsProvider.builder().profileName("imagegate-test-none").build(),
        ContainerCredentialsProvider.builder().build());
    Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null,
        "this machine has AWS credentials in its environment");
    SdkClientException e = assertThrows(SdkClientException.class, chain::resolveCredentials);
    assertTrue(e.getMessage().length() > 400, "the SDK's own message is long: " + e.getMessage());
    String brief = SdkFailure.describe(e);
    assertTrue(brief.length() <= 160, brief);
    assertTrue(brief.startsWith("no AWS credentials found"), brief);
    assertFalse(brief.contains("CredentialsProviderChain("), brief);
  }

  @Test
  void missingCredentialsAreAFewLinesThatNameTheFix() {
    Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
        && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null, "this machine has AWS credentials in its environment");
    AwsSettings settings = AwsSettings.defaults().withRegion("us-east-1").withEnvironment(Map.of());
    AwsException e = assertThrows(AwsException.class, () -> AwsAccess.resolve(settings, Reporter.SILENT));
    // as the goal shows it (AbstractImagegateMojo.failureMessage)
    String shown = e.getMessage() + System.lineSeparator() + "  Fix: " + e.suggestion();
    assertTrue(shown.lines().count() <= 4, shown);
    shown.lines().forEach(l -> assertTrue(l.length() <= 240, "a line of " + l.length() + " characters: " + l));
    assertFalse(shown.contains("SystemPropertyCredentialsProvider"), shown);
    assertTrue(e.getMessage().contains("no AWS credentials found"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.aws.roleArn") && e.suggestion().contains("id-token: write"), e.suggestion());
  }
}
