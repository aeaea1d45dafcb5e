package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.aws.AwsErrorServer;
import dev.imagegate.aws.AwsSystemProperties;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;

/** KMS failures as the SDK builds them: the operation, the key, AWS's error code and the fix; never the provider chain. */
class KmsFailureMessageTest {
  private static final String KEY = "awskms:///arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @RegisterExtension
  final AwsSystemProperties aws = AwsSystemProperties.noCredentialFiles();

  @Test
  void accessDeniedNamesTheKeyTheCodeAndThePermission() throws Exception {
    String denied = "User: arn:aws:sts::123456789012:assumed-role/imagegate-push/imagegate-7001-1 is not authorized to perform: kms:GetPublicKey "
        + "on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the "
        + "kms:GetPublicKey action";
    try (AwsErrorServer server = AwsErrorServer.json(400, "AccessDeniedException", denied)) {
      SigningException e = assertThrows(SigningException.class, () -> KmsSigner.open(KEY, Optional.empty(),
          StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIAIOSFODNN7EXAMPLE", "it-secret", "it-token")), Optional.of(server.endpoint())));
      String first = e.getMessage().lines().findFirst().orElseThrow();
      assertTrue(first.contains("GetPublicKey") && first.contains("1234abcd-12ab-34cd-56ef-1234567890ab"), e.getMessage());
      assertTrue(first.contains("AccessDeniedException"), "the AWS error code on the first line: " + e.getMessage());
      assertTrue(e.suggestion().contains("kms:GetPublicKey"), e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }

  @Test
  void theSignGoalOpensAKmsKeyInTheBackgroundAndItsFailureSurfacesAtReady() throws Exception {
    try (AwsErrorServer server = AwsErrorServer.json(400, "NotFoundException", "Key 'arn:aws:kms:us-east-1:123456789012:key/1234abcd' does not exist")) {
      Signers.Access access = new Signers.Access() {
        @Override
        public char[] keyPassword() {
          throw new AssertionError("a KMS key has no password");
        }

        @Override
        public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider awsCredentials() {
          return StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIAIOSFODNN7EXAMPLE", "it-secret", "it-token"));
        }
      };
      // open returns at once (the SDK client and GetPublicKey run while the goal reads the registries) ...
      try (Signer signer = Signers.open(KEY, Optional.empty(), Optional.of(server.endpoint()), java.nio.file.Path.of("."), access)) {
        assertTrue(signer.reference().contains("1234abcd-12ab-34cd-56ef-1234567890ab"), signer.reference());
        // ... and the failure is KMS's own, at ready(), which the signing waits for before it signs or writes anything
        SigningException e = assertThrows(SigningException.class, signer::ready);
        assertTrue(e.getMessage().contains("GetPublicKey") && e.getMessage().contains("NotFoundException"), e.getMessage());
        assertThrows(SigningException.class, () -> signer.sign(new byte[] {1}));
      }
    }
  }

  @Test
  void noCredentialsIsOneLineAndTheCredentialFixNotAPermission() throws Exception {
    AwsCredentialsProviderChain chain = AwsCredentialsProviderChain.of(SystemPropertyCredentialsProvider.create(),
        EnvironmentVariableCredentialsProvider.create(), ProfileCredentialsProvider.builder().profileName("imagegate-test-none").build());
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null, "this machine has AWS credentials in its environment");
    try (AwsErrorServer server = AwsErrorServer.json(400, "NotReached", "not reached")) {
      SigningException e = assertThrows(SigningException.class, () -> KmsSigner.open(KEY, Optional.empty(), chain, Optional.of(server.endpoint())));
      assertTrue(e.getMessage().contains("GetPublicKey") && e.getMessage().contains("no AWS credentials"), e.getMessage());
      assertTrue(e.suggestion().contains("imagegate.aws.roleArn"), "the fix is credentials, not kms:GetPublicKey: " + e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }
}
