package dev.imagegate.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * The class path the image's entrypoint runs with: the project's classes directory and the dependency jars, in the
 * image's order ({@code /app/resources:/app/classes:/app/libs/*}).
 *
 * @param classesDirectory the project's compiled classes and resources
 * @param jars the dependency jars the image holds
 */
record ImageClasspath(Path classesDirectory, List<Path> jars) {

  ImageClasspath {
    jars = List.copyOf(jars);
  }

  /** Where the class file of {@code className} is on this class path: the classes directory or a jar; empty if nowhere. */
  Optional<Path> locate(String className) throws IOException {
    String entry = className.replace('.', '/') + ".class";
    if (Files.isRegularFile(classesDirectory.resolve(entry))) {
      return Optional.of(classesDirectory);
    }
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        if (zip.getEntry(entry) != null) {
          return Optional.of(jar);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses a main class the image could not start: one of Spring Boot's launchers (they start only from a repackaged
   * jar, which the image does not hold), or a class found neither in the classes nor in any dependency jar.
   */
  void requireStartable(MainClassResolver.Choice main) throws BuildException {
    String name = main.className();
    if (SpringBootPlugin.isLauncher(name)) {
      throw new BuildException(
          "The main class " + name + " (from " + main.source() + ") is Spring Boot's launcher for a repackaged jar; the"
              + " image holds the application's classes and dependency jars as separate layers, not that jar, so it"
              + " must start the application's own class.",
          "Remove that <mainClass> and let the plugin take the Start-Class (or spring-boot-maven-plugin's <mainClass>,"
              + " or the @SpringBootApplication class), or set <mainClass>com.example.Application</mainClass>"
              + " (imagegate.mainClass) to it.");
    }
    Optional<Path> where;
    try {
      where = locate(name);
    } catch (IOException e) {
      throw new BuildException(
          "Cannot look for the main class " + name + " in the image's class path: " + e.getMessage(),
          "Rebuild the project (mvn clean package) so its classes and dependency jars are complete.",
          e);
    }
    if (where.isEmpty()) {
      throw new BuildException(
          "The main class " + name + " (from " + main.source() + ") is not in the image's class path: not in "
              + classesDirectory + " nor in any of the " + jars.size() + " runtime dependency jars, so the image would"
              + " fail with ClassNotFoundException.",
          "Set <mainClass> (imagegate.mainClass) to a class of this project or of a runtime-scoped dependency (check the"
              + " spelling and the package), and build through the compile phase (mvn package) so target/classes holds it.");
    }
  }
}
