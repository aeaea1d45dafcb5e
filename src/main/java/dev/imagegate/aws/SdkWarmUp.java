package dev.imagegate.aws;

import dev.imagegate.DaemonThreads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;

/**
 * Loads and initialises the AWS SDK's client classes in a background thread, without any network traffic.
 *
 * <p>Why: the first AWS SDK client in a JVM costs about 0.5–0.7 s of class loading and static initialisation on one
 * core (measured here: ~2,500 SDK classes, a steady ~230 classes per 50 ms with no wait in between, before STS's first
 * answer). In {@code mvn deploy} that cost fell on {@code push}, the first goal that talks to AWS, after the goals
 * (build, scan) that never do. Started by an earlier goal, the warm-up runs on the other core while they work.
 *
 * <p>How: for each service, a client with dummy credentials and no retries makes the calls the goals make (STS's web
 * identity provider and GetCallerIdentity, ECR's token and repository description, S3's conditional put, KMS's public
 * key and sign) through marshalling, endpoint resolution, SigV4 signing and response parsing; its HTTP client is a
 * {@link CannedHttpClient} that opens no connection and answers each call with a minimal valid response, so nothing
 * leaves the JVM. The clients are closed. It starts at most
 * once per JVM, runs in a daemon thread at low priority, and any failure is ignored (the real call pays the cost then).
 */
public final class SdkWarmUp {

  /** The AWS services the goals use. */
  public enum Service {
    STS,
    ECR,
    S3,
    KMS
  }

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final URI NOWHERE = URI.create("http://127.0.0.1:9");
  private static final SdkHttpClient CANNED = new CannedHttpClient();
  private static final String ARN = "arn:aws:sts::000000000000:assumed-role/warm-up/warm-up";

  private SdkWarmUp() {}

  /**
   * Starts the warm-up of these services' clients unless one was started before in this JVM.
   *
   * @param first other start-up work of the same later goals to do first in the same thread (e.g. initialising the
   *     registry client's HTTP client); failures are ignored
   * @return the started thread (already running), or null when none was started
   */
  public static Thread start(Set<Service> services, Runnable... first) {
    if (services.isEmpty() || !STARTED.compareAndSet(false, true)) {
      return null;
    }
    Set<Service> copy = EnumSet.copyOf(services);
    return DaemonThreads.warmUp("imagegate-aws-warm-up", Thread.MIN_PRIORITY, () -> {
      for (Runnable r : first) {
        try {
          r.run();
        } catch (RuntimeException | LinkageError e) {
          // the goal that needs it pays the cost then
        }
      }
      run(copy);
    });
  }

  /** Runs the warm-up in the calling thread (for tests and benchmarks); returns the services that completed it. */
  static Set<Service> run(Set<Service> services) {
    Set<Service> done = EnumSet.noneOf(Service.class);
    // STS first: every goal's credentials come through it (web identity), and it loads the SDK core the others share
    for (Service s : Service.values()) {
      if (services.contains(s) && exercise(s)) {
        done.add(s);
      }
    }
    return done;
  }

