package dev.imagegate.aws;

import dev.imagegate.Reporter;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.CredentialProvider;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenRequest;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Amazon ECR through the AWS SDK: registry credentials ({@code GetAuthorizationToken}, per region, cached for the
 * run) and the repository's tag-immutability policy ({@code DescribeRepositories}, optionally {@code CreateRepository}).
 *
 * <pre>{@code
 * Ecr ecr = new Ecr(AwsAccess.resolve(settings, reporter), reporter);
 * CredentialProvider creds = ecr.credentials("us-east-1", Optional.of("123456789012"));  // user AWS, token password
 * ecr.ensureRepository("us-east-1", Optional.of("123456789012"), "myapp", create, failOnMutable, scanOnPush);
 * }</pre>
 */
public final class Ecr implements AutoCloseable {
  /** The exclusion filter that keeps cosign's signature and attestation tags appendable. */
  public static final String SIGNATURE_TAG_FILTER = "sha256-*";

  private final AwsAccess aws;
  private final Reporter reporter;
  private final Map<String, EcrClient> clients = new ConcurrentHashMap<>();
  private final Map<String, Credential> tokens = new ConcurrentHashMap<>();

  public Ecr(AwsAccess aws, Reporter reporter) {
    this.aws = aws;
    this.reporter = reporter == null ? Reporter.SILENT : reporter;
  }

  public AwsAccess aws() {
    return aws;
  }

  private EcrClient client(String region) {
    return clients.computeIfAbsent(region, r -> aws.configure(EcrClient.builder(), Region.of(r)).build());
  }

  /**
   * The registry credential (user {@code AWS}, password from the token) for a region's registry. Fetched once per
   * region and account for the run: the token's {@code expiresAt} is not trusted to drive refreshes (12 h on AWS,
   * long past on moto), a 403 with no challenge is the sign of an expired token.
   */
  public Credential authorizationToken(String region, Optional<String> account) throws AwsException {
    String key = region + "/" + account.orElse("");
    Credential cached = tokens.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      GetAuthorizationTokenRequest.Builder req = GetAuthorizationTokenRequest.builder();
      account.ifPresent(a -> req.registryIds(List.of(a)));
      List<AuthorizationData> data = client(region).getAuthorizationToken(req.build()).authorizationData();
      if (data.isEmpty()) {
        throw new AwsException("ECR GetAuthorizationToken in " + region + " returned no token.", "Check the ECR permissions (ecr:GetAuthorizationToken) of the AWS identity.");
      }
      String decoded = new String(Base64.getDecoder().decode(data.get(0).authorizationToken()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new AwsException("ECR GetAuthorizationToken in " + region + " returned a malformed token.", "Check the ECR endpoint configuration.");
      }
      Credential c = new Credential(decoded.substring(0, colon), decoded.substring(colon + 1));
      tokens.put(key, c);
      return c;
    } catch (SdkException e) {
      throw new AwsException(
          SdkFailure.failed("ECR GetAuthorizationToken in " + region, e),
          SdkFailure.fix(e, grant("ecr:GetAuthorizationToken") + " (and check the region)"),
          e);
    }
  }

  /** The fix for a refused call: the permission, and (on its own line: it can be long) who needs it. */
  private String grant(String permission) {
    return "Grant " + permission + " to this build's AWS identity:" + System.lineSeparator() + "       " + aws.source();
  }

  /** A credential provider that answers every host with the region's ECR token (use it for that region's target only). */
  public CredentialProvider credentials(String region, Optional<String> account) {
    return host -> {
      try {
        return Optional.of(authorizationToken(region, account));
      } catch (AwsException e) {
        throw new IllegalStateException(e.getMessage() + " " + e.suggestion(), e);
      }
    };
  }

  /** What {@link #ensureRepository} found or did. */
  public enum RepositoryState {
    IMMUTABLE_WITH_SIGNATURE_EXCLUSION,
    IMMUTABLE,
    CREATED,
    MUTABLE_ACCEPTED
  }

