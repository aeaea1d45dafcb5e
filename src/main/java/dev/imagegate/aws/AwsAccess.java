package dev.imagegate.aws;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * AWS credentials and client configuration for every goal that talks to AWS (ECR for {@code push}, KMS for
 * {@code sign}, S3 for {@code audit}).
 *
 * <h2>API</h2>
 * <pre>{@code
 * AwsAccess aws = AwsAccess.resolve(AwsSettings.defaults().withRoleArn(roleArn).withRegion("us-west-2"), reporter);
 * EcrClient ecr = aws.configure(EcrClient.builder(), Region.of("us-east-1")).build();   // creds, region, endpoint, HTTP client
 * KmsClient kms = aws.configure(KmsClient.builder(), aws.region()).build();
 * String who = aws.callerArn();        // STS GetCallerIdentity, cached
 * AwsCredentialsProvider p = aws.credentialsProvider();
 * }</pre>
 *
 * <h2>Where credentials come from, in order</h2>
 * <ol>
 *   <li>{@code roleArn} set and GitHub Actions OIDC variables present ({@code ACTIONS_ID_TOKEN_REQUEST_URL},
 *       {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}): fetch an OIDC token for audience {@code sts.amazonaws.com} and exchange
 *       it with STS {@code AssumeRoleWithWebIdentity} (refreshed before expiry with a new OIDC token).</li>
 *   <li>{@code roleArn} set and {@code AWS_WEB_IDENTITY_TOKEN_FILE} present: the same exchange with the file's token.</li>
 *   <li>Otherwise the AWS SDK v2 default chain (environment, {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN},
 *       profiles, SSO, container and instance credentials).</li>
 * </ol>
 * The GitHub token request is {@link GithubOidcClient}'s. Exchanges are kept per build session ({@link AwsSessionCache}).
 * Credentials without a session token (long-lived IAM user keys, {@code AKIA…}) are refused unless
 * {@link AwsSettings#allowStaticCredentials()}. Nothing secret is logged or written.
 */
public final class AwsAccess {
  public static final String OIDC_AUDIENCE = "sts.amazonaws.com";

  private final AwsSettings settings;
  private final AwsCredentialsProvider provider;
  private final Region region;
  private final String source;
  private String callerArn;

  private AwsAccess(AwsSettings settings, AwsCredentialsProvider provider, Region region, String source) {
    this.settings = settings;
    this.provider = provider;
    this.region = region;
    this.source = source;
  }

  /**
   * Resolves credentials now (so a refusal or an STS failure surfaces at once) and checks they are not static keys.
   */
  public static AwsAccess resolve(AwsSettings settings, Reporter reporter) throws AwsException {
    // web-identity exchanges are kept for the build session only (AwsSettings#sessions), never JVM-wide
    AwsAccess earlier = settings.sessions().get(settings);
    if (earlier != null) {
      reporter.debug("AWS credentials from " + earlier.source + " (the session of an earlier goal), region " + earlier.region);
      return earlier;
    }
    Region region = region(settings);
    Map<String, String> env = settings.environment();
    String oidcUrl = env.get("ACTIONS_ID_TOKEN_REQUEST_URL");
    String oidcToken = env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    AwsCredentialsProvider provider;
    String source;
    boolean exchange = true;
    if (settings.roleArn().isPresent() && notBlank(oidcUrl) && notBlank(oidcToken)) {
      String roleArn = settings.roleArn().get();
      String session = settings.sessionName().orElseGet(() -> sessionName(env));
      GithubOidcClient oidc = new GithubOidcClient(oidcUrl, oidcToken);
      provider = webIdentity(region, settings, roleArn, session, () -> oidc.fetchToken(OIDC_AUDIENCE));
      source = "GitHub Actions OIDC -> STS AssumeRoleWithWebIdentity " + roleArn + " (session " + session + ")";
    } else if (settings.roleArn().isPresent() && notBlank(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"))) {
      String roleArn = settings.roleArn().get();
      String session = settings.sessionName().orElseGet(() -> sessionName(env));
      java.nio.file.Path tokenFile = java.nio.file.Path.of(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"));
      provider = webIdentity(region, settings, roleArn, session, () -> readTokenFile(tokenFile));
      source = "web identity token file -> STS AssumeRoleWithWebIdentity " + roleArn + " (session " + session + ")";
    } else {
      if (settings.roleArn().isPresent()) {
        reporter.info("roleArn is set but ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not (no GitHub Actions OIDC; add 'permissions: id-token: write' to the workflow): using the AWS SDK default credential chain.");
      }
      provider = DefaultCredentialsProvider.builder().build();
      source = "AWS SDK default credential chain";
      exchange = false;
    }
    AwsCredentials credentials;
    try {
      credentials = provider.resolveCredentials();
    } catch (SdkException | GithubOidcClient.OidcException e) {
      throw new AwsException(
          "Cannot get AWS credentials (" + source + "): " + message(e),
          settings.roleArn().isPresent()
              ? "Check that the role " + settings.roleArn().get() + " trusts the GitHub OIDC provider (audience " + OIDC_AUDIENCE + ") for this repository and that the workflow has 'permissions: id-token: write'."
              : SdkFailure.CREDENTIALS_FIX,
          e);
    }
    if (!(credentials instanceof AwsSessionCredentials)) {
      String key = credentials.accessKeyId();
      String kind = key != null && key.startsWith("AKIA") ? "long-lived IAM user keys (AKIA…)" : "static access keys without a session token";
      if (!settings.allowStaticCredentials()) {
        throw new AwsException(
            "Refusing AWS credentials from " + source + ": they are " + kind + ".",
            "Use short-lived credentials: GitHub Actions OIDC with imagegate.aws.roleArn, SSO or a role;" + System.lineSeparator()
                + "       or, knowingly, set allowStaticCredentials (-Dimagegate.aws.allowStaticCredentials=true).");
      }
      reporter.warn("Using " + kind + " because allowStaticCredentials is set; prefer OIDC or role credentials.");
    }
    reporter.debug("AWS credentials from " + source + ", region " + region);
    AwsAccess access = new AwsAccess(settings, provider, region, source);
    return exchange ? settings.sessions().keep(settings, access) : access;
  }

  /**
   * The HTTP client of the SDK clients the goals make (STS, ECR, S3, KMS), one per JVM and never closed. It is built at
   * its first use, not with this class: building it makes an {@code SSLContext} and reads the JDK's trust store
   * (~0.2 s of CPU in a fresh JVM), which credentials from the environment or a profile never need.
   */
  public static SdkHttpClient httpClient() {
    return SharedHttp.CLIENT;
  }

  private static final class SharedHttp {
    static final SdkHttpClient CLIENT = UrlConnectionHttpClient.builder().build();
  }

  /** The provider to hand to any AWS SDK client. */
  public AwsCredentialsProvider credentialsProvider() {
    return provider;
  }

  /** The default region. */
  public Region region() {
    return region;
  }

  /** Where the credentials came from, for logs (no secrets). */
  public String source() {
    return source;
  }

  /**
   * Whether clients go to an endpoint other than AWS's own: {@code endpoint} configured, or {@code AWS_ENDPOINT_URL} /
   * {@code AWS_ENDPOINT_URL_<SERVICE>} set (an emulator or an S3-compatible store, which needs path-style bucket URLs).
   */
  public boolean endpointOverridden(String service) {
    Map<String, String> env = settings.environment();
    return settings.endpoint().isPresent() || notBlank(env.get("AWS_ENDPOINT_URL")) || notBlank(env.get("AWS_ENDPOINT_URL_" + service));
  }

  /**
   * Credentials from STS AssumeRoleWithWebIdentity, asked anonymously with a fresh web identity token (GitHub's OIDC
   * token, or the token file) at every refresh.
   */
  private static AwsCredentialsProvider webIdentity(
      Region region, AwsSettings settings, String roleArn, String session, java.util.function.Supplier<String> token) {
    StsClient sts = configureStatic(StsClient.builder(), region, settings).credentialsProvider(AnonymousCredentialsProvider.create()).build();
    return StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
        .stsClient(sts)
        .asyncCredentialUpdateEnabled(false)
        .refreshRequest(() -> AssumeRoleWithWebIdentityRequest.builder()
            .roleArn(roleArn)
            .roleSessionName(session)
            .webIdentityToken(token.get())
            .build())
        .build();
  }

  /** Sets credentials, region, endpoint override and the HTTP client on an SDK client builder. */
  public <B extends AwsClientBuilder<B, ?>> B configure(B builder, Region clientRegion) {
    configureStatic(builder, clientRegion == null ? region : clientRegion, settings);
    builder.credentialsProvider(provider);
    return builder;
  }

  /** The STS caller identity ARN of these credentials (cached); who pushed, for push.json and the audit record. */
  public synchronized String callerArn() throws AwsException {
    if (callerArn == null) {
      try (StsClient sts = configure(StsClient.builder(), region).build()) {
        callerArn = sts.getCallerIdentity().arn();
      } catch (SdkException e) {
        throw new AwsException("STS GetCallerIdentity failed: " + message(e), "Check the AWS credentials and the STS endpoint.", e);
      }
    }
    return callerArn;
  }

  @SuppressWarnings("unchecked")
  private static <B extends AwsClientBuilder<B, ?>> B configureStatic(B builder, Region region, AwsSettings settings) {
    builder.region(region);
    settings.endpoint().ifPresent(builder::endpointOverride);
    if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClient(httpClient());
    }
    return builder;
  }

  private static Region region(AwsSettings settings) {
    if (settings.region().isPresent()) {
      return Region.of(settings.region().get());
    }
    String env = settings.environment().getOrDefault("AWS_REGION", settings.environment().get("AWS_DEFAULT_REGION"));
    if (notBlank(env)) {
      return Region.of(env);
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      return Region.US_EAST_1;
    }
  }

  static String sessionName(Map<String, String> env) {
    String run = env.get("GITHUB_RUN_ID");
    String name = notBlank(run) ? "imagegate-" + run + "-" + env.getOrDefault("GITHUB_RUN_ATTEMPT", "1") : "imagegate";
    name = name.replaceAll("[^\\w+=,.@-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private static String readTokenFile(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readString(file).trim();
    } catch (IOException e) {
      throw new GithubOidcClient.OidcException("cannot read the web identity token file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String message(Throwable e) {
    return SdkFailure.describe(e);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** Whether the environment has GitHub Actions OIDC request variables. */
  public static boolean oidcAvailable(Map<String, String> env) {
    return notBlank(env.get("ACTIONS_ID_TOKEN_REQUEST_URL")) && notBlank(env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"));
  }

  Optional<String> roleArn() {
    return settings.roleArn();
  }
}
