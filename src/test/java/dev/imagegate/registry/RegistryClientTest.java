package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real CNCF registries of scripts/peers (plain, and a Basic-auth "ECR region"): run with the peers' env
 * exported ({@code eval "$(scripts/peers env)"}); skipped without it.
 */
class RegistryClientTest {
  static final RegistryOptions INSECURE = RegistryOptions.DEFAULTS.withAllowInsecure(true);

  static String env(String name) {
    String v = System.getenv(name);
    Assumptions.assumeTrue(v != null && !v.isBlank(), name + " is not set: start scripts/peers and eval its env");
    return v;
  }

  static String repo() {
    return "test/registry-client-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static byte[] config(String text) {
    return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"x\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] manifest(String configDigest, long configSize, String layerDigest, long layerSize) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + configSize + "},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layerSize + "}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripOnPlainRegistry() throws Exception {
    String host = env("IMAGEGATE_REGISTRY");
    RegistryClient client = new RegistryClient(host, repo(), CredentialProvider.NONE, INSECURE, Reporter.SILENT);
    byte[] layer = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(layer);
    String layerDigest = Digests.sha256(layer);
    assertFalse(client.hasBlob(layerDigest));
    AtomicLong lastProgress = new AtomicLong();
    long sent = client.uploadBlob(BlobSource.of(layerDigest, ByteBuffer.wrap(layer)), (r, d, s, t) -> lastProgress.set(s));
    assertEquals(layer.length, sent);
    assertEquals(layer.length, lastProgress.get());
    assertTrue(client.hasBlob(layerDigest));
    assertArrayEquals(layer, client.getBlob(layerDigest));

