package dev.imagegate.github;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where in the repository a developer changes what a finding is about: the line declaring a Maven dependency (or the
 * managed version, or the direct dependency that brings a transitive one in), the base image ({@code from}) line for
 * an operating-system package, the source file a file of the image was copied from. The build tool fills it in.
 *
 * @param repositoryRoot the repository's root directory (where {@code .git} is)
 * @param packages {@code groupId:artifactId} → the line to change for that Maven package
 * @param baseImage the line naming the base image
 * @param build the line declaring the plugin: where a goal's configuration is, and the fallback for everything else
 * @param imageDirectories image directories and the repository directories their files come from
 *     ({@code app/resources/} → {@code src/main/resources/}), both ending in '/'
 */
public record SourceLocations(
    Path repositoryRoot, Map<String, SourceLocation> packages, SourceLocation baseImage, SourceLocation build, List<CopiedDirectory> imageDirectories) {

  /** Nothing known: everything points at line 1 of {@code pom.xml}. */
  public static final SourceLocations NONE =
      new SourceLocations(Path.of(""), Map.of(), new SourceLocation("pom.xml", 1), new SourceLocation("pom.xml", 1), List.of());

  public SourceLocations {
    packages = Map.copyOf(packages);
    imageDirectories = List.copyOf(imageDirectories);
  }

  /**
   * A directory of the image filled from one of the repository.
   *
   * @param image the directory in the image, no leading '/', ending in '/' ({@code app/resources/})
   * @param repository the repository directory, relative to the root, ending in '/' ({@code src/main/resources/})
   */
  public record CopiedDirectory(String image, String repository) {}

  /**
   * The line to change for a vulnerable package: its Maven declaration for the {@code Maven} ecosystem, the base image
   * line for an operating-system package, else the plugin's declaration.
   *
   * @param ecosystem the finding's ecosystem ({@code Maven}, {@code Debian:12}, {@code Alpine:v3.20}…)
   * @param packageName {@code groupId:artifactId} for Maven, the package name otherwise
   */
  public SourceLocation ofPackage(String ecosystem, String packageName) {
    if (ecosystem != null && ecosystem.toLowerCase(Locale.ROOT).startsWith("maven")) {
      return packages.getOrDefault(packageName, build);
    }
    return baseImage;
  }

  /**
   * The repository file a file of the image was copied from, at the same line, when there is one; else empty.
   *
   * @param imagePath the path in the image ({@code /app/resources/application.properties})
   * @param line the 1-based line in that file
   */
  public Optional<SourceLocation> ofImageFile(String imagePath, int line) {
    String path = imagePath.startsWith("/") ? imagePath.substring(1) : imagePath;
    for (CopiedDirectory d : imageDirectories) {
      if (path.startsWith(d.image())) {
        String file = d.repository() + path.substring(d.image().length());
        if (Files.isRegularFile(repositoryRoot.resolve(file))) {
          return Optional.of(new SourceLocation(file, line));
        }
      }
    }
    return Optional.empty();
  }
}