  /**
   * Checks that the repository exists and keeps release tags immutable: {@code IMMUTABLE}, or
   * {@code IMMUTABLE_WITH_EXCLUSION} whose exclusions are only signature tags ({@code sha256-*}).
   *
   * @param create create a missing repository as {@code IMMUTABLE_WITH_EXCLUSION} ({@code sha256-*}), scan on push
   * @param failOnMutable fail (true) or warn (false) when the policy lets release tags be overwritten
   */
  public RepositoryState ensureRepository(String region, Optional<String> account, String repository, boolean create, boolean failOnMutable, boolean scanOnPush)
      throws AwsException {
    EcrClient ecr = client(region);
    Repository repo;
    try {
      repo = ecr.describeRepositories(r -> {
        r.repositoryNames(repository);
        account.ifPresent(r::registryId);
      }).repositories().get(0);
    } catch (RepositoryNotFoundException e) {
      if (!create) {
        throw new AwsException(
            "The ECR repository " + repository + " does not exist in " + region + account.map(a -> " (registry " + a + ")").orElse("") + ".",
            "Create it immutable: aws ecr create-repository --region " + region + " --repository-name " + repository
                + " --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter='" + SIGNATURE_TAG_FILTER
                + "' --image-scanning-configuration scanOnPush=true; or set createRepositories (imagegate.push.createRepositories=true).");
      }
      try {
        ecr.createRepository(r -> {
          r.repositoryName(repository)
              .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
              .imageTagMutabilityExclusionFilters(ImageTagMutabilityExclusionFilter.builder().filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter(SIGNATURE_TAG_FILTER).build())
              .imageScanningConfiguration(s -> s.scanOnPush(scanOnPush));
          account.ifPresent(r::registryId);
        });
      } catch (SdkException ce) {
        throw new AwsException(SdkFailure.failed("ECR CreateRepository " + repository + " in " + region, ce),
            SdkFailure.fix(ce, "Grant ecr:CreateRepository, or create it by hand (aws ecr create-repository, see the push goal's page)."), ce);
      }
      reporter.info("Created ECR repository " + repository + " in " + region + " (IMMUTABLE_WITH_EXCLUSION " + SIGNATURE_TAG_FILTER + ", scan on push " + scanOnPush + ").");
      return RepositoryState.CREATED;
    } catch (SdkException e) {
      throw new AwsException(SdkFailure.failed("ECR DescribeRepositories for " + repository + " in " + region, e),
          SdkFailure.fix(e, grant("ecr:DescribeRepositories")), e);
    }
    ImageTagMutability mutability = repo.imageTagMutability();
    if (mutability == ImageTagMutability.IMMUTABLE) {
      return RepositoryState.IMMUTABLE;
    }
    if (mutability == ImageTagMutability.IMMUTABLE_WITH_EXCLUSION
        && !repo.imageTagMutabilityExclusionFilters().isEmpty()
        && repo.imageTagMutabilityExclusionFilters().stream().allMatch(f -> f.filter() != null && f.filter().startsWith("sha256-"))) {
      return RepositoryState.IMMUTABLE_WITH_SIGNATURE_EXCLUSION;
    }
    String what = "The ECR repository " + repository + " in " + region + " is " + repo.imageTagMutabilityAsString()
        + (repo.imageTagMutabilityExclusionFilters().isEmpty() ? "" : " with exclusions " + repo.imageTagMutabilityExclusionFilters().stream().map(ImageTagMutabilityExclusionFilter::filter).toList())
        + ": release tags could be overwritten.";
    String fix = mutabilityFix(region, account, repository);
    if (failOnMutable) {
      throw new AwsException(what, fix + "   (or, to only warn, set failOnMutableRepository=false / -Dimagegate.push.failOnMutableRepository=false)");
    }
    reporter.warn(what + " Fix: " + fix);
    return RepositoryState.MUTABLE_ACCEPTED;
  }

  /** The command that makes a repository immutable except for cosign's signature tags. */
  static String mutabilityFix(String region, Optional<String> account, String repository) {
    return "aws ecr put-image-tag-mutability --region " + region + " --repository-name " + repository + account.map(a -> " --registry-id " + a).orElse("")
        + " --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter='" + SIGNATURE_TAG_FILTER + "'";
  }

