package dev.imagegate.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.cache.CacheCorruptedException;
import com.google.cloud.tools.jib.image.json.ImageMetadataTemplate;
import com.google.cloud.tools.jib.image.json.ManifestAndConfigTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps every platform of a multi-platform base image recorded in jib's base image cache, so that an offline
 * ({@code -o}) build finds all of them.
 *
 * <p>jib writes one platform per build to a tar, so a two-platform image is two jib builds; and each time jib pulls a
 * platform of a base image index it records in the cache the index with only the platform(s) of that build
 * ({@code manifests_configs.json}), replacing what an earlier build of another platform recorded. Offline, jib then
 * finds only the platform pulled last. After each platform's build this adds what jib recorded to what the cache held
 * before and what the earlier platforms recorded, and writes the union back through jib's own cache API. Entries are
 * kept only while the recorded index stays the same (a tag that moved starts afresh).
 */
final class CachedBasePlatforms {
  private final Cache cache;
  private final ImageReference base;
  private final Map<String, ManifestAndConfigTemplate> byManifestDigest = new LinkedHashMap<>();
  private String index;

  private CachedBasePlatforms(Cache cache, ImageReference base) {
    this.cache = cache;
    this.base = base;
  }

  /** Starts from what the cache in {@code directory} records for {@code base} (nothing is written yet). */
  static CachedBasePlatforms read(Path directory, ImageReference base) throws IOException {
    try {
      CachedBasePlatforms platforms = new CachedBasePlatforms(Cache.withDirectory(directory), base);
      platforms.collect();
      return platforms;
    } catch (CacheDirectoryCreationException e) {
      throw new IOException("Cannot create the base image cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * After a platform's build: adds what jib recorded for the base to what was kept, and writes the union back when jib
   * left a platform out.
   */
  void keep() throws IOException {
    Optional<ImageMetadataTemplate> recorded = collect();
    if (recorded.isPresent() && byManifestDigest.size() > recorded.get().getManifestsAndConfigs().size()) {
      cache.writeMetadata(base, new ImageMetadataTemplate(recorded.get().getManifestList(), new ArrayList<>(byManifestDigest.values())));
    }
  }

  /** Reads the cache's record of the base, and keeps its platform images when it is an index. */
  private Optional<ImageMetadataTemplate> collect() throws IOException {
    Optional<ImageMetadataTemplate> recorded;
    try {
      recorded = cache.retrieveMetadata(base);
    } catch (CacheCorruptedException e) {
      throw new IOException("The base image cache's record of " + base + " is corrupt: " + e.getMessage(), e);
    }
    if (recorded.isEmpty() || recorded.get().getManifestList() == null) {
      return Optional.empty();
    }
    String recordedIndex = JsonTemplateMapper.toUtf8String(recorded.get().getManifestList());
    if (!recordedIndex.equals(index)) {
      index = recordedIndex;
      byManifestDigest.clear();
    }
    for (ManifestAndConfigTemplate image : recorded.get().getManifestsAndConfigs()) {
      byManifestDigest.putIfAbsent(image.getManifestDigest(), image);
    }
    return recorded;
  }
}
