package dev.imagegate.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] SHARED = "an application layer both platforms share".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private List<IndexArchive.Part> parts(String first, String second) throws Exception {
    return List.of(
        new IndexArchive.Part(Platform.parse("linux/amd64"), OciLayouts.singleImage(dir.resolve("amd64.tar"), OciLayouts.image("linux", first, SHARED))),
        new IndexArchive.Part(Platform.parse("linux/arm64"), OciLayouts.singleImage(dir.resolve("arm64.tar"), OciLayouts.image("linux", second, SHARED))));
  }

  /** Every tar entry of a file, in order. */
  private static Map<String, byte[]> entries(Path tar) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        entries.put(e.getName(), t.readAllBytes());
      }
    }
    return entries;
  }

  @Test
  void writesALayoutWhoseIndexJsonIndexAndBlobsAgree() throws Exception {
    Path target = dir.resolve("image.tar");
    ImageIndex index = IndexArchive.write(parts("amd64", "arm64"), "app:sha-1", target);

    Map<String, byte[]> entries = entries(target);
    assertEquals(List.of("oci-layout", "index.json"), List.copyOf(entries.keySet()).subList(0, 2));
    // every blob is stored under its own digest
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (e.getKey().startsWith("blobs/sha256/")) {
        assertEquals("sha256:" + e.getKey().substring("blobs/sha256/".length()), Digests.sha256(e.getValue()), e.getKey());
      }
    }
    // index.json names the image index (with its ref name), which names both platforms' manifests, in order
    JsonNode layout = JSON.readTree(entries.get("index.json"));
    assertEquals(1, layout.path("manifests").size());
    JsonNode top = layout.path("manifests").get(0);
    assertEquals(ImageIndex.MEDIA_TYPE, top.path("mediaType").asText());
    assertEquals("app:sha-1", top.path("annotations").path("org.opencontainers.image.ref.name").asText());
    byte[] indexBytes = entries.get("blobs/sha256/" + Digests.hex(top.path("digest").asText()));
    assertArrayEquals(index.toBytes(), indexBytes);
    assertEquals(indexBytes.length, top.path("size").asLong());
    assertEquals(List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), ImageIndex.parse(indexBytes).platforms());
    for (ImageIndex.Entry e : index.manifests()) {
      byte[] manifest = entries.get("blobs/sha256/" + Digests.hex(e.manifest().digest()));
      assertEquals(e.manifest().size(), manifest.length);
      assertEquals(OciManifest.OCI_MANIFEST, e.manifest().mediaType());
      OciManifest m = OciManifest.parse(manifest);
      assertTrue(entries.containsKey("blobs/sha256/" + Digests.hex(m.config().digest())));
      m.layers().forEach(l -> assertTrue(entries.containsKey("blobs/sha256/" + Digests.hex(l.digest()))));
    }
    // a blob both platforms share is stored once: 1 index + 2 manifests + 2 configs + 1 shared layer
    assertEquals(6, entries.keySet().stream().filter(n -> n.startsWith("blobs/")).count());
    // and OciArchive reads it back as the same index
    try (OciArchive archive = OciArchive.open(target)) {
      assertTrue(archive.isIndex());
      assertEquals(Digests.sha256(index.toBytes()), archive.manifestDescriptor().digest());
    }
  }

  @Test
  void theSameInputGivesTheSameBytes() throws Exception {
    List<IndexArchive.Part> parts = parts("amd64", "arm64");
    IndexArchive.write(parts, "app:sha-1", dir.resolve("one.tar"));
    IndexArchive.write(parts, "app:sha-1", dir.resolve("two.tar"));
    assertArrayEquals(Files.readAllBytes(dir.resolve("one.tar")), Files.readAllBytes(dir.resolve("two.tar")));
    // entries carry no build time
    try (InputStream in = Files.newInputStream(dir.resolve("one.tar")); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        assertEquals(0, e.getLastModifiedDate().getTime(), e.getName());
      }
    }
  }

  @Test
  void anImageOfAnotherPlatformThanAskedIsRefusedNamingBoth() throws Exception {
    // what jib builds for linux/arm64 on a single-platform amd64 base: it warns and builds an amd64 image
    OciArchiveException e = assertThrows(OciArchiveException.class,
        () -> IndexArchive.write(parts("amd64", "amd64"), "app:sha-1", dir.resolve("image.tar")));
    assertTrue(e.getMessage().contains("built for linux/arm64 has the configuration of linux/amd64"), e.getMessage());
    assertTrue(e.getMessage().contains("the base image has no linux/arm64 image"), e.getMessage());
    assertTrue(e.suggestion().contains("<platforms>"), e.suggestion());
    assertFalse(Files.exists(dir.resolve("image.tar")) && Files.size(dir.resolve("image.tar")) > 0, "nothing half-written");
  }

  @Test
  void anArchiveThatAlreadyHoldsAnIndexIsNoPart() throws Exception {
    Path index = dir.resolve("index.tar");
    IndexArchive.write(parts("amd64", "arm64"), "app:sha-1", index);
    OciArchiveException e = assertThrows(OciArchiveException.class,
        () -> IndexArchive.write(List.of(new IndexArchive.Part(Platform.DEFAULT, index)), "app:sha-1", dir.resolve("again.tar")));
    assertTrue(e.getMessage().contains("already holds an index"), e.getMessage());
  }
}
