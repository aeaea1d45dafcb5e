package dev.imagegate.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OciArchive} on the archive of a multi-platform image: an image index over one manifest per platform. */
class OciArchiveIndexTest {
  @TempDir Path dir;

  private final OciLayouts.Image amd = OciLayouts.image("linux", "amd64", "amd64 layer".getBytes(StandardCharsets.UTF_8));
  private final OciLayouts.Image arm = OciLayouts.image("linux", "arm64", "arm64 layer".getBytes(StandardCharsets.UTF_8));

  private static ImageIndex index(String amdPlatform, OciLayouts.Image amd, OciLayouts.Image arm) {
    return new ImageIndex(List.of(
        new ImageIndex.Entry(Platform.parse(amdPlatform), new Descriptor(OciManifest.OCI_MANIFEST, amd.manifestDigest(), amd.manifest().length)),
        new ImageIndex.Entry(Platform.parse("linux/arm64"), new Descriptor(OciManifest.OCI_MANIFEST, arm.manifestDigest(), arm.manifest().length))));
  }

  /** An index archive over the images; {@code blobs} may replace or drop (null) entries afterwards. */
  private Path archive(ImageIndex index, Map<String, byte[]> changes) throws Exception {
    byte[] indexBytes = index.toBytes();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    entries.put("index.json", OciLayouts.layoutIndex(ImageIndex.MEDIA_TYPE, indexBytes));
    entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(indexBytes)), indexBytes);
    entries.putAll(amd.blobs());
    entries.putAll(arm.blobs());
    changes.forEach((name, bytes) -> {
      if (bytes == null) {
        entries.remove(name);
      } else {
        entries.put(name, bytes);
      }
    });
    return OciLayouts.write(dir.resolve("image.tar"), entries);
  }

  @Test
  void givesOneImagePerPlatformInTheIndexOrder() throws Exception {
    ImageIndex index = index("linux/amd64", amd, arm);
    try (OciArchive archive = OciArchive.open(archive(index, Map.of()))) {
      assertTrue(archive.isIndex());
      assertEquals(Optional.of(index.platforms()), archive.index().map(ImageIndex::platforms));
      assertEquals(Digests.sha256(index.toBytes()), archive.manifestDescriptor().digest());
      assertEquals(Optional.empty(), archive.platform());
      List<OciArchive> images = archive.images();
      assertEquals(List.of(Optional.of(Platform.parse("linux/amd64")), Optional.of(Platform.parse("linux/arm64"))),
          images.stream().map(OciArchive::platform).toList());
      assertEquals(List.of(amd.manifestDigest(), arm.manifestDigest()), images.stream().map(i -> i.manifestDescriptor().digest()).toList());
      assertEquals("arm64", images.get(1).config().path("architecture").asText());
      assertEquals(Digests.sha256(arm.layer()), images.get(1).layers().get(0).digest());
      assertFalse(images.get(0).isIndex());
      // the index has no manifest, config or layers of its own
      assertThrows(IllegalStateException.class, archive::manifest);
      assertThrows(IllegalStateException.class, archive::layers);
    }
  }

  @Test
  void aSingleImageArchiveIsItsOwnOnlyImageWithoutPlatform() throws Exception {
    try (OciArchive archive = OciArchive.open(OciLayouts.singleImage(dir.resolve("one.tar"), amd))) {
      assertFalse(archive.isIndex());
      assertEquals(List.of(archive), archive.images());
      assertEquals(Optional.empty(), archive.platform());
      assertEquals(Optional.empty(), archive.index());
    }
  }

  @Test
  void aPlatformWhoseManifestIsMissingFails() throws Exception {
    Path file = archive(index("linux/amd64", amd, arm), mapOf("blobs/sha256/" + Digests.hex(arm.manifestDigest()), null));
    OciArchiveException e = assertThrows(OciArchiveException.class, () -> OciArchive.open(file));
    assertTrue(e.getMessage().contains("blob " + arm.manifestDigest() + " is missing"), e.getMessage());
  }

  @Test
  void aPlatformWhoseLayerIsMissingFailsWhenRead() throws Exception {
    String layer = Digests.sha256(arm.layer());
    Path file = archive(index("linux/amd64", amd, arm), mapOf("blobs/sha256/" + Digests.hex(layer), null));
    try (OciArchive archive = OciArchive.open(file)) {
      OciArchive armImage = archive.images().get(1);
      OciArchiveException e = assertThrows(OciArchiveException.class, () -> armImage.openVerified(armImage.layers().get(0)));
      assertTrue(e.getMessage().contains("blob " + layer + " is missing"), e.getMessage());
    }
  }

  @Test
  void aManifestWhoseBytesDoNotMatchItsDigestFails() throws Exception {
    byte[] tampered = arm.manifest().clone();
    tampered[tampered.length - 3] = (byte) ' '; // same size, other bytes
    Path file = archive(index("linux/amd64", amd, arm), mapOf("blobs/sha256/" + Digests.hex(arm.manifestDigest()), tampered));
    OciArchiveException e = assertThrows(OciArchiveException.class, () -> OciArchive.open(file));
    assertTrue(e.getMessage().contains(arm.manifestDigest()), e.getMessage());
    assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
  }

  @Test
  void anIndexWhoseBytesDoNotMatchItsDigestFails() throws Exception {
    ImageIndex index = index("linux/amd64", amd, arm);
    byte[] tampered = index.toBytes();
    tampered[tampered.length - 2] = ' ';
    Path file = archive(index, mapOf("blobs/sha256/" + Digests.hex(Digests.sha256(index.toBytes())), tampered));
    OciArchiveException e = assertThrows(OciArchiveException.class, () -> OciArchive.open(file));
    assertTrue(e.getMessage().contains(Digests.sha256(index.toBytes())), e.getMessage());
  }

  @Test
  void anIndexThatNamesAnotherPlatformThanTheImageConfigurationFails() throws Exception {
    // the index says linux/s390x, the image's configuration says linux/amd64
    Path file = archive(index("linux/s390x", amd, arm), Map.of());
    OciArchiveException e = assertThrows(OciArchiveException.class, () -> OciArchive.open(file));
    assertTrue(e.getMessage().contains("the index says manifest " + amd.manifestDigest() + " is linux/s390x, but its configuration says linux/amd64"),
        e.getMessage());
  }

  private static Map<String, byte[]> mapOf(String name, byte[] bytes) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(name, bytes);
    return m;
  }
}
