package dev.imagegate.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciArchiveTest {
  @TempDir Path dir;

  /** Writes an OCI layout tar with one manifest; {@code corrupt} replaces the layer's bytes after hashing. */
  static Path writeArchive(Path file, byte[] layer, boolean corrupt) throws Exception {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"65532\"}}".getBytes(StandardCharsets.UTF_8);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.sha256(config)
            + "\",\"size\":" + config.length + "},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digests.sha256(layer)
            + "\",\"size\":" + layer.length + "}]}";
    byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
    String index =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
            + Digests.sha256(manifestBytes) + "\",\"size\":" + manifestBytes.length + "}]}";
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    entries.put("index.json", index.getBytes(StandardCharsets.UTF_8));
    entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(config)), config);
    entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(manifestBytes)), manifestBytes);
    byte[] stored = layer.clone();
    if (corrupt) {
      stored[0] ^= 1;
    }
    entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(layer)), stored);
    return OciLayouts.write(file, entries);
  }

  @Test
  void readsManifestConfigAndLayers() throws Exception {
    byte[] layer = "layer-bytes".getBytes(StandardCharsets.UTF_8);
    Path file = writeArchive(dir.resolve("image.tar"), layer, false);
    try (OciArchive archive = OciArchive.open(file)) {
      assertEquals(OciManifest.OCI_MANIFEST, archive.manifest().mediaType());
      assertEquals(Digests.sha256(archive.manifestBytes()), archive.manifestDescriptor().digest());
      assertEquals("65532", archive.config().path("config").path("User").asText());
      assertEquals(1, archive.layers().size());
      String layerDigest = archive.layers().get(0).digest();
      assertEquals(Digests.sha256(layer), layerDigest);
      assertTrue(archive.hasBlob(layerDigest));
      assertEquals(layer.length, archive.blobSize(layerDigest));
      try (var in = archive.openBlob(layerDigest)) {
        assertArrayEquals(layer, in.readAllBytes());
      }
    }
  }

  @Test
  void blobsAreReadFromSeveralThreadsAtOnceEachWithItsOwnBytes() throws Exception {
    // the scan hashes layers on several threads: interleaved reads of one archive must not mix the blobs' bytes
    byte[] layer = new byte[3 << 20];
    new java.util.Random(7).nextBytes(layer);
    Path file = writeArchive(dir.resolve("image.tar"), layer, false);
    try (OciArchive archive = OciArchive.open(file)) {
      String configDigest = archive.manifest().config().digest();
      byte[] config = archive.readVerified(configDigest, archive.blobSize(configDigest));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<byte[]>> reads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String digest = i % 2 == 0 ? archive.layers().get(0).digest() : configDigest;
          reads.add(pool.submit(() -> {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            byte[] small = new byte[1000]; // many small reads, so that the threads interleave
            try (var in = archive.openBlob(digest)) {
              for (int n; (n = in.read(small)) > 0; ) {
                all.write(small, 0, n);
              }
            }
            return all.toByteArray();
          }));
        }
        for (int i = 0; i < reads.size(); i++) {
          assertArrayEquals(i % 2 == 0 ? layer : config, reads.get(i).get(), "read " + i);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestIsRejected() throws Exception {
    byte[] layer = "layer-bytes".getBytes(StandardCharsets.UTF_8);
    Path file = writeArchive(dir.resolve("image.tar"), layer, true);
    try (OciArchive archive = OciArchive.open(file)) {
      OciArchiveException e =
          assertThrows(OciArchiveException.class, () -> archive.readVerified(archive.layers().get(0).digest(), layer.length));
      assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }
  }

  @Test
  void aStreamedBlobIsCheckedWhenItsEndIsReachedAndSkippedBytesCount() throws Exception {
    byte[] layer = new byte[300_000];
    new java.util.Random(7).nextBytes(layer);
    for (boolean corrupt : new boolean[] {false, true}) {
      Path file = writeArchive(dir.resolve("image-" + corrupt + ".tar"), layer, corrupt);
      try (OciArchive archive = OciArchive.open(file)) {
        Descriptor d = archive.layers().get(0);
        // read some, skip some (a tar reader skips the files nobody wants), read to the end
        try (BlobStream in = archive.openVerified(d)) {
          assertEquals(100, in.readNBytes(100).length);
          assertEquals(200_000, in.skip(200_000));
          if (corrupt) {
            BlobDigestException e = assertThrows(BlobDigestException.class, in::readAllBytes);
            assertTrue(e.details().contains("hashing to sha256:"), e.getMessage());
            assertEquals(d.digest(), e.expectedDigest());
          } else {
            assertEquals(layer.length - 200_100, in.readAllBytes().length);
            assertTrue(in.verified());
          }
        }
        // a reader that stops early: verifyToEnd reads the rest and checks
        try (BlobStream in = archive.openVerified(d)) {
          in.readNBytes(10);
          if (corrupt) {
            assertThrows(BlobDigestException.class, in::verifyToEnd);
          } else {
            in.verifyToEnd();
            assertTrue(in.verified());
          }
        }
      }
    }
  }

  @Test
  void aBlobWhoseStoredSizeDiffersFailsBeforeItIsRead() throws Exception {
    byte[] layer = "layer-bytes".getBytes(StandardCharsets.UTF_8);
    Path file = writeArchive(dir.resolve("image.tar"), layer, false);
    try (OciArchive archive = OciArchive.open(file)) {
      Descriptor d = archive.layers().get(0);
      OciArchiveException e = assertThrows(OciArchiveException.class,
          () -> archive.openVerified(new Descriptor(d.mediaType(), d.digest(), d.size() - 1)));
      assertTrue(e.getMessage().contains(layer.length + " bytes in the archive"), e.getMessage());
      assertTrue(e.suggestion().contains("mvn package"), e.suggestion());
    }
  }

  @Test
  void aTarWithoutIndexIsNotAnOciLayout() throws Exception {
    Path file = dir.resolve("empty.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      tar.finish();
    }
    OciArchiveException e = assertThrows(OciArchiveException.class, () -> OciArchive.open(file));
    assertTrue(e.getMessage().contains("no index.json"), e.getMessage());
    assertTrue(e.suggestion().contains("mvn package"), e.suggestion());
  }

  @Test
  void aMissingFileSaysToRebuild() {
    OciArchiveException e = assertThrows(OciArchiveException.class, () -> OciArchive.open(dir.resolve("nope.tar")));
    assertTrue(e.suggestion().contains("build goal"), e.suggestion());
  }
}
