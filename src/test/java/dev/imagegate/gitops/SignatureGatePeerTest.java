package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.aws.Ecr;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.ImageSigner;
import dev.imagegate.sign.KeyFileSigner;
import dev.imagegate.sign.PublicKeys;
import dev.imagegate.sign.RegistrySignatureStore;
import dev.imagegate.sign.SignRun;
import dev.imagegate.sign.SignatureStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The signature gate of gitops-update against the real peers: the image is copied (skopeo) into two real registries,
 * the plain one and the "us-east-1 ECR" one (a local registry whose password is moto's ECR token: reachable only
 * through {@link RegistryAuth}'s ECR path), signatures are written with the sign core ({@link ImageSigner},
 * {@link SignRun}) and a key file, and the update runs against the real git server. Every refusal must leave the
 * GitOps branch where it was.
 */
class SignatureGatePeerTest {
  private static final String OLD = "sha-" + "0".repeat(40);
  private static final String TAG = "sha-" + "ab".repeat(20);

  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.sessionToken");
  }

  @Test
  void onlyADigestSignedWithTheKeyInEveryPushedCopyIsWritten() throws Exception {
    String plain = System.getenv("IMAGEGATE_REGISTRY");
    String us = System.getenv("IMAGEGATE_REGISTRY_US_EAST_1");
    String ecrPassword = System.getenv("IMAGEGATE_ECR_PASSWORD");
    String base = System.getenv("IMAGEGATE_BASE_IMAGE");
    String moto = System.getenv("IMAGEGATE_MOTO_URL");
    String gitUrl = System.getenv("IMAGEGATE_GIT_URL");
    String gitUser = System.getenv("IMAGEGATE_GIT_USER");
    String gitPassword = System.getenv("IMAGEGATE_GIT_PASSWORD");
    assumeTrue(plain != null && us != null && ecrPassword != null && base != null && moto != null && gitUrl != null && gitPassword != null,
        "needs the peers: eval \"$(scripts/peers env)\"");

    // the image in two registries, as push leaves it
    String repo = "gate/app" + System.nanoTime();
    run("skopeo", "copy", "-q", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false", "--digestfile", "digest",
        "docker://" + base, "docker://" + plain + "/" + repo + ":v1");
    run("skopeo", "copy", "-q", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds", "AWS:" + ecrPassword,
        "docker://" + base, "docker://" + us + "/" + repo + ":v1");
    String digest = Files.readString(dir.resolve("digest")).trim();
    Path out = Files.createDirectories(dir.resolve("imagegate"));
    Files.writeString(out.resolve("push.json"), "{\"schemaVersion\":1,\"digest\":\"" + digest + "\",\"tag\":\"" + TAG + "\",\"targets\":["
        + "{\"registry\":\"" + plain + "\",\"repository\":\"" + repo + "\",\"auth\":\"anonymous\"},"
        + "{\"registry\":\"" + us + "\",\"repository\":\"" + repo + "\",\"region\":\"us-east-1\",\"ecr\":true,\"account\":\"123456789012\",\"auth\":\"ecr\"}]}");
    String plainRef = plain + "/" + repo + "@" + digest;
    String usRef = us + "/" + repo + "@" + digest;

    // the GitOps repository: one values file
    String name = "gate-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    String repoUrl = GitopsUpdaterPeerTest.run(Path.of("."), "scripts/peers", "git-repo", name).trim();
    String authUrl = repoUrl.replace("http://", "http://" + gitUser + ":" + gitPassword + "@");
    Path seed = Files.createDirectories(dir.resolve("seed/apps/app"));
    Files.writeString(seed.resolve("values-dev.yaml"), "image:\n  tag: " + OLD + "  # imagegate\n");
    Path seedRoot = dir.resolve("seed");
    GitopsUpdaterPeerTest.run(seedRoot, "git", "init", "-q", "-b", "main");
    GitopsUpdaterPeerTest.run(seedRoot, "git", "add", "-A");
    GitopsUpdaterPeerTest.run(seedRoot, "git", "-c", "user.name=t", "-c", "user.email=t@imagegate.dev", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "seed");
    GitopsUpdaterPeerTest.run(seedRoot, "git", "push", "-q", authUrl, "main");
    String seedCommit = tip(authUrl);

    ImageRelease release = ImageRelease.read(out, Optional.empty());
    assertEquals(digest, release.digest());
    GitopsRequest request = new GitopsRequest(repoUrl, "main", Optional.empty(), List.of(ValuesFile.of("apps/app/values-dev.yaml", "image.tag")),
        release, GitopsRequest.DEFAULT_MESSAGE, "bot", "bot@imagegate.dev", Optional.of(new Credential(gitUser, gitPassword)), 3,
        Duration.ofMillis(50), Duration.ofSeconds(30), dir.resolve("work"), false, true, SshOptions.defaults());

    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.pem");
    run("openssl", "pkey", "-in", "key.pem", "-pubout", "-out", "key.pub");
    KeyFileSigner signer = KeyFileSigner.load(dir.resolve("key.pem"), null);
    KeyFileSigner other = KeyFileSigner.load(dir.resolve("other.pem"), null);

    List<String> infos = new CopyOnWriteArrayList<>();
    Reporter reporter = new Reporter() {
      @Override
      public void info(String message) {
        infos.add(message);
      }

      @Override
      public void warn(String message) {}
    };
    // ECR access: temporary credentials (moto's STS is not needed for a token); no settings.xml, no Docker config
    System.setProperty("aws.accessKeyId", "ASIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
    System.setProperty("aws.sessionToken", "token");
    AwsSettings aws = AwsSettings.defaults().withRegion("us-east-1").withEndpoint(moto).withEnvironment(Map.of());
    RegistryOptions options = RegistryOptions.DEFAULTS.withAllowInsecure(true);
    try (RegistryAuth auth = new RegistryAuth(CredentialProvider.NONE, CredentialProvider.NONE, () -> new Ecr(AwsAccess.resolve(aws, reporter), reporter));
        EcrClient admin = EcrClient.builder().endpointOverride(URI.create(moto)).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("admin", "admin"))).build()) {
      VerifiedSignatureGate gate = new VerifiedSignatureGate(out, "key.pub", PublicKeys.read(dir.resolve("key.pub")), auth, options, reporter);
      GitopsUpdater updater = new GitopsUpdater(reporter);

      // 1. unsigned: refused, both copies named, nothing pushed
      GitopsException unsigned = assertThrows(GitopsException.class, () -> updater.update(request, gate));
      assertTrue(unsigned.getMessage().startsWith("Refusing to write " + TAG + " (" + digest + ")"), unsigned.getMessage());
      assertTrue(unsigned.getMessage().contains("No valid signature for " + plainRef), unsigned.getMessage());
      assertTrue(unsigned.getMessage().contains("No valid signature for " + usRef), unsigned.getMessage());
      assertTrue(unsigned.getMessage().contains("no " + digest.replace(':', '-') + ".sig"), unsigned.getMessage());
      assertTrue(unsigned.suggestion().contains("imagegate.gitops.allowUnsigned=true"), unsigned.suggestion());
      assertFalse(unsigned.getMessage().contains("requires credentials"), "the ECR copy must be reached with the ECR token");
      assertEquals(seedCommit, tip(authUrl));

      // 2. signed everywhere, but with another key: refused as INVALID
      new ImageSigner(other, reporter).sign(digest, stores(auth, options, reporter, out), Map.of(), List.of());
      GitopsException otherKey = assertThrows(GitopsException.class, () -> updater.update(request, gate));
      assertTrue(otherKey.getMessage().contains("INVALID"), otherKey.getMessage());
      assertTrue(otherKey.getMessage().contains(plainRef) && otherKey.getMessage().contains(usRef), otherKey.getMessage());
      assertEquals(seedCommit, tip(authUrl));

      // 3. signed with the key in the plain registry only: refused, naming only the ECR copy
      new ImageSigner(signer, reporter).sign(digest, stores(auth, options, reporter, out).subList(0, 1), Map.of(), List.of());
      GitopsException oneCopy = assertThrows(GitopsException.class, () -> updater.update(request, gate));
      assertTrue(oneCopy.getMessage().contains("No valid signature for " + usRef), oneCopy.getMessage());
      assertFalse(oneCopy.getMessage().contains("No valid signature for " + plainRef), oneCopy.getMessage());
      assertEquals(seedCommit, tip(authUrl));

      // 4. the sign goal's core signs every copy in push.json: the gate passes and the tag lands
      admin.createRepository(r -> r.repositoryName(repo).imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
          .imageTagMutabilityExclusionFilters(ImageTagMutabilityExclusionFilter.builder()
              .filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter("sha256-*").build()));
      SignRun.execute(new SignRun.Request(out, signer, auth, options, Map.of(), false, false, "test", "p"),
          reporter);
      GitopsResult result = updater.update(request, gate);
      assertTrue(result.changed());
      String tip = tip(authUrl);
      assertNotEquals(seedCommit, tip);
      assertEquals(result.commit(), tip);
      assertTrue(infos.stream().anyMatch(i -> i.contains(digest + " is signed with key key.pub") && i.endsWith("in all 2 pushed copies")), infos.toString());

      // 5. no key configured: the gate checks every copy with the key sign used, as SignRun recorded it in sign.json
      dev.imagegate.sign.Signers.Access noSecrets = new dev.imagegate.sign.Signers.Access() {
        @Override
        public char[] keyPassword() {
          throw new AssertionError("not needed");
        }

        @Override
        public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider awsCredentials() {
          throw new AssertionError("not needed for a key file");
        }
      };
      SignatureGate byDefault = SignatureGates.choose(
          new SignatureGates.Settings(digest, Optional.empty(), false, out, dir, Optional.empty(), Optional.empty(), options), noSecrets, auth, reporter);
      infos.clear();
      byDefault.check(release);
      assertTrue(infos.stream().anyMatch(i -> i.contains(digest + " is signed with key " + dir.resolve("key.pem")) && i.endsWith("in all 2 pushed copies")),
          infos.toString());
    }
  }

  private static List<SignatureStore> stores(RegistryAuth auth, RegistryOptions options, Reporter reporter, Path out) throws Exception {
    List<SignatureStore> stores = new java.util.ArrayList<>();
    for (var t : dev.imagegate.sign.PushedImage.read(out).targets()) {
      RegistryAuth.Resolved r = auth.resolve(t.registryTarget());
      stores.add(new RegistrySignatureStore(new RegistryClient(r.host(), r.repository(), r.credentials(), options, reporter)));
    }
    return stores;
  }

  private String tip(String authUrl) throws Exception {
    return GitopsUpdaterPeerTest.run(dir, "git", "ls-remote", authUrl, "refs/heads/main").split("\\s+")[0];
  }

  private void run(String... cmd) throws Exception {
    GitopsUpdaterPeerTest.run(dir, cmd);
  }
}