  private static boolean exercise(Service service) {
    try {
      switch (service) {
        case STS -> {
          try (StsClient c = configure(StsClient.builder()).build()) {
            // the provider the goals use for web identity, through one refresh, then the caller identity
            StsAssumeRoleWithWebIdentityCredentialsProvider provider = StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(c)
                .asyncCredentialUpdateEnabled(false)
                .refreshRequest(r -> r.roleArn("arn:aws:iam::000000000000:role/warm-up").roleSessionName("warm-up").webIdentityToken("warm-up"))
                .build();
            boolean ok = provider.resolveCredentials() instanceof AwsSessionCredentials;
            provider.close();
            return ok && c.getCallerIdentity().arn() != null;
          }
        }
        case ECR -> {
          try (EcrClient c = configure(EcrClient.builder()).build()) {
            return !c.getAuthorizationToken().authorizationData().isEmpty()
                && !c.describeRepositories(r -> r.repositoryNames("warm-up")).repositories().isEmpty();
          }
        }
        case S3 -> {
          try (S3Client c = configure(S3Client.builder()).forcePathStyle(true).build()) {
            return c.putObject(r -> r.bucket("warm-up").key("warm-up.json").ifNoneMatch("*").contentType("application/json"), RequestBody.fromString("{}")).eTag() != null;
          }
        }
        case KMS -> {
          try (KmsClient c = configure(KmsClient.builder()).build()) {
            return c.getPublicKey(r -> r.keyId("alias/warm-up")).publicKey() != null
                && c.sign(r -> r.keyId("alias/warm-up").messageType("RAW").signingAlgorithm("ECDSA_SHA_256").message(SdkBytes.fromUtf8String("warm-up"))).signature() != null;
          }
        }
        default -> {
          return false;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static <B extends AwsClientBuilder<B, C>, C extends SdkClient> B configure(B builder) {
    builder.region(Region.US_EAST_1)
        .endpointOverride(NOWHERE)
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIAWARMUP", "warm-up", "warm-up")))
        .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build());
    if (builder instanceof AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClient(CANNED);
    }
    return builder;
  }

  /**
   * An HTTP client that never opens a connection: it reads the request body and answers 200 with a minimal valid
   * response of the operation, so that the SDK's response parsing is loaded too.
   */
  static final class CannedHttpClient implements SdkHttpClient {
    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          String sent = "";
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              sent = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
          }
          SdkHttpRequest http = request.httpRequest();
          String target = http.firstMatchingHeader("X-Amz-Target").orElse("");
          String body;
          String type = "application/x-amz-json-1.1";
          if (sent.contains("Action=AssumeRoleWithWebIdentity")) {
            type = "text/xml";
            body = "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>"
                + "<Credentials><AccessKeyId>ASIAWARMUP</AccessKeyId><SecretAccessKey>warm-up</SecretAccessKey><SessionToken>warm-up</SessionToken>"
                + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>" + ARN + "</Arn>"
                + "<AssumedRoleId>AROAWARMUP:warm-up</AssumedRoleId></AssumedRoleUser></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
          } else if (sent.contains("Action=GetCallerIdentity")) {
            type = "text/xml";
            body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>" + ARN
                + "</Arn><UserId>AROAWARMUP:warm-up</UserId><Account>000000000000</Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
          } else if (target.endsWith(".GetAuthorizationToken")) {
            body = "{\"authorizationData\":[{\"authorizationToken\":\"QVdTOndhcm0tdXA=\",\"expiresAt\":4070908800,\"proxyEndpoint\":\"https://127.0.0.1\"}]}";
          } else if (target.endsWith(".DescribeRepositories")) {
            body = "{\"repositories\":[{\"repositoryName\":\"warm-up\",\"imageTagMutability\":\"IMMUTABLE\"}]}";
          } else if (target.endsWith(".GetPublicKey")) {
            body = "{\"KeyId\":\"warm-up\",\"KeySpec\":\"ECC_NIST_P256\",\"KeyUsage\":\"SIGN_VERIFY\",\"PublicKey\":\"AA==\",\"SigningAlgorithms\":[\"ECDSA_SHA_256\"]}";
          } else if (target.endsWith(".Sign")) {
            body = "{\"KeyId\":\"warm-up\",\"Signature\":\"AA==\",\"SigningAlgorithm\":\"ECDSA_SHA_256\"}";
          } else {
            type = "application/xml";
            body = "";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          SdkHttpResponse response = SdkHttpResponse.builder()
              .statusCode(200)
              .putHeader("Content-Type", type)
              .putHeader("Content-Length", Integer.toString(bytes.length))
              .putHeader("ETag", "\"warm-up\"")
              .putHeader("x-amzn-RequestId", "warm-up")
              .build();
          return HttpExecuteResponse.builder().response(response).responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
