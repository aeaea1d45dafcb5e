package dev.imagegate.image;

import java.nio.file.Path;

/**
 * A runtime dependency that goes into the image's {@code /app/libs}.
 *
 * @param groupId the Maven groupId
 * @param artifactId the Maven artifactId
 * @param file the jar
 * @param snapshot a SNAPSHOT version (jib gives these a layer of their own)
 * @param reactor built by this reactor (a sibling module): its jar is re-packed with fixed entry times and order,
 *     so that the image does not change when the sibling is rebuilt from the same sources
 */
public record Dependency(String groupId, String artifactId, Path file, boolean snapshot, boolean reactor) {

  /** {@code groupId:artifactId}. */
  public String key() {
    return groupId + ":" + artifactId;
  }
}
