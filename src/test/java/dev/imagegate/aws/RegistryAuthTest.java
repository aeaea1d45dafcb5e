package dev.imagegate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.ImagegateException;
import dev.imagegate.WarningsReporter;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.DockerConfigCredentials;
import dev.imagegate.registry.RegistryException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Per-target credential resolution, with moto's real ECR for tokens and repository policies (needs the peers' env,
 * {@code IMAGEGATE_MOTO_URL}), a real Docker config file, and a map standing in for settings.xml servers (Maven's
 * decryption is Maven's, the resolver only asks by id).
 */
class RegistryAuthTest {
  @TempDir Path dir;

  private final Map<String, Credential> servers = Map.of(
      "registry.example.com", new Credential("host-user", "host-pass"),
      "my-server", new Credential("id-user", "id-pass"));
  private final CredentialProvider settings = id -> Optional.ofNullable(servers.get(id));
  private final WarningsReporter reporter = new WarningsReporter();
  private final List<String> warnings = reporter.warnings();

  @AfterEach
  void clearProperties() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.sessionToken");
  }

  private static final RegistryAuth.EcrOpener NO_AWS = () -> {
    throw new AssertionError("AWS must not be opened for a non-ECR target");
  };

  private Ecr motoEcr() throws ImagegateException {
    String moto = AwsAccessTest.moto();
    System.setProperty("aws.accessKeyId", "ASIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
    System.setProperty("aws.sessionToken", "token");
    return new Ecr(AwsAccess.resolve(AwsSettings.defaults().withRegion("us-east-1").withEndpoint(moto).withEnvironment(Map.of()), reporter), reporter);
  }

  private static RegistryAuth.Target target(String registry, String endpoint, String region, String auth, String serverId) {
    return new RegistryAuth.Target(registry, endpoint, "myapp", region, auth, serverId, null);
  }

  private Path dockerConfig(String host, String user, String password) throws Exception {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void ecrHostsGetTheirRegionsTokenAndAwsIsOpenedOnce() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    try (RegistryAuth auth = new RegistryAuth(settings, CredentialProvider.NONE, () -> {
      opened.incrementAndGet();
      return motoEcr();
    })) {
      RegistryAuth.Resolved us = auth.resolve(target("123456789012.dkr.ecr.us-east-1.amazonaws.com", "127.0.0.1:1", null, null, null));
      assertEquals(RegistryAuth.Kind.ECR, us.kind());
      assertEquals("127.0.0.1:1", us.host(), "the endpoint is spoken to");
      assertEquals(Optional.of("us-east-1"), us.region());
      assertEquals(Optional.of("123456789012"), us.account());
      Credential c = us.credentials().forRegistry("127.0.0.1:1").orElseThrow();
      assertEquals("AWS", c.username());
      String expected = System.getenv("IMAGEGATE_ECR_PASSWORD");
      if (expected != null) {
        assertEquals(expected, c.password(), "moto's ECR token password");
      }
      // a push.json target: the host pushed to, with the region and auth push recorded
      RegistryAuth.Resolved eu = auth.resolve(new RegistryAuth.Target("127.0.0.1:2", null, "myapp", "us-west-2", "ecr", null, ""));
      assertTrue(eu.ecr());
      assertEquals(Optional.of("us-west-2"), eu.region());
      assertEquals(Optional.empty(), eu.account());
      assertEquals("AWS", eu.credentials().forRegistry("127.0.0.1:2").orElseThrow().username());
      assertEquals(1, opened.get());
      assertTrue(auth.openedEcr().isPresent());
      // who pushed to ECR: the STS identity of the AWS credentials
      RegistryAuth.Identity who = auth.identify(us);
      assertTrue(who.who().startsWith("arn:aws:sts::"), who.who());
      assertTrue(who.how().startsWith("ECR authorization token"), who.how());
    }
  }

  @Test
  void whoPushedIsTheIdentityTheTargetAuthenticatesAsNeverASecret() throws Exception {
    DockerConfigCredentials docker = new DockerConfigCredentials(dockerConfig("docker.example.com", "docker-user", "docker-pass"));
    try (RegistryAuth auth = new RegistryAuth(settings, docker, NO_AWS)) {
      RegistryAuth.Identity byId = auth.identify(auth.resolve(target("registry.example.com", null, null, "settings", "my-server")));
      assertEquals(new RegistryAuth.Identity("basic:id-user", "settings.xml server my-server (basic auth)"), byId);
      RegistryAuth.Identity byHost = auth.identify(auth.resolve(target("registry.example.com", "127.0.0.1:9", null, null, null)));
      assertEquals("basic:host-user", byHost.who());
      assertEquals("settings.xml server registry.example.com (basic auth)", byHost.how());
      RegistryAuth.Identity fromDocker = auth.identify(auth.resolve(target("docker.example.com", null, null, null, null)));
      assertEquals(new RegistryAuth.Identity("docker-config:docker.example.com", "Docker config credentials for docker.example.com"), fromDocker);
      assertEquals("docker-config:docker.example.com", auth.identify(auth.resolve(target("docker.example.com", null, null, "docker", null))).who());
      assertEquals("anonymous", auth.identify(auth.resolve(target("nobody.example.com", null, null, null, null))).who());
      assertEquals("anonymous", auth.identify(auth.resolve(target("registry.example.com", null, null, "anonymous", null))).who());
      for (RegistryAuth.Identity i : List.of(byId, byHost, fromDocker)) {
        assertFalse(i.toString().contains("pass"), i.toString());
      }
    }
  }

  @Test
  void resolveAllChecksEveryRegionAtOnceOpensAwsOnceAndNamesTheFirstFailure() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    List<String> checked = new CopyOnWriteArrayList<>();
    List<RegistryAuth.Target> targets = List.of(
        target("123456789012.dkr.ecr.us-east-1.amazonaws.com", "127.0.0.1:1", null, null, null),
        target("123456789012.dkr.ecr.us-west-2.amazonaws.com", "127.0.0.1:2", null, null, null),
        target("127.0.0.1:3", null, null, "anonymous", null));
    try (RegistryAuth auth = new RegistryAuth(settings, CredentialProvider.NONE, () -> {
      opened.incrementAndGet();
      return motoEcr();
    })) {
      List<RegistryAuth.Resolved> all = auth.resolveAll(targets, (ecr, r) -> checked.add(r.region().orElseThrow()));
      assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"), all.stream().map(RegistryAuth.Resolved::host).toList(), "target order");
      assertEquals(List.of(Optional.of("us-east-1"), Optional.of("us-west-2"), Optional.empty()), all.stream().map(RegistryAuth.Resolved::region).toList());
      assertEquals(Set.of("us-east-1", "us-west-2"), Set.copyOf(checked), "each ECR target checked once, the anonymous one not");
      assertEquals(2, checked.size());
      assertEquals(1, opened.get(), "AWS opened once for both regions");

      // both checks fail: the first target's failure is the one reported, and nothing is left running
      RegistryException e = assertThrows(RegistryException.class, () -> auth.resolveAll(targets, (ecr, r) -> {
        throw new RegistryException("no repository in " + r.region().orElseThrow(), "create it");
      }));
      assertEquals("no repository in us-east-1", e.getMessage());
    }
  }

  @Test
  void ecrWithoutRegionFailsWithTheFixBeforeOpeningAws() {
    try (RegistryAuth auth = new RegistryAuth(settings, CredentialProvider.NONE, NO_AWS)) {
      RegistryException e = assertThrows(RegistryException.class, () -> auth.resolve(target("127.0.0.1:5000", null, null, "ecr", null)));
      assertTrue(e.getMessage().contains("has no region"), e.getMessage());
      assertTrue(e.suggestion().contains("<region>"), e.suggestion());
      assertFalse(auth.openedEcr().isPresent());
    }
  }

  @Test
  void settingsUseTheServerIdElseTheRegistryHost() throws Exception {
    try (RegistryAuth auth = new RegistryAuth(settings, CredentialProvider.NONE, NO_AWS)) {
      RegistryAuth.Resolved byHost = auth.resolve(target("registry.example.com", "127.0.0.1:9", null, "settings", null));
      assertEquals("host-user", byHost.credentials().forRegistry("127.0.0.1:9").orElseThrow().username());
      RegistryAuth.Resolved byId = auth.resolve(target("registry.example.com", null, null, "SETTINGS", "my-server"));
      assertEquals("id-pass", byId.credentials().forRegistry("registry.example.com").orElseThrow().password());
      assertEquals(Optional.of("my-server"), byId.serverId());
      assertTrue(auth.resolve(target("other.example.com", null, null, "settings", null)).credentials().forRegistry("other.example.com").isEmpty());
    }
  }

  @Test
  void autoTriesSettingsThenDockerConfigThenNothing() throws Exception {
    DockerConfigCredentials docker = new DockerConfigCredentials(dockerConfig("docker.example.com", "docker-user", "docker-pass"));
    try (RegistryAuth auth = new RegistryAuth(settings, docker, NO_AWS)) {
      RegistryAuth.Resolved fromSettings = auth.resolve(target("registry.example.com", null, null, null, null));
      assertEquals(RegistryAuth.Kind.AUTO, fromSettings.kind());
      assertEquals("host-user", fromSettings.credentials().forRegistry("registry.example.com").orElseThrow().username());
      RegistryAuth.Resolved fromDocker = auth.resolve(target("docker.example.com", null, null, "auto", null));
      assertEquals("docker-pass", fromDocker.credentials().forRegistry("docker.example.com").orElseThrow().password());
      assertTrue(auth.resolve(target("nobody.example.com", null, null, "", null)).credentials().forRegistry("nobody.example.com").isEmpty());
      RegistryAuth.Resolved onlyDocker = auth.resolve(target("docker.example.com", null, null, "docker", null));
      assertEquals("docker-user", onlyDocker.credentials().forRegistry("docker.example.com").orElseThrow().username());
      RegistryAuth.Resolved anonymous = auth.resolve(target("registry.example.com", null, null, "anonymous", null));
      assertTrue(anonymous.credentials().forRegistry("registry.example.com").isEmpty(), "anonymous sends nothing even when settings has a server");
    }
  }

  @Test
  void unknownAuthAndMissingRegistryAreRefused() {
    try (RegistryAuth auth = new RegistryAuth(settings, CredentialProvider.NONE, NO_AWS)) {
      RegistryException unknown = assertThrows(RegistryException.class, () -> auth.resolve(target("registry.example.com", null, null, "kerberos", null)));
      assertTrue(unknown.getMessage().contains("'kerberos'"), unknown.getMessage());
      assertTrue(unknown.suggestion().contains("ecr, settings, docker, anonymous, auto"));
      RegistryException none = assertThrows(RegistryException.class, () -> auth.resolve(target(" ", null, null, null, null)));
      assertTrue(none.getMessage().contains("no <registry>"), none.getMessage());
    }
  }

  @Test
  void signatureTagPolicies() {
    assertEquals(Ecr.SignatureTags.FROZEN, Ecr.signatureTags("IMMUTABLE", List.of()));
    assertEquals(Ecr.SignatureTags.APPENDABLE, Ecr.signatureTags("IMMUTABLE_WITH_EXCLUSION", List.of("sha256-*")));
    assertEquals(Ecr.SignatureTags.APPENDABLE, Ecr.signatureTags("IMMUTABLE_WITH_EXCLUSION", List.of("dev-*", "*")));
    assertEquals(Ecr.SignatureTags.FROZEN, Ecr.signatureTags("IMMUTABLE_WITH_EXCLUSION", List.of("dev-*")));
    assertEquals(Ecr.SignatureTags.FROZEN, Ecr.signatureTags("IMMUTABLE_WITH_EXCLUSION", List.of("sha256-*.sig")), "the .att tags stay frozen");
    assertEquals(Ecr.SignatureTags.MUTABLE, Ecr.signatureTags("MUTABLE", List.of()));
    assertEquals(Ecr.SignatureTags.MUTABLE, Ecr.signatureTags("MUTABLE_WITH_EXCLUSION", List.of("release-*")));
    assertEquals(Ecr.SignatureTags.FROZEN, Ecr.signatureTags("MUTABLE_WITH_EXCLUSION", List.of("sha256-*")));
  }

  @Test
  void signatureTagsCheckedAgainstMotoRepositories() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (EcrClient admin = EcrClient.builder().endpointOverride(URI.create(AwsAccessTest.moto())).region(Region.US_WEST_2)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("admin", "admin"))).build();
        Ecr ecr = motoEcr()) {
      admin.createRepository(r -> r.repositoryName("frozen-" + suffix).imageTagMutability(ImageTagMutability.IMMUTABLE));
      admin.createRepository(r -> r.repositoryName("signable-" + suffix).imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
          .imageTagMutabilityExclusionFilters(ImageTagMutabilityExclusionFilter.builder().filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter("sha256-*").build()));
      admin.createRepository(r -> r.repositoryName("mutable-" + suffix).imageTagMutability(ImageTagMutability.MUTABLE));

      AwsException frozen = assertThrows(AwsException.class, () -> ecr.checkSignatureTags("us-west-2", Optional.of("123456789012"), "frozen-" + suffix));
      assertTrue(frozen.getMessage().contains("is IMMUTABLE"), frozen.getMessage());
      assertTrue(frozen.getMessage().contains("Nothing was signed"), frozen.getMessage());
      assertEquals("aws ecr put-image-tag-mutability --region us-west-2 --repository-name frozen-" + suffix + " --registry-id 123456789012"
          + " --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter='sha256-*'", frozen.suggestion());

      assertEquals(Ecr.SignatureTags.APPENDABLE, ecr.checkSignatureTags("us-west-2", Optional.empty(), "signable-" + suffix));
      assertTrue(warnings.isEmpty(), warnings.toString());
      assertEquals(Ecr.SignatureTags.MUTABLE, ecr.checkSignatureTags("us-west-2", Optional.empty(), "mutable-" + suffix));
      assertEquals(1, warnings.size());
      assertTrue(warnings.get(0).contains("MUTABLE") && warnings.get(0).contains("put-image-tag-mutability"), warnings.get(0));

      AwsException missing = assertThrows(AwsException.class, () -> ecr.checkSignatureTags("us-east-1", Optional.empty(), "signable-" + suffix));
      assertTrue(missing.getMessage().contains("does not exist in us-east-1"), missing.getMessage());
    }
  }
}
