package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.image.json.ContainerConfigurationTemplate;
import com.google.cloud.tools.jib.image.json.ImageMetadataTemplate;
import com.google.cloud.tools.jib.image.json.ManifestAndConfigTemplate;
import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What jib's base image cache records for a multi-platform base after one jib build per platform: jib replaces its
 * record with the platform it pulled; {@link CachedBasePlatforms} keeps every platform (through jib's own cache API).
 */
class CachedBasePlatformsTest {
  private static final ImageReference BASE = ImageReference.of("registry.example", "java-base", null, "sha256:" + "a".repeat(64));
  private static final String AMD64 = "sha256:" + "1".repeat(64);
  private static final String ARM64 = "sha256:" + "2".repeat(64);

  @TempDir Path dir;
  Cache jib;

  @BeforeEach
  void cache() throws Exception {
    jib = Cache.withDirectory(dir);
  }

  /** The base's index (listing {@code manifests}) with the images of {@code recorded}, as jib writes it after a pull. */
  private static ImageMetadataTemplate record(List<String> manifests, String... recorded) throws Exception {
    OciIndexTemplate index = new OciIndexTemplate();
    for (String digest : manifests) {
      index.addManifest(new BlobDescriptor(500, DescriptorDigest.fromDigest(digest)), "java-base");
    }
    List<ManifestAndConfigTemplate> images = new ArrayList<>();
    for (String digest : recorded) {
      OciManifestTemplate manifest = new OciManifestTemplate();
      manifest.setContainerConfiguration(100, DescriptorDigest.fromHash(digest.substring(7).replace('1', 'c').replace('2', 'd')));
      ContainerConfigurationTemplate config = new ContainerConfigurationTemplate();
      config.setOs("linux");
      config.setArchitecture(digest.equals(AMD64) ? "amd64" : "arm64");
      images.add(new ManifestAndConfigTemplate(manifest, config, digest));
    }
    return new ImageMetadataTemplate(index, images);
  }

  private List<String> recorded() throws Exception {
    return jib.retrieveMetadata(BASE).orElseThrow().getManifestsAndConfigs().stream().map(ManifestAndConfigTemplate::getManifestDigest).toList();
  }

  @Test
  void afterEachPlatformsPullTheRecordListsEveryPlatformPulled() throws Exception {
    CachedBasePlatforms kept = CachedBasePlatforms.read(dir, BASE);
    jib.writeMetadata(BASE, record(List.of(AMD64, ARM64), AMD64)); // jib's build of linux/amd64
    kept.keep();
    assertEquals(List.of(AMD64), recorded());
    jib.writeMetadata(BASE, record(List.of(AMD64, ARM64), ARM64)); // jib's build of linux/arm64 replaces the record
    kept.keep();
    assertEquals(List.of(AMD64, ARM64), recorded());
  }

  @Test
  void whatTheCacheRecordedBeforeTheBuildIsKept() throws Exception {
    jib.writeMetadata(BASE, record(List.of(AMD64, ARM64), AMD64)); // an earlier build of linux/amd64 only
    CachedBasePlatforms kept = CachedBasePlatforms.read(dir, BASE);
    jib.writeMetadata(BASE, record(List.of(AMD64, ARM64), ARM64));
    kept.keep();
    assertEquals(List.of(AMD64, ARM64), recorded());
  }

  @Test
  void anotherIndexStartsAfresh() throws Exception {
    CachedBasePlatforms kept = CachedBasePlatforms.read(dir, BASE);
    jib.writeMetadata(BASE, record(List.of(AMD64, ARM64), AMD64));
    kept.keep();
    String moved = "sha256:" + "3".repeat(64);
    jib.writeMetadata(BASE, record(List.of(AMD64, moved), moved)); // the tag moved: an arm64 image of another index
    kept.keep();
    assertEquals(List.of(moved), recorded(), "an image of the earlier index is not mixed into the new one's record");
  }

  @Test
  void nothingRecordedNothingWritten() throws Exception {
    CachedBasePlatforms kept = CachedBasePlatforms.read(dir, BASE);
    kept.keep();
    assertTrue(jib.retrieveMetadata(BASE).isEmpty());
  }
}
