package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.NetworkTimeouts;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault-injecting proxy in front of the real registry of scripts/peers: dropped connection mid-blob, one 500, one
 * 429, one slow answer, a trickled or a missing answer. The push must complete with the right digest, or fail
 * clearly with no tag on an incomplete image, and a re-run must then work.
 */
class ImagePusherFaultTest {
  /** Retries quick; a 4 s slow answer (Fault.STALL) is within the 30 s stall timeout and the 60 s deadline. */
  static final RegistryOptions FAST =
      RegistryOptions.DEFAULTS.withAllowInsecure(true).withRetries(4, Duration.ofMillis(100), Duration.ofMillis(400))
          .withNetwork(NetworkTimeouts.DEFAULTS.withStallTimeout(Duration.ofSeconds(30)).withTimeout(Duration.ofSeconds(60)));

  @TempDir Path dir;

  record Archive(Path path, String digest, int blobs) {}

  /** An OCI image archive as jib writes it: oci-layout, index.json, blobs/sha256/*. */
  Archive archive(long seed) throws IOException {
    return archive(seed, 5 * 1024 * 1024);
  }

  Archive archive(long seed, int largeLayer) throws IOException {
    byte[] layer1 = new byte[largeLayer];
    byte[] layer2 = new byte[300 * 1024];
    new Random(seed).nextBytes(layer1);
    new Random(seed + 1).nextBytes(layer2);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digests.sha256(layer1) + "\",\"" + Digests.sha256(layer2) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    String m = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":["
        + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digests.sha256(layer1) + "\",\"size\":" + layer1.length + "},"
        + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digests.sha256(layer2) + "\",\"size\":" + layer2.length + "}]}";
    byte[] manifest = m.getBytes(StandardCharsets.UTF_8);
    String digest = Digests.sha256(manifest);
    byte[] index = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":" + manifest.length + "}]}").getBytes(StandardCharsets.UTF_8);
    Path tar = dir.resolve("image-" + seed + "-" + largeLayer + ".tar");
    try (OutputStream os = Files.newOutputStream(tar); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      put(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      put(out, "index.json", index);
      for (byte[] b : List.of(config, layer1, layer2, manifest)) {
        put(out, "blobs/sha256/" + Digests.hex(Digests.sha256(b)), b);
      }
    }
    return new Archive(tar, digest, 3);
  }

