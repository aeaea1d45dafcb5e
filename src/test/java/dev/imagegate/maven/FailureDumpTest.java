package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.aws.AwsException;
import org.apache.maven.exception.DefaultExceptionHandler;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What Maven prints for a failure whose cause is an AWS SDK dump: the goal's message and fix, not the dump. */
class FailureDumpTest {

  private static final String CHAIN = "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain("
      + "credentialsProviders=[SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(), "
      + "ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])), ContainerCredentialsProvider(), "
      + "InstanceProfileCredentialsProvider()]) : [SystemPropertyCredentialsProvider(): Unable to load credentials from system settings. "
      + "Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId).]";

  @Test
  void mavenDoesNotAppendTheSdkChainDump() {
    AwsException e = new AwsException("Cannot get AWS credentials: no AWS credentials found", "Set imagegate.aws.roleArn.",
        SdkClientException.create(CHAIN));
    MojoFailureException f = AbstractImagegateMojo.failureException(e);
    String printed = new DefaultExceptionHandler().handleException(f).getMessage();
    assertFalse(printed.contains("SystemPropertyCredentialsProvider"), printed);
    assertEquals(2, printed.lines().count(), printed);
    assertTrue(f.getSuppressed().length == 1 && f.getSuppressed()[0] == e, "mvn -e still shows the whole chain");
  }

  @Test
  void anSdkCauseAlreadyToldInOurWordsIsNotAppended() {
    // an S3 failure as SdkFailure words it, inside the audit's "NOT written" failure: the SDK's own one-liner adds nothing
    SdkClientException sdk = SdkClientException.builder().message("Unable to execute HTTP request: Connection refused (SDK Attempt Count: 4)")
        .cause(new java.net.ConnectException("Connection refused")).build();
    AwsException s3 = new AwsException("S3 GetObject s3://b/k.json failed: unreachable" + System.lineSeparator() + "  ConnectException: Connection refused",
        "Check the endpoint.", sdk);
    AwsException outer = new AwsException("The audit record was NOT written: " + s3.getMessage(), "Then run:" + System.lineSeparator() + "    mvn imagegate:audit", s3);
    MojoFailureException f = AbstractImagegateMojo.failureException(outer);
    String printed = new DefaultExceptionHandler().handleException(f).getMessage();
    assertFalse(printed.contains("SDK Attempt Count"), printed);
    assertTrue(printed.endsWith("    mvn imagegate:audit"), "the command to copy stays the last line, nothing glued to it: " + printed);
    assertTrue(f.getSuppressed().length == 1 && f.getSuppressed()[0] == outer, "mvn -e still shows the SDK's exception");
  }

  @Test
  void aShortCauseIsStillAppended() {
    AwsException e = new AwsException("S3 PutObject failed", "Check the endpoint.", new java.net.ConnectException("Connection refused"));
    String printed = new DefaultExceptionHandler().handleException(AbstractImagegateMojo.failureException(e)).getMessage();
    assertTrue(printed.contains("Connection refused"), printed);
  }
}
