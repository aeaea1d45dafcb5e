package dev.imagegate.image;

import dev.imagegate.registry.CredentialProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link ImageBuilder} needs, gathered by the build goal from the Maven project.
 *
 * @param projectDirectory the project's base directory (inside a git working tree)
 * @param outputDirectory where the archive and image.json go ({@code target/imagegate})
 * @param baseImage the base image reference, ideally pinned by digest
 * @param imageName the image's repository name, e.g. {@code myapp}
 * @param tag an explicit tag, or empty for {@code sha-<commit>}
 * @param user the user the image runs as (uid, uid:gid or name)
 * @param mainClass the main class, or empty to infer it (see {@link MainClassResolver})
 * @param springBoot the project's spring-boot-maven-plugin configuration, when it declares that plugin
 * @param projectJar the project's packaged jar (read for its Start-Class or Main-Class only: it is not in the image)
 * @param classesDirectory compiled classes and processed resources ({@code target/classes})
 * @param dependencies runtime dependency jars, in the project's order
 * @param container entrypoint, arguments, JVM flags, environment, working directory, labels, extra directories,
 *     volumes and ports of the image
 * @param credentials credentials for the base image's registry
 * @param policy the build policy and its opt-outs
 * @param baseImageCache jib's base-layer cache directory, or empty for jib's default
 * @param applicationCache jib's application-layer cache directory
 * @param offline build only from cached base layers
 * @param pluginVersion recorded in image.json
 */
public record BuildRequest(
    Path projectDirectory,
    Path outputDirectory,
    String baseImage,
    String imageName,
    Optional<String> tag,
    String user,
    Optional<String> mainClass,
    Optional<SpringBootPlugin> springBoot,
    Optional<Path> projectJar,
    Path classesDirectory,
    List<Dependency> dependencies,
    ContainerSettings container,
    CredentialProvider credentials,
    BuildPolicy policy,
    Optional<Path> baseImageCache,
    Path applicationCache,
    boolean offline,
    String pluginVersion) {

  public BuildRequest {
    dependencies = List.copyOf(dependencies);
  }
}
