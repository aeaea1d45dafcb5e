package dev.imagegate.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.MainClassFinder;
import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Chooses the class the image starts, first match wins:
 * <ol>
 *   <li>the plugin's {@code <mainClass>};
 *   <li>spring-boot-maven-plugin's {@code <mainClass>};
 *   <li>the project jar's manifest: {@code Start-Class} (a Spring Boot repackaged jar, whose {@code Main-Class} is
 *       Spring Boot's launcher), else {@code Main-Class} unless it is one of Spring Boot's launchers;
 *   <li>the only class with a {@code main} method in the project's classes, and among several, the only one annotated
 *       {@code @SpringBootApplication}.
 * </ol>
 */
final class MainClassResolver {
  /** How {@code @SpringBootApplication} appears in the constant pool of a class it annotates. */
  private static final byte[] SPRING_BOOT_APPLICATION =
      "Lorg/springframework/boot/autoconfigure/SpringBootApplication;".getBytes(StandardCharsets.UTF_8);

  /**
   * The chosen class.
   *
   * @param className its binary name
   * @param source where it came from, for messages
   */
  record Choice(String className, String source) {}

  private final Reporter reporter;
  private final Consumer<LogEvent> jibLog;

  MainClassResolver(Reporter reporter, Consumer<LogEvent> jibLog) {
    this.reporter = reporter;
    this.jibLog = jibLog;
  }

  Choice resolve(BuildRequest request) throws BuildException {
    Optional<String> configured = request.mainClass().map(String::trim).filter(m -> !m.isEmpty());
    if (configured.isPresent()) {
      return new Choice(configured.get(), "<mainClass> (imagegate.mainClass)");
    }
    Optional<String> boot =
        request.springBoot().flatMap(SpringBootPlugin::mainClass).map(String::trim).filter(m -> !m.isEmpty());
    if (boot.isPresent()) {
      return new Choice(boot.get(), "spring-boot-maven-plugin's <mainClass>");
    }
    Optional<Choice> manifest = request.projectJar().filter(Files::isRegularFile).flatMap(this::fromManifest);
    if (manifest.isPresent()) {
      return manifest.get();
    }
    return fromClasses(request.classesDirectory());
  }

  private Optional<Choice> fromManifest(Path jar) {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      if (file.getManifest() == null) {
        return Optional.empty();
      }
      Attributes main = file.getManifest().getMainAttributes();
      String start = trimmed(main.getValue("Start-Class"));
      if (start != null) {
        return Optional.of(new Choice(start, "Start-Class of " + jar.getFileName()));
      }
      String mainClass = trimmed(main.getValue("Main-Class"));
      if (mainClass != null && SpringBootPlugin.isLauncher(mainClass)) {
        reporter.warn(
            jar.getFileName() + " starts with Spring Boot's " + mainClass + " but names no Start-Class: looking for the"
                + " application's main class in the compiled classes.");
        return Optional.empty();
      }
      return Optional.ofNullable(mainClass).map(m -> new Choice(m, "Main-Class of " + jar.getFileName()));
    } catch (IOException e) {
      reporter.warn("Cannot read the manifest of " + jar + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private Choice fromClasses(Path classes) throws BuildException {
    List<Path> classFiles = new ArrayList<>();
    if (Files.isDirectory(classes)) {
      try (Stream<Path> files = Files.walk(classes)) {
        files.filter(p -> p.toString().endsWith(".class")).sorted().forEach(classFiles::add);
      } catch (IOException e) {
        reporter.warn("Cannot list " + classes + ": " + e.getMessage());
      }
    }
    MainClassFinder.Result found = MainClassFinder.find(classFiles, jibLog);
    switch (found.getType()) {
      case MAIN_CLASS_FOUND:
        return new Choice(found.getFoundMainClass(), "the only class with a main method");
      case MULTIPLE_MAIN_CLASSES:
        List<String> applications = springBootApplications(classes, found.getFoundMainClasses());
        if (applications.size() == 1) {
          return new Choice(applications.get(0), "the only @SpringBootApplication class with a main method");
        }
        throw new BuildException(
            "Cannot tell which main class the image should run: several classes have a main method: "
                + found.getFoundMainClasses()
                + (applications.isEmpty() ? "" : ", and several of them are @SpringBootApplication: " + applications)
                + ".",
            "Set <mainClass>com.example.Main</mainClass> in the plugin configuration (imagegate.mainClass).");
      default:
        throw new BuildException(
            "Cannot tell which main class the image should run: no class has a main method and the jar manifest has"
                + " no Main-Class.",
            "Set <mainClass>com.example.Main</mainClass> in the plugin configuration (imagegate.mainClass), or a"
                + " Main-Class in maven-jar-plugin's <archive><manifest><mainClass>.");
    }
  }

  /** Those of {@code candidates} whose class file is annotated {@code @SpringBootApplication}. */
  private List<String> springBootApplications(Path classes, List<String> candidates) {
    List<String> result = new ArrayList<>();
    for (String candidate : candidates) {
      Path file = classes.resolve(candidate.replace('.', '/') + ".class");
      try {
        if (contains(Files.readAllBytes(file), SPRING_BOOT_APPLICATION)) {
          result.add(candidate);
        }
      } catch (IOException e) {
        reporter.warn("Cannot read " + file + ": " + e.getMessage());
      }
    }
    return result;
  }

  private static boolean contains(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
