package dev.imagegate.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiled classes, jars and build requests for the tests of what goes into the image and what it starts. */
final class AppFixture {
  /**
   * Spring Boot's annotation, declared as spring-boot-autoconfigure declares it (same name, runtime retention): a class
   * annotated with it carries the same descriptor in its class file as one compiled against Spring Boot itself.
   */
  static final String SPRING_BOOT_APPLICATION =
      "package org.springframework.boot.autoconfigure;\n"
          + "@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)\n"
          + "@java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)\n"
          + "public @interface SpringBootApplication {}\n";

  private AppFixture() {}

  /** Compiles {@code sources} (file name relative to the source root → source) into {@code classes}. */
  static Path compile(Path work, Path classes, Map<String, String> sources) throws IOException {
    Path src = work.resolve("src-" + classes.getFileName());
    Files.createDirectories(classes);
    String[] args = new String[sources.size() + 4];
    args[0] = "--release";
    args[1] = "17";
    args[2] = "-d";
    args[3] = classes.toString();
    int i = 4;
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      args[i++] = file.toString();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac.run(null, null, null, args) != 0) {
      throw new IllegalStateException("javac failed on " + sources.keySet());
    }
    return classes;
  }

  /** A jar with the given manifest attributes and entries (name → content), every entry stamped {@code time}. */
  static Path jar(Path file, Map<String, String> manifest, Map<String, String> entries, Instant time) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out)) {
      JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
      m.setLastModifiedTime(FileTime.from(time));
      jar.putNextEntry(m);
      mf.write(jar);
      jar.closeEntry();
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        JarEntry e = new JarEntry(entry.getKey());
        e.setLastModifiedTime(FileTime.from(time));
        jar.putNextEntry(e);
        jar.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
    return file;
  }

  /** A build request for the main class and libraries logic; the fields that only the jib build reads are filler. */
  static BuildRequest request(
      Path out,
      Optional<String> mainClass,
      Optional<SpringBootPlugin> springBoot,
      Optional<Path> projectJar,
      Path classes,
      List<Dependency> dependencies) {
    return new BuildRequest(
        out,
        out,
        "registry.example.com/java-base:17@sha256:" + "0".repeat(64),
        "app",
        Optional.empty(),
        "65532",
        mainClass,
        springBoot,
        projectJar,
        classes,
        dependencies,
        ContainerSettings.NONE,
        registry -> Optional.empty(),
        BuildPolicy.STRICT,
        Optional.empty(),
        out.resolve("jib-cache"),
        false,
        "test");
  }
}
