package dev.imagegate.aws;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ECR refusals as AWS words them: the operation, the repository and region, AWS's error code, and the fix, in a few short lines. */
class EcrFailureMessageTest {
  private static final String DENIED = "User: arn:aws:sts::123456789012:assumed-role/imagegate-push/imagegate-7001-1 is not authorized to perform: "
      + "ecr:DescribeRepositories on resource: arn:aws:ecr:us-east-1:123456789012:repository/myapp because no identity-based policy allows "
      + "the ecr:DescribeRepositories action";

  @RegisterExtension
  final AwsSystemProperties aws = AwsSystemProperties.sessionCredentials();

  private static Ecr ecr(AwsErrorServer server) throws AwsException {
    AwsSettings settings = AwsSettings.defaults().withRegion("us-east-1").withEnvironment(Map.of()).withEndpoint(server.endpoint().toString());
    return new Ecr(AwsAccess.resolve(settings, Reporter.SILENT), Reporter.SILENT);
  }

  @Test
  void accessDeniedNamesOperationRepositoryCodeAndPermission() throws Exception {
    try (AwsErrorServer server = AwsErrorServer.json(400, "AccessDeniedException", DENIED); Ecr ecr = ecr(server)) {
      AwsException e = assertThrows(AwsException.class, () -> ecr.ensureRepository("us-east-1", Optional.empty(), "myapp", false, true, true));
      String first = e.getMessage().lines().findFirst().orElseThrow();
      assertTrue(first.contains("DescribeRepositories") && first.contains("myapp") && first.contains("us-east-1"), e.getMessage());
      assertTrue(first.contains("AccessDeniedException"), "the AWS error code on the first line: " + e.getMessage());
      assertTrue(e.getMessage().contains("no identity-based policy allows"), "what AWS said is kept: " + e.getMessage());
      assertTrue(e.suggestion().contains("ecr:DescribeRepositories") && e.suggestion().contains("AWS SDK default credential chain"), e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }

  @Test
  void anExpiredSessionSaysSoAndHowToGetANewOne() throws Exception {
    try (AwsErrorServer server = AwsErrorServer.json(400, "ExpiredTokenException", "The security token included in the request is expired");
        Ecr ecr = ecr(server)) {
      AwsException e = assertThrows(AwsException.class, () -> ecr.authorizationToken("us-east-1", Optional.empty()));
      assertTrue(e.getMessage().contains("GetAuthorizationToken") && e.getMessage().contains("ExpiredTokenException"), e.getMessage());
      assertTrue(e.suggestion().contains("expired"), "an expired session is not a missing permission: " + e.suggestion());
      AwsErrorServer.assertReadable(e.getMessage(), e.suggestion());
    }
  }
}