  /** What a repository's tag policy means for cosign's signature tags ({@code sha256-<hex>.sig} / {@code .att}, which sign appends to). */
  public enum SignatureTags {
    /** {@code IMMUTABLE_WITH_EXCLUSION} whose exclusions cover the signature tags: release tags frozen, signatures appendable. */
    APPENDABLE,
    /** The signature tags are immutable ({@code IMMUTABLE}, or exclusions that miss them): a second signature or attestation could never be added. */
    FROZEN,
    /** Tags are mutable: signatures can be appended, but release tags could be overwritten too. */
    MUTABLE
  }

  private static final List<String> SAMPLE_SIGNATURE_TAGS =
      List.of("sha256-" + "0".repeat(64) + ".sig", "sha256-" + "0".repeat(64) + ".att");

  /**
   * Classifies a tag policy for the signature tags.
   *
   * @param mutability {@code IMMUTABLE}, {@code IMMUTABLE_WITH_EXCLUSION}, {@code MUTABLE}, {@code MUTABLE_WITH_EXCLUSION}
   * @param exclusionFilters the WILDCARD filters ({@code *} matches any run of characters)
   */
  public static SignatureTags signatureTags(String mutability, List<String> exclusionFilters) {
    boolean covered = exclusionFilters.stream().anyMatch(f -> f != null && SAMPLE_SIGNATURE_TAGS.stream().allMatch(t -> wildcard(f, t)));
    String m = mutability == null ? "" : mutability;
    return switch (m) {
      case "IMMUTABLE" -> SignatureTags.FROZEN;
      case "IMMUTABLE_WITH_EXCLUSION" -> covered ? SignatureTags.APPENDABLE : SignatureTags.FROZEN;
      case "MUTABLE_WITH_EXCLUSION" -> covered ? SignatureTags.FROZEN : SignatureTags.MUTABLE;
      default -> SignatureTags.MUTABLE;
    };
  }

  private static boolean wildcard(String filter, String tag) {
    return tag.matches(Arrays.stream(filter.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }

  /**
   * Checks, before anything is signed, that the repository lets signatures be appended: fails for immutable signature
   * tags with the exact fix, warns for mutable repositories.
   */
  public SignatureTags checkSignatureTags(String region, Optional<String> account, String repository) throws AwsException {
    Repository repo;
    try {
      repo = client(region).describeRepositories(r -> {
        r.repositoryNames(repository);
        account.ifPresent(r::registryId);
      }).repositories().get(0);
    } catch (RepositoryNotFoundException e) {
      throw new AwsException(
          "The ECR repository " + repository + " does not exist in " + region + account.map(a -> " (registry " + a + ")").orElse("") + ": there is nothing to sign.",
          "Run imagegate:push first (it runs before sign in the deploy phase).", e);
    } catch (SdkException e) {
      throw new AwsException(SdkFailure.failed("ECR DescribeRepositories for " + repository + " in " + region, e),
          SdkFailure.fix(e, grant("ecr:DescribeRepositories")), e);
    }
    List<String> filters = repo.imageTagMutabilityExclusionFilters().stream().map(ImageTagMutabilityExclusionFilter::filter).toList();
    SignatureTags state = signatureTags(repo.imageTagMutabilityAsString(), filters);
    String what = "The ECR repository " + repository + " in " + region + " is " + repo.imageTagMutabilityAsString() + (filters.isEmpty() ? "" : " with exclusions " + filters);
    switch (state) {
      case FROZEN -> throw new AwsException(
          what + ": cosign's signature tags (" + SIGNATURE_TAG_FILTER + ".sig/.att) are immutable, so signatures and attestations could not be appended. Nothing was signed.",
          mutabilityFix(region, account, repository));
      case MUTABLE -> reporter.warn(what + ": signatures can be appended, but release tags could be overwritten. Fix: " + mutabilityFix(region, account, repository));
      default -> { }
    }
    return state;
  }

  @Override
  public void close() {
    clients.values().forEach(EcrClient::close);
  }
}
