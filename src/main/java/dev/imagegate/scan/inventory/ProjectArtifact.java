package dev.imagegate.scan.inventory;

import java.nio.file.Path;

/**
 * A resolved runtime dependency of the project, as Maven knows it: the exact GAV of a jar in the image that is the same
 * file (same name, size and SHA-1) but does not name itself with a {@code pom.properties}.
 *
 * @param file the resolved file (in the local repository, or the project's own packaged jar)
 */
public record ProjectArtifact(String groupId, String artifactId, String version, Path file) {

  /** The file's name, as the build copies it into the image ({@code spring-web-6.1.14.jar}). */
  public String fileName() {
    return file.getFileName().toString();
  }

  /** {@code groupId:artifactId:version}. */
  public String gav() {
    return groupId + ":" + artifactId + ":" + version;
  }
}