  static void put(TarArchiveOutputStream out, String name, byte[] bytes) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    out.putArchiveEntry(e);
    out.write(bytes);
    out.closeArchiveEntry();
  }

  @Test
  void pushSurvivesDropped500429AndStall() throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    String repo = "test/fault-" + UUID.randomUUID().toString().substring(0, 8);
    Archive a = archive(1);
    AtomicInteger puts = new AtomicInteger();
    AtomicInteger posts = new AtomicInteger();
    AtomicInteger heads = new AtomicInteger();
    AtomicInteger manifestPuts = new AtomicInteger();
    try (FaultProxy proxy = new FaultProxy(upstream, (method, path) -> {
      if (method.equals("HEAD") && path.contains("/blobs/") && heads.incrementAndGet() == 1) {
        return FaultProxy.Fault.STALL;
      }
      if (method.equals("POST") && path.endsWith("/blobs/uploads/") && posts.incrementAndGet() == 1) {
        return FaultProxy.Fault.STATUS_429;
      }
      if (method.equals("PUT") && path.contains("/blobs/uploads/")) {
        int n = puts.incrementAndGet();
        if (n == 1) {
          return FaultProxy.Fault.DROP_MID_BODY;
        }
        if (n == 2) {
          return FaultProxy.Fault.STATUS_500;
        }
      }
      if (method.equals("PUT") && path.contains("/manifests/") && manifestPuts.incrementAndGet() == 1) {
        return FaultProxy.Fault.STATUS_500;
      }
      return FaultProxy.Fault.NONE;
    })) {
      RegistryClient viaProxy = new RegistryClient(proxy.address(), repo, CredentialProvider.NONE, FAST, Reporter.SILENT);
      List<ImagePusher.Result> results =
          new ImagePusher(Reporter.SILENT, 1).push(a.path(), a.digest(), List.of("sha-" + "a".repeat(40)), List.of(new ImagePusher.Destination(viaProxy, Optional.empty(), false)));
      assertEquals(a.digest(), results.get(0).digest());
      assertTrue(proxy.injected.stream().anyMatch(s -> s.startsWith("drop ")), proxy.injected.toString());
      assertTrue(proxy.injected.stream().anyMatch(s -> s.startsWith("500 PUT") && s.contains("/blobs/")), proxy.injected.toString());
      assertTrue(proxy.injected.stream().anyMatch(s -> s.startsWith("429 ")), proxy.injected.toString());
      assertTrue(proxy.injected.stream().anyMatch(s -> s.startsWith("stall ")), proxy.injected.toString());
      assertTrue(proxy.injected.stream().anyMatch(s -> s.contains("/manifests/")), proxy.injected.toString());
    }
    // checked without the proxy: the tag names the complete image
    RegistryClient direct = new RegistryClient(upstream, repo, CredentialProvider.NONE, FAST, Reporter.SILENT);
    assertEquals(Optional.of(a.digest()), direct.resolve("sha-" + "a".repeat(40)));
    byte[] manifest = direct.getManifest("sha-" + "a".repeat(40)).orElseThrow().bytes();
    for (var layer : dev.imagegate.oci.OciManifest.parse(manifest).layers()) {
      assertTrue(direct.hasBlob(layer.digest()));
    }
  }

  @Test
  void persistentFailureFailsClearlyAndLeavesNoTag() throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    String repo = "test/fault-" + UUID.randomUUID().toString().substring(0, 8);
    Archive a = archive(2);
    try (FaultProxy proxy = new FaultProxy(upstream, (method, path) ->
        method.equals("PUT") && path.contains("/blobs/uploads/") ? FaultProxy.Fault.STATUS_500 : FaultProxy.Fault.NONE)) {
      RegistryClient viaProxy = new RegistryClient(proxy.address(), repo, CredentialProvider.NONE, FAST, Reporter.SILENT);
      RegistryException e = assertThrows(RegistryException.class, () ->
          new ImagePusher(Reporter.SILENT, 2).push(a.path(), a.digest(), List.of("sha-" + "b".repeat(40)), List.of(new ImagePusher.Destination(viaProxy, Optional.empty(), false))));
      assertTrue(e.getMessage().contains("failed after 4 attempts"), e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
      assertTrue(proxy.requests.stream().noneMatch(r -> r.startsWith("PUT") && r.contains("/manifests/")), "no manifest PUT after a failed blob");
    }
    RegistryClient direct = new RegistryClient(upstream, repo, CredentialProvider.NONE, FAST, Reporter.SILENT);
    assertTrue(direct.resolve("sha-" + "b".repeat(40)).isEmpty());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = FaultProxy.Fault.class, names = {"TRICKLE", "SILENT"})
  @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES) // a hang guard, not a speed check
  void aRegistryThatTricklesOrNeverAnswersFailsThePushNamingItAndTheRerunWorks(FaultProxy.Fault fault) throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    String repo = "test/fault-" + UUID.randomUUID().toString().substring(0, 8);
    String tag = "sha-" + "f".repeat(40);
    Archive a = archive(7);
    // short limits, far apart, and far from the fault's pace (1 byte/s, or nothing): which one fires does not depend
    // on this machine's speed
    RegistryOptions shortLimits = FAST.withNetwork(fault == FaultProxy.Fault.TRICKLE
        ? new NetworkTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(2), 1_000_000)
        : new NetworkTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(60), 1_000_000));
    try (FaultProxy proxy = new FaultProxy(upstream, (method, path) ->
        method.equals("PUT") && path.contains("/blobs/uploads/") ? fault : FaultProxy.Fault.NONE)) {
      RegistryClient viaProxy = new RegistryClient(proxy.address(), repo, CredentialProvider.NONE, shortLimits, Reporter.SILENT);
      RegistryException e = assertThrows(RegistryException.class, () ->
          new ImagePusher(Reporter.SILENT, 2).push(a.path(), a.digest(), List.of(tag), List.of(new ImagePusher.Destination(viaProxy, Optional.empty(), false))));
      assertTrue(e.getMessage().contains(proxy.address()), e.getMessage());
      assertTrue(e.getMessage().contains(fault == FaultProxy.Fault.TRICKLE ? "not finished within" : "no byte moved for 1 s"), e.getMessage());
      assertTrue(e.suggestion().contains(fault == FaultProxy.Fault.TRICKLE ? NetworkTimeouts.TIMEOUT_PROPERTY : NetworkTimeouts.STALL_PROPERTY), e.suggestion());
      assertTrue(proxy.requests.stream().noneMatch(r -> r.startsWith("PUT") && r.contains("/manifests/")), "no manifest PUT after a failed blob");
    }
    RegistryClient direct = new RegistryClient(upstream, repo, CredentialProvider.NONE, FAST, Reporter.SILENT);
    assertTrue(direct.resolve(tag).isEmpty(), "nothing is tagged");
    List<ImagePusher.Result> again =
        new ImagePusher(Reporter.SILENT, 2).push(a.path(), a.digest(), List.of(tag), List.of(new ImagePusher.Destination(direct, Optional.empty(), false)));
    assertEquals(a.digest(), again.get(0).digest());
    assertEquals(Optional.of(a.digest()), direct.resolve(tag));
  }

  @Test
  void archiveWithAnotherDigestIsRefused() throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    Archive a = archive(3);
    RegistryClient direct = new RegistryClient(upstream, "test/fault-x", CredentialProvider.NONE, FAST, Reporter.SILENT);
    String other = Digests.sha256(new byte[] {1});
    RegistryException e = assertThrows(RegistryException.class, () ->
        new ImagePusher(Reporter.SILENT, 2).push(a.path(), other, List.of("sha-" + "c".repeat(40)), List.of(new ImagePusher.Destination(direct, Optional.empty(), false))));
    assertTrue(e.getMessage().contains("image.json says " + other), e.getMessage());
  }

  @Test
  void aTagConflictOnOneRegistryUploadsNothingToAny() throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    String tag = "sha-" + "d".repeat(40);
    String free = "test/fault-" + UUID.randomUUID().toString().substring(0, 8);
    String taken = "test/fault-" + UUID.randomUUID().toString().substring(0, 8);
    Archive other = archive(5);
    new ImagePusher(Reporter.SILENT, 2).push(other.path(), other.digest(), List.of(tag), List.of(new ImagePusher.Destination(new RegistryClient(upstream, taken, CredentialProvider.NONE, FAST, Reporter.SILENT), Optional.empty(), false)));
    Archive a = archive(4);
    try (FaultProxy first = new FaultProxy(upstream, (m, p) -> FaultProxy.Fault.NONE);
        FaultProxy second = new FaultProxy(upstream, (m, p) -> FaultProxy.Fault.NONE)) {
      List<ImagePusher.Destination> ds = List.of(
          new ImagePusher.Destination(new RegistryClient(first.address(), free, CredentialProvider.NONE, FAST, Reporter.SILENT), Optional.empty(), false),
          new ImagePusher.Destination(new RegistryClient(second.address(), taken, CredentialProvider.NONE, FAST, Reporter.SILENT), Optional.empty(), false));
      RegistryException e = assertThrows(RegistryException.class, () -> new ImagePusher(Reporter.SILENT, 4).push(a.path(), a.digest(), List.of(tag), ds));
      assertTrue(e.getMessage().contains("already points to " + other.digest()), e.getMessage());
      for (FaultProxy proxy : List.of(first, second)) {
        assertTrue(proxy.requests.stream().noneMatch(r -> r.startsWith("POST") || r.startsWith("PUT") || r.startsWith("PATCH")), proxy.requests.toString());
      }
      assertTrue(first.requests.stream().anyMatch(r -> r.startsWith("HEAD") && r.contains("/manifests/" + tag)), first.requests.toString());
    }
    assertTrue(new RegistryClient(upstream, free, CredentialProvider.NONE, FAST, Reporter.SILENT).resolve(tag).isEmpty());
  }

  @Test
  void theLargeBlobIsHandedOverBeforeTheSmallOnesStart() throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    String repo = "test/fault-" + UUID.randomUUID().toString().substring(0, 8);
    Archive a = archive(6, 24 * 1024 * 1024); // more than the loopback socket buffers hold: the proxy must read it
    try (FaultProxy proxy = new FaultProxy(upstream, (m, p) -> FaultProxy.Fault.NONE)) {
      RegistryClient viaProxy = new RegistryClient(proxy.address(), repo, CredentialProvider.NONE, FAST, Reporter.SILENT);
      List<ImagePusher.Result> results = new ImagePusher(Reporter.SILENT, 4).push(a.path(), a.digest(), List.of("sha-" + "e".repeat(40)), List.of(new ImagePusher.Destination(viaProxy, Optional.empty(), false)));
      assertEquals(3, results.get(0).uploadedBlobs());
      List<String> writes = proxy.requests.stream().filter(r -> r.contains("/blobs/uploads/")).toList();
      // POST (large), PUT (large), then the two small blobs' POST and PUT
      assertEquals(6, writes.size(), writes.toString());
      assertTrue(writes.get(0).startsWith("POST") && writes.get(1).startsWith("PUT"), writes.toString());
    }
  }

  /**
   * Issue 18 item 5: two registries cost the client one read of each blob, not two. Every blob is taken from the
   * archive once and the same mapped bytes go to both registries (each checks the digest; the client hashes none).
   */
  @Test
  void twoRegistriesReadEachBlobOnce() throws Exception {
    String upstream = RegistryClientTest.env("IMAGEGATE_REGISTRY");
    Archive a = archive(7);
    java.util.Map<String, Integer> reads = new java.util.concurrent.ConcurrentHashMap<>();
    try (FaultProxy first = new FaultProxy(upstream, (m, p) -> FaultProxy.Fault.NONE);
        FaultProxy second = new FaultProxy(upstream, (m, p) -> FaultProxy.Fault.NONE)) {
      List<ImagePusher.Destination> ds = List.of(
          new ImagePusher.Destination(new RegistryClient(first.address(), "test/once-" + UUID.randomUUID().toString().substring(0, 8), CredentialProvider.NONE, FAST, Reporter.SILENT), Optional.empty(), false),
          new ImagePusher.Destination(new RegistryClient(second.address(), "test/once-" + UUID.randomUUID().toString().substring(0, 8), CredentialProvider.NONE, FAST, Reporter.SILENT), Optional.empty(), false));
      List<ImagePusher.Result> results = new ImagePusher(Reporter.SILENT, 4, digest -> reads.merge(digest, 1, Integer::sum))
          .push(a.path(), a.digest(), List.of("sha-" + "f".repeat(40)), ds);
      for (ImagePusher.Result r : results) {
        assertEquals(a.blobs(), r.uploadedBlobs(), r.toString());
      }
      assertEquals(results.get(0).uploadedBytes(), results.get(1).uploadedBytes());
      assertEquals(a.blobs(), reads.size(), reads.toString());
      assertTrue(reads.values().stream().allMatch(n -> n == 1), "each blob read once for both registries: " + reads);
      for (FaultProxy proxy : List.of(first, second)) {
        assertEquals(a.blobs(), proxy.requests.stream().filter(r -> r.startsWith("PUT") && r.contains("/blobs/uploads/")).count(), proxy.requests.toString());
      }
    }
  }
}
