package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarInputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jars that go into /app/libs: no devtools, no fat jar, and reactor jars that do not change between rebuilds. */
class AppLibrariesTest {
  @TempDir Path work;

  @Test
  void springBootDevtoolsStaysOutUnlessSpringBootKeepsIt() throws Exception {
    Path web = AppFixture.jar(work.resolve("repo/spring-web.jar"), Map.of(), Map.of("a.txt", "a"), Instant.EPOCH);
    Path devtools = AppFixture.jar(work.resolve("repo/spring-boot-devtools.jar"), Map.of(), Map.of("b.txt", "b"), Instant.EPOCH);
    List<Dependency> deps = List.of(
        new Dependency("org.springframework", "spring-web", web, false, false),
        new Dependency("org.springframework.boot", "spring-boot-devtools", devtools, false, false));
    assertEquals(List.of(web), files(prepare(Optional.of(new SpringBootPlugin(Optional.empty(), true)), deps)));
    assertEquals(List.of(web, devtools), files(prepare(Optional.of(new SpringBootPlugin(Optional.empty(), false)), deps)));
  }

  @Test
  void aSpringBootFatJarDependencyIsRefusedWithTheClassifierFix() throws Exception {
    Path fat = AppFixture.jar(work.resolve("sibling/target/api-1.0.jar"), Map.of(
        "Main-Class", "org.springframework.boot.loader.launch.JarLauncher",
        "Start-Class", "com.example.api.ApiApplication",
        "Spring-Boot-Classes", "BOOT-INF/classes/"), Map.of("BOOT-INF/classes/com/example/api/Api.class", "x"), Instant.EPOCH);
    BuildException e = assertThrows(BuildException.class,
        () -> prepare(Optional.empty(), List.of(new Dependency("com.example", "api", fat, false, true))));
    assertTrue(e.getMessage().contains("com.example:api (api-1.0.jar) is a Spring Boot repackaged jar"), e.getMessage());
    assertTrue(e.suggestion().contains("<classifier>exec</classifier>"), e.suggestion());
  }

  @Test
  void aReactorJarRebuiltLaterGivesTheSameBytesInTheImage() throws Exception {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("it/multi/lib/Greeting.class", "class bytes");
    entries.put("META-INF/maven/it/lib/pom.properties", "artifactId=lib\n");
    entries.put("greeting.txt", "hello");
    Map<String, String> reordered = new LinkedHashMap<>();
    List.of("greeting.txt", "it/multi/lib/Greeting.class", "META-INF/maven/it/lib/pom.properties").forEach(k -> reordered.put(k, entries.get(k)));
    Map<String, String> manifest = Map.of("Created-By", "Maven JAR Plugin 3.4.2");
    Path first = AppFixture.jar(work.resolve("first/lib-1.0-SNAPSHOT.jar"), manifest, entries, Instant.parse("2026-12-05T08:00:00Z"));
    Path second = AppFixture.jar(work.resolve("second/lib-1.0-SNAPSHOT.jar"), manifest, reordered, Instant.parse("2026-12-05T08:07:13Z"));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(second)), "the module's own jars differ");

    Path a = prepare(Optional.empty(), List.of(new Dependency("it", "lib", first, true, true))).get(0).file();
    byte[] fromFirst = Files.readAllBytes(a);
    Path b = prepare(Optional.empty(), List.of(new Dependency("it", "lib", second, true, true))).get(0).file();
    assertEquals(work.resolve("out/reactor-jars/lib-1.0-SNAPSHOT.jar"), b);
    assertArrayEquals(fromFirst, Files.readAllBytes(b), "the image's copies are equal");

    // still a valid jar: the manifest first, every entry with its content, one fixed time
    try (JarInputStream jar = new JarInputStream(Files.newInputStream(b))) {
      assertEquals("Maven JAR Plugin 3.4.2", jar.getManifest().getMainAttributes().getValue("Created-By"));
    }
    try (ZipFile zip = new ZipFile(b.toFile())) {
      assertEquals(List.of("META-INF/MANIFEST.MF", "META-INF/maven/it/lib/pom.properties", "greeting.txt", "it/multi/lib/Greeting.class"),
          zip.stream().map(e -> e.getName()).toList());
      assertEquals("hello", new String(zip.getInputStream(zip.getEntry("greeting.txt")).readAllBytes()));
      zip.stream().forEach(e -> assertEquals(ReproducibleJar.ENTRY_TIME, e.getTimeLocal(), e.getName()));
    }
    // a jar from a repository is taken as it is
    assertEquals(first, prepare(Optional.empty(), List.of(new Dependency("it", "lib", first, true, false))).get(0).file());
  }

  private List<Dependency> prepare(Optional<SpringBootPlugin> boot, List<Dependency> deps) throws BuildException {
    return new AppLibraries(Reporter.SILENT)
        .prepare(AppFixture.request(work.resolve("out"), Optional.empty(), boot, Optional.empty(), work.resolve("classes"), deps));
  }

  private static List<Path> files(List<Dependency> deps) {
    return deps.stream().map(Dependency::file).toList();
  }
}
