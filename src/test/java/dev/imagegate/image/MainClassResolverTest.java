package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class the image starts: the application's own, never Spring Boot's launcher of a repackaged jar, and always one
 * the image's class path holds.
 */
class MainClassResolverTest {
  private static final Instant TIME = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path work;
  @TempDir static Path compiled;
  private static Path classes;

  /** A Spring Boot web application as start.spring.io makes it, plus a second class with a main method (a tool). */
  @BeforeAll
  static void compileApplication() throws IOException {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("org/springframework/boot/autoconfigure/SpringBootApplication.java", AppFixture.SPRING_BOOT_APPLICATION);
    sources.put("com/example/demo/DemoApplication.java",
        "package com.example.demo;\n"
            + "@org.springframework.boot.autoconfigure.SpringBootApplication\n"
            + "public class DemoApplication { public static void main(String[] args) {} }\n");
    sources.put("com/example/demo/tools/Migrate.java",
        "package com.example.demo.tools;\npublic class Migrate { public static void main(String[] args) {} }\n");
    classes = AppFixture.compile(compiled, compiled.resolve("classes"), sources);
    // the stand-in annotation is compiled along but is not part of the application
    java.nio.file.Files.walk(classes.resolve("org")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
  }

  /** Spring Boot 2.7's repackaged jar: Main-Class is org.springframework.boot.loader.JarLauncher. */
  @Test
  void aSpringBoot27RepackagedJarStartsItsStartClass() throws Exception {
    Path jar = AppFixture.jar(work.resolve("target/demo-0.0.1.jar"), Map.of(
        "Main-Class", "org.springframework.boot.loader.JarLauncher",
        "Start-Class", "com.example.demo.DemoApplication",
        "Spring-Boot-Version", "2.7.18",
        "Spring-Boot-Classes", "BOOT-INF/classes/",
        "Spring-Boot-Lib", "BOOT-INF/lib/"),
        Map.of("BOOT-INF/classes/com/example/demo/DemoApplication.class", "x"), TIME);
    MainClassResolver.Choice main = resolve(Optional.empty(), Optional.of(boot(Optional.empty())), Optional.of(jar));
    assertEquals("com.example.demo.DemoApplication", main.className());
    assertEquals("Start-Class of demo-0.0.1.jar", main.source());
    classpath(List.of()).requireStartable(main);
  }

  /** Spring Boot 3.2 and later: Main-Class is org.springframework.boot.loader.launch.JarLauncher. */
  @Test
  void aSpringBoot3RepackagedJarStartsItsStartClass() throws Exception {
    Path jar = AppFixture.jar(work.resolve("target/demo-0.0.1.jar"), Map.of(
        "Main-Class", "org.springframework.boot.loader.launch.JarLauncher",
        "Start-Class", "com.example.demo.DemoApplication",
        "Spring-Boot-Version", "3.3.5",
        "Spring-Boot-Classes", "BOOT-INF/classes/"), Map.of(), TIME);
    MainClassResolver.Choice main = resolve(Optional.empty(), Optional.of(boot(Optional.empty())), Optional.of(jar));
    assertEquals("com.example.demo.DemoApplication", main.className());
  }

  @Test
  void withRepackagingOffTheOnlySpringBootApplicationAmongSeveralMainClassesIsChosen() throws Exception {
    Path plain = AppFixture.jar(work.resolve("target/demo-0.0.1.jar"), Map.of(), Map.of(), TIME);
    MainClassResolver.Choice main = resolve(Optional.empty(), Optional.of(boot(Optional.empty())), Optional.of(plain));
    assertEquals("com.example.demo.DemoApplication", main.className());
    assertEquals("the only @SpringBootApplication class with a main method", main.source());
    // before any jar exists (imagegate's build bound before the jar in the package phase) the classes decide too
    assertEquals("com.example.demo.DemoApplication", resolve(Optional.empty(), Optional.empty(), Optional.empty()).className());
  }

  @Test
  void springBootPluginsMainClassComesBeforeTheManifestAndImagegatesOwnBeforeThat() throws Exception {
    Path jar = AppFixture.jar(work.resolve("target/demo.jar"), Map.of("Main-Class", "com.example.demo.tools.Migrate"), Map.of(), TIME);
    SpringBootPlugin boot = boot(Optional.of("com.example.demo.DemoApplication"));
    assertEquals("com.example.demo.DemoApplication", resolve(Optional.empty(), Optional.of(boot), Optional.of(jar)).className());
    assertEquals("com.example.demo.tools.Migrate",
        resolve(Optional.of("com.example.demo.tools.Migrate"), Optional.of(boot), Optional.of(jar)).className());
  }

  @Test
  void aLauncherWithoutStartClassIsNeverTakenFromTheManifest() throws Exception {
    Path jar = AppFixture.jar(work.resolve("target/demo.jar"),
        Map.of("Main-Class", "org.springframework.boot.loader.launch.JarLauncher"), Map.of(), TIME);
    assertEquals("com.example.demo.DemoApplication", resolve(Optional.empty(), Optional.empty(), Optional.of(jar)).className());
  }

  @Test
  void aConfiguredLauncherIsRefusedAtBuildWithTheFix() throws Exception {
    MainClassResolver.Choice main =
        resolve(Optional.of("org.springframework.boot.loader.launch.JarLauncher"), Optional.empty(), Optional.empty());
    BuildException e = assertThrows(BuildException.class, () -> classpath(List.of()).requireStartable(main));
    assertTrue(e.getMessage().contains("org.springframework.boot.loader.launch.JarLauncher"), e.getMessage());
    assertTrue(e.suggestion().contains("Start-Class"), e.suggestion());
  }

  @Test
  void aMainClassThatIsNotInTheImageIsRefusedNamingItAndTheFix() throws Exception {
    MainClassResolver.Choice main = resolve(Optional.of("com.example.demo.DemoApp"), Optional.empty(), Optional.empty());
    Path lib = AppFixture.jar(work.resolve("libs/lib.jar"), Map.of(), Map.of("com/example/lib/Util.class", "x"), TIME);
    BuildException e = assertThrows(BuildException.class, () -> classpath(List.of(lib)).requireStartable(main));
    assertTrue(e.getMessage().contains("The main class com.example.demo.DemoApp (from <mainClass> (imagegate.mainClass))"
        + " is not in the image's class path"), e.getMessage());
    assertTrue(e.getMessage().contains("ClassNotFoundException"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.mainClass"), e.suggestion());

    // a Start-Class naming a class that is not compiled (stale jar, renamed class) is refused the same way
    Path jar = AppFixture.jar(work.resolve("target/demo.jar"), Map.of(
        "Main-Class", "org.springframework.boot.loader.JarLauncher", "Start-Class", "com.example.demo.Renamed"), Map.of(), TIME);
    MainClassResolver.Choice stale = resolve(Optional.empty(), Optional.empty(), Optional.of(jar));
    BuildException s = assertThrows(BuildException.class, () -> classpath(List.of(lib)).requireStartable(stale));
    assertTrue(s.getMessage().contains("com.example.demo.Renamed (from Start-Class of demo.jar)"), s.getMessage());
  }

  @Test
  void aMainClassFromADependencyJarIsAccepted() throws Exception {
    Path lib = AppFixture.jar(work.resolve("libs/runner.jar"), Map.of(), Map.of("com/example/runner/Main.class", "x"), TIME);
    MainClassResolver.Choice main = resolve(Optional.of("com.example.runner.Main"), Optional.empty(), Optional.empty());
    classpath(List.of(lib)).requireStartable(main);
    assertEquals(Optional.of(lib), classpath(List.of(lib)).locate("com.example.runner.Main"));
  }

  @Test
  void severalMainClassesAndNoSingleApplicationAsksForMainClass() throws Exception {
    Path other = AppFixture.compile(work, work.resolve("other"), Map.of(
        "a/A.java", "package a; public class A { public static void main(String[] x) {} }",
        "b/B.java", "package b; public class B { public static void main(String[] x) {} }"));
    BuildException e = assertThrows(BuildException.class, () -> new MainClassResolver(Reporter.SILENT, event -> {})
        .resolve(AppFixture.request(work, Optional.empty(), Optional.empty(), Optional.empty(), other, List.of())));
    assertTrue(e.getMessage().contains("several classes have a main method"), e.getMessage());
    assertTrue(e.suggestion().contains("<mainClass>"), e.suggestion());
  }

  private static SpringBootPlugin boot(Optional<String> mainClass) {
    return new SpringBootPlugin(mainClass, true);
  }

  private MainClassResolver.Choice resolve(Optional<String> configured, Optional<SpringBootPlugin> boot, Optional<Path> jar)
      throws BuildException {
    return new MainClassResolver(Reporter.SILENT, event -> {})
        .resolve(AppFixture.request(work, configured, boot, jar, classes, List.of()));
  }

  private ImageClasspath classpath(List<Path> jars) {
    return new ImageClasspath(classes, jars);
  }
}
