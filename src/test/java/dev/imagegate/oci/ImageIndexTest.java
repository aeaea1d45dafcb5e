package dev.imagegate.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageIndexTest {
  private static final String AMD = Digests.sha256("amd64 manifest".getBytes(StandardCharsets.UTF_8));
  private static final String ARM = Digests.sha256("arm64 manifest".getBytes(StandardCharsets.UTF_8));

  private static ImageIndex twoPlatforms() {
    return new ImageIndex(List.of(
        new ImageIndex.Entry(Platform.parse("linux/amd64"), new Descriptor(OciManifest.OCI_MANIFEST, AMD, 401)),
        new ImageIndex.Entry(Platform.parse("linux/arm64/v8"), new Descriptor(null, ARM, 402))));
  }

  @Test
  void writesCanonicalBytesInPlatformOrder() {
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + AMD + "\",\"size\":401,"
            + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
            + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + ARM + "\",\"size\":402,"
            + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}",
        new String(twoPlatforms().toBytes(), StandardCharsets.UTF_8));
    assertEquals(List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8")), twoPlatforms().platforms());
  }

  @Test
  void roundTripsThroughItsBytes() throws IOException {
    byte[] bytes = twoPlatforms().toBytes();
    ImageIndex read = ImageIndex.parse(bytes);
    assertEquals(twoPlatforms().platforms(), read.platforms());
    assertEquals(List.of(AMD, ARM), read.manifests().stream().map(e -> e.manifest().digest()).toList());
    assertEquals(List.of(401L, 402L), read.manifests().stream().map(e -> e.manifest().size()).toList());
    assertArrayEquals(bytes, read.toBytes());
  }

  @Test
  void theSameManifestsGiveTheSameDigestAndAnotherOrderAnother() {
    assertEquals(Digests.sha256(twoPlatforms().toBytes()), Digests.sha256(twoPlatforms().toBytes()));
    ImageIndex reversed = new ImageIndex(List.of(twoPlatforms().manifests().get(1), twoPlatforms().manifests().get(0)));
    assertFalse(Digests.sha256(reversed.toBytes()).equals(Digests.sha256(twoPlatforms().toBytes())));
  }

  @Test
  void knowsTheIndexMediaTypes() {
    assertTrue(ImageIndex.isIndex(ImageIndex.MEDIA_TYPE));
    assertTrue(ImageIndex.isIndex("application/vnd.docker.distribution.manifest.list.v2+json"));
    assertFalse(ImageIndex.isIndex(OciManifest.OCI_MANIFEST));
    assertFalse(ImageIndex.isIndex("application/vnd.docker.distribution.manifest.v2+json"));
    assertFalse(ImageIndex.isIndex(null));
  }

  @Test
  void readsADockerManifestList() throws IOException {
    // the shape of `skopeo inspect --raw docker://debian:12` (digests shortened to two entries)
    String list = "{\"manifests\":[{\"digest\":\"" + AMD + "\",\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
        + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"size\":529},"
        + "{\"digest\":\"" + ARM + "\",\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
        + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"},\"size\":529}],"
        + "\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\",\"schemaVersion\":2}";
    ImageIndex index = ImageIndex.parse(list.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8")), index.platforms());
    assertEquals("application/vnd.docker.distribution.manifest.v2+json", index.manifests().get(0).manifest().mediaType());
  }

  @Test
  void anIndexWithoutMediaTypeIsReadAsOci() throws IOException {
    String index = "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + AMD + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
    assertEquals(List.of(Platform.DEFAULT), ImageIndex.parse(index.getBytes(StandardCharsets.UTF_8)).platforms());
  }

  @Test
  void refusesWhatIsNoUsableIndex() {
    String entry = "{\"digest\":\"" + AMD + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}";
    assertRefused("{\"schemaVersion\":2,\"mediaType\":\"" + OciManifest.OCI_MANIFEST + "\",\"manifests\":[" + entry + "]}", "is not an image index");
    assertRefused("{\"schemaVersion\":1,\"manifests\":[" + entry + "]}", "schemaVersion 2");
    assertRefused("[]", "schemaVersion 2");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[]}", "lists no manifests");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:abc\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}",
        "no valid digest and size");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + AMD + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}",
        "no valid digest and size");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + AMD + "\",\"size\":1}]}", "states no platform");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + ImageIndex.MEDIA_TYPE + "\",\"digest\":\"" + AMD
        + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}", "nested indexes are not supported");
    assertRefused("{\"schemaVersion\":2,\"manifests\":[" + entry + "," + entry.replace(AMD, ARM) + "]}", "one manifest per platform");
  }

  @Test
  void aPlatformTwiceOrNoneIsNoIndex() {
    Descriptor d = new Descriptor(OciManifest.OCI_MANIFEST, AMD, 1);
    assertThrows(IllegalArgumentException.class,
        () -> new ImageIndex(List.of(new ImageIndex.Entry(Platform.DEFAULT, d), new ImageIndex.Entry(Platform.DEFAULT, d))));
    assertThrows(IllegalArgumentException.class, () -> new ImageIndex(List.of(new ImageIndex.Entry(null, d))));
  }

  private static void assertRefused(String json, String reason) {
    IOException e = assertThrows(IOException.class, () -> ImageIndex.parse(json.getBytes(StandardCharsets.UTF_8)), json);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
