package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.aws.Ecr;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.RegistryOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;

/**
 * {@link SignRun} against ECR targets as push.json records them: the two local "regions" (real registries behind
 * moto's ECR token) and moto's ECR API for the repositories' tag policies. Without any settings.xml or Docker config
 * credentials, so the registries can only be reached with the ECR token.
 */
class SignRunEcrTest {
  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.sessionToken");
  }

  @Test
  void anImmutableRegionFailsBeforeAnyRegionIsWrittenAndAMutableOneOnlyWarns() throws Exception {
    String us = System.getenv("IMAGEGATE_REGISTRY_US_EAST_1");
    String eu = System.getenv("IMAGEGATE_REGISTRY_US_WEST_2");
    String password = System.getenv("IMAGEGATE_ECR_PASSWORD");
    String base = System.getenv("IMAGEGATE_BASE_IMAGE");
    String moto = System.getenv("IMAGEGATE_MOTO_URL");
    assumeTrue(us != null && eu != null && password != null && base != null && moto != null, "needs the peers: eval \"$(scripts/peers env)\"");
    String repo = "signrun/app" + System.nanoTime();
    for (String reg : List.of(us, eu)) {
      Tools.ok(dir, Map.of(), "skopeo", "copy", "-q", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
          "--dest-creds", "AWS:" + password, "--digestfile", "digest", "docker://" + base, "docker://" + reg + "/" + repo + ":v1");
    }
    String digest = Files.readString(dir.resolve("digest")).trim();
    Path out = Files.createDirectories(dir.resolve("imagegate"));
    // push.json as push writes it for two ECR regions reached through local endpoints
    Files.writeString(out.resolve("push.json"), "{\"schemaVersion\":1,\"digest\":\"" + digest + "\",\"targets\":["
        + "{\"registry\":\"" + us + "\",\"repository\":\"" + repo + "\",\"region\":\"us-east-1\",\"ecr\":true,\"account\":\"123456789012\",\"auth\":\"ecr\"},"
        + "{\"registry\":\"" + eu + "\",\"repository\":\"" + repo + "\",\"region\":\"us-west-2\",\"ecr\":true}]}");
    try (EcrClient usAdmin = admin(moto, Region.US_EAST_1); EcrClient euAdmin = admin(moto, Region.US_WEST_2)) {
      usAdmin.createRepository(r -> r.repositoryName(repo).imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
          .imageTagMutabilityExclusionFilters(ImageTagMutabilityExclusionFilter.builder().filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter("sha256-*").build()));
      euAdmin.createRepository(r -> r.repositoryName(repo).imageTagMutability(ImageTagMutability.IMMUTABLE));

      Tools.ok(dir, Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
      KeyFileSigner signer = KeyFileSigner.load(dir.resolve("key.pem"), null);
      List<String> warnings = new CopyOnWriteArrayList<>();
      Reporter reporter = new Reporter() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      };
      System.setProperty("aws.accessKeyId", "ASIAIOSFODNN7EXAMPLE");
      System.setProperty("aws.secretAccessKey", "secret");
      System.setProperty("aws.sessionToken", "token");
      AwsSettings aws = AwsSettings.defaults().withRegion("us-east-1").withEndpoint(moto).withEnvironment(Map.of());

      try (RegistryAuth auth = new RegistryAuth(CredentialProvider.NONE, CredentialProvider.NONE, () -> new Ecr(AwsAccess.resolve(aws, reporter), reporter))) {
        SignRun.Request request = new SignRun.Request(out, signer, auth, RegistryOptions.DEFAULTS.withAllowInsecure(true), Map.of(),
            false, false, "test", "p");
        ImagegateException e = assertThrows(ImagegateException.class, () -> SignRun.execute(request, reporter));
        assertTrue(e.getMessage().contains("in us-west-2 is IMMUTABLE"), e.getMessage());
        assertTrue(e.suggestion().contains("--image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter='sha256-*'"), e.suggestion());
        assertFalse(Files.exists(out.resolve("sign.json")));
        String sigTag = digest.replace(':', '-') + ".sig";
        for (String reg : List.of(us, eu)) {
          Tools.Result r = Tools.run(dir, Map.of(), List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "AWS:" + password, "docker://" + reg + "/" + repo + ":" + sigTag));
          assertNotEquals(0, r.exit(), "nothing may be written in " + reg + " before every region is checked");
        }

        euAdmin.putImageTagMutability(r -> r.repositoryName(repo).imageTagMutability(ImageTagMutability.MUTABLE));
        SignRun.Outcome outcome = SignRun.execute(request, reporter);
        assertEquals(2, outcome.results().size());
        assertTrue(outcome.results().stream().allMatch(ImageSigner.Result::signatureAdded));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("in us-west-2 is MUTABLE"), warnings.get(0));
        assertTrue(Files.exists(out.resolve("sign.json")));
        for (String reg : List.of(us, eu)) {
          Tools.ok(dir, Map.of(), "skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "AWS:" + password, "docker://" + reg + "/" + repo + ":" + sigTag);
        }
      }
    }
  }

  private static EcrClient admin(String moto, Region region) {
    return EcrClient.builder().endpointOverride(URI.create(moto)).region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("admin", "admin"))).build();
  }
}