    byte[] cfg = config("a");
    String cfgDigest = client.putBlob(cfg);
    byte[] m = manifest(cfgDigest, cfg.length, layerDigest, layer.length);
    assertTrue(client.getManifest("sha-1").isEmpty());
    String digest = client.putManifest("sha-1", m, "application/vnd.oci.image.manifest.v1+json");
    assertEquals(Digests.sha256(m), digest);
    ManifestResponse got = client.getManifest("sha-1").orElseThrow();
    assertArrayEquals(m, got.bytes());
    assertEquals(digest, got.digest());
    assertEquals("application/vnd.oci.image.manifest.v1+json", got.mediaType());
    assertEquals(Optional.of(digest), client.resolve("sha-1"));
    assertEquals(digest, client.getManifest(digest).orElseThrow().digest());
  }

  @Test
  void chunkedUploadAndMount() throws Exception {
    String host = env("IMAGEGATE_REGISTRY");
    RegistryClient a = new RegistryClient(host, repo(), CredentialProvider.NONE, INSECURE.withChunkSize(1024 * 1024), Reporter.SILENT);
    byte[] layer = new byte[2 * 1024 * 1024 + 5];
    new Random(7).nextBytes(layer);
    String d = Digests.sha256(layer);
    assertEquals(layer.length, a.uploadBlob(BlobSource.of(d, ByteBuffer.wrap(layer)), null));
    assertTrue(a.hasBlob(d));
    RegistryClient b = new RegistryClient(host, repo(), CredentialProvider.NONE, INSECURE, Reporter.SILENT);
    assertFalse(b.hasBlob(d));
    assertTrue(b.mountBlob(d, a.repository()));
    assertTrue(b.hasBlob(d));
  }

  @Test
  void wrongDigestIsRejectedByTheRegistry() throws Exception {
    String host = env("IMAGEGATE_REGISTRY");
    RegistryClient client = new RegistryClient(host, repo(), CredentialProvider.NONE, INSECURE, Reporter.SILENT);
    String claimed = Digests.sha256("other".getBytes(StandardCharsets.UTF_8));
    RegistryException e =
        assertThrows(RegistryException.class, () -> client.uploadBlob(BlobSource.of(claimed, ByteBuffer.wrap("content".getBytes(StandardCharsets.UTF_8))), null));
    assertEquals(400, e.status());
    assertFalse(client.hasBlob(claimed));
  }

  @Test
  void basicAuthRegistryNeedsTheRightCredentials() throws Exception {
    String host = env("IMAGEGATE_REGISTRY_US_EAST_1");
    String password = env("IMAGEGATE_ECR_PASSWORD");
    String repo = repo();
    RegistryClient anonymous = new RegistryClient(host, repo, CredentialProvider.NONE, INSECURE, Reporter.SILENT);
    RegistryException none = assertThrows(RegistryException.class, () -> anonymous.hasBlob(Digests.sha256(new byte[0])));
    assertTrue(none.getMessage().contains("requires credentials"), none.getMessage());

    RegistryClient wrong = new RegistryClient(host, repo, h -> Optional.of(new Credential("AWS", "wrong")), INSECURE, Reporter.SILENT);
    RegistryException bad = assertThrows(RegistryException.class, () -> wrong.hasBlob(Digests.sha256(new byte[0])));
    assertEquals(401, bad.status());
    assertFalse(bad.getMessage().contains("wrong"), "no secret in messages");

    RegistryClient ok = new RegistryClient(host, repo, h -> Optional.of(new Credential("AWS", password)), INSECURE, Reporter.SILENT);
    String d = ok.putBlob("hello".getBytes(StandardCharsets.UTF_8));
    assertTrue(ok.hasBlob(d));
  }

  @Test
  void dockerConfigCredentialsAndItsCredentialHelperAuthenticate(@TempDir Path dir) throws Exception {
    String host = env("IMAGEGATE_REGISTRY_US_EAST_1");
    String password = env("IMAGEGATE_ECR_PASSWORD");
    // a credential helper as docker-credential-ecr-login would be: on the PATH, asked `get` with the host on stdin
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path asked = dir.resolve("asked");
    Path helper = bin.resolve("docker-credential-imagegate-test");
    Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 3\ncat > '" + asked + "'\n"
        + "printf '{\"ServerURL\":\"%s\",\"Username\":\"AWS\",\"Secret\":\"%s\"}' \"$(cat '" + asked + "')\" \"$IMAGEGATE_HELPER_SECRET\"\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"credHelpers\":{\"" + host + "\":\"imagegate-test\"}}");
    Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "IMAGEGATE_HELPER_SECRET", password);

    RegistryClient viaHelper = new RegistryClient(host, repo(), new DockerConfigCredentials(config, env), INSECURE, Reporter.SILENT);
    String d = viaHelper.putBlob("from a credential helper".getBytes(StandardCharsets.UTF_8));
    assertTrue(viaHelper.hasBlob(d));
    assertEquals(host, Files.readString(asked), "the helper is asked for exactly the registry host");

    // a helper that fails leaves the auths entry (base64 user:password, keyed as `docker login` writes it)
    String auth = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(config, "{\"credHelpers\":{\"" + host + "\":\"missing-helper\"},\"auths\":{\"http://" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    RegistryClient viaAuths = new RegistryClient(host, repo(), new DockerConfigCredentials(config, env), INSECURE, Reporter.SILENT);
    String d2 = viaAuths.putBlob("from config.json auths".getBytes(StandardCharsets.UTF_8));
    assertTrue(viaAuths.hasBlob(d2));

    // and a wrong password there is the registry's 401, not a silent anonymous attempt
    String wrong = Base64.getEncoder().encodeToString("AWS:wrong".getBytes(StandardCharsets.UTF_8));
    Files.writeString(config, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + wrong + "\"}}}");
    RegistryClient rejected = new RegistryClient(host, repo(), new DockerConfigCredentials(config, env), INSECURE, Reporter.SILENT);
    RegistryException e = assertThrows(RegistryException.class, () -> rejected.hasBlob(d2));
    assertEquals(401, e.status());
  }

  @Test
  void plainHttpIsRefusedWithoutAllowInsecure() {
    String host = env("IMAGEGATE_REGISTRY");
    RegistryClient client = new RegistryClient(host, repo(), CredentialProvider.NONE, RegistryOptions.DEFAULTS.withRetries(1, java.time.Duration.ZERO, java.time.Duration.ZERO), Reporter.SILENT);
    RegistryException e = assertThrows(RegistryException.class, () -> client.hasBlob(Digests.sha256(new byte[0])));
    assertTrue(e.suggestion().contains("allowInsecureRegistries"), e.suggestion());
    RegistryClient explicit = new RegistryClient("http://" + host, repo(), CredentialProvider.NONE, RegistryOptions.DEFAULTS, Reporter.SILENT);
    assertThrows(RegistryException.class, () -> explicit.hasBlob(Digests.sha256(new byte[0])));
  }
}
