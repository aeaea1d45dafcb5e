package dev.imagegate.image;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Chooses and prepares the jars that go into the image's {@code /app/libs}, from the project's runtime dependencies:
 * <ul>
 *   <li>{@code spring-boot-devtools} stays out when the project uses {@code spring-boot-maven-plugin} (unless that
 *       plugin sets {@code excludeDevtools} to false), as it stays out of Spring Boot's own repackaged jar;
 *   <li>a Spring Boot repackaged (fat) jar is refused: its classes lie under {@code BOOT-INF/classes} and no class
 *       loader of a plain class path finds them;
 *   <li>a jar built by this reactor is re-packed with {@link ReproducibleJar} into {@code reactor-jars/} of the output
 *       directory, so that rebuilding the same commit gives the same image.
 * </ul>
 */
final class AppLibraries {
  /** Where the re-packed reactor jars go, inside the output directory. */
  static final String REACTOR_JARS = "reactor-jars";

  private final Reporter reporter;

  AppLibraries(Reporter reporter) {
    this.reporter = reporter;
  }

  /** The dependencies the image holds, reactor jars replaced by their re-packed copies. */
  List<Dependency> prepare(BuildRequest request) throws BuildException {
    boolean excludeDevtools = request.springBoot().map(SpringBootPlugin::excludeDevtools).orElse(false);
    List<Dependency> result = new ArrayList<>();
    for (Dependency dependency : request.dependencies()) {
      if (!Files.isRegularFile(dependency.file())) {
        continue;
      }
      if (excludeDevtools && dependency.key().equals(SpringBootPlugin.DEVTOOLS)) {
        reporter.info(
            "Leaving " + dependency.key() + " out of the image, as spring-boot-maven-plugin leaves it out of its jar"
                + " (set <excludeDevtools>false</excludeDevtools> there to keep it).");
        continue;
      }
      refuseFatJar(dependency);
      result.add(dependency.reactor() ? repacked(dependency, request.outputDirectory()) : dependency);
    }
    return result;
  }

  private static void refuseFatJar(Dependency dependency) throws BuildException {
    Optional<Manifest> manifest;
    try (JarFile jar = new JarFile(dependency.file().toFile(), false)) {
      manifest = Optional.ofNullable(jar.getManifest());
    } catch (IOException e) {
      throw new BuildException(
          "Cannot read the dependency " + dependency.key() + " (" + dependency.file() + "): " + e.getMessage(),
          "Check that " + dependency.file() + " is a jar; delete it from the local repository to have Maven fetch it again.",
          e);
    }
    Attributes main = manifest.map(Manifest::getMainAttributes).orElse(new Attributes());
    if (main.getValue("Spring-Boot-Classes") != null) {
      throw new BuildException(
          "The dependency " + dependency.key() + " (" + dependency.file().getFileName() + ") is a Spring Boot repackaged"
              + " jar: its classes lie under " + main.getValue("Spring-Boot-Classes") + " and cannot be loaded from the"
              + " image's class path.",
          "Depend on the module's plain jar: in " + dependency.key() + ", give spring-boot-maven-plugin's repackage a"
              + " classifier (<classifier>exec</classifier>), so the fat jar is attached beside the plain one instead of"
              + " replacing it.");
    }
  }

  private Dependency repacked(Dependency dependency, Path outputDirectory) throws BuildException {
    Path copy = outputDirectory.resolve(REACTOR_JARS).resolve(dependency.file().getFileName());
    try {
      ReproducibleJar.repack(dependency.file(), copy);
    } catch (IOException e) {
      throw new BuildException(
          "Cannot re-pack the reactor module jar " + dependency.file() + " into " + copy + ": " + e.getMessage(),
          "Rebuild the module (mvn package) and check that " + outputDirectory + " is writable.",
          e);
    }
    reporter.debug("Re-packed the reactor jar " + dependency.file() + " with fixed entry times into " + copy);
    return new Dependency(dependency.groupId(), dependency.artifactId(), copy, dependency.snapshot(), true);
  }
}
