package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.ConsoleReporter;
import dev.imagegate.git.GitCommitReader;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.registry.TransportProbe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each container setting, read back from the image config and layers in the archive the build writes; two builds of
 * one commit with every setting give one digest; a setting jib would reject, or that would give another image than the
 * one asked for, fails before anything is built, naming the parameter and the fix.
 *
 * <p>The images are built on {@code scratch} (no registry needed): only what the settings add is looked at here. The
 * {@code container-settings} story builds on the real base image and starts the image.
 */
class ContainerSettingsTest {
  private static final Instant WHEN = Instant.parse("2026-03-01T12:00:00Z");
  private static final BuildPolicy SCRATCH = new BuildPolicy(true, true, false, false);

  @TempDir Path dir;

  /** A git project with a main class and an extra directory {@code src/main/image} (bin/start.sh, config/app.properties). */
  private Path project() throws Exception {
    Path project = Files.createDirectories(dir.resolve("app"));
    AppFixture.compile(dir, project.resolve("target/classes"),
        Map.of("it/hello/Main.java", "package it.hello; public class Main { public static void main(String[] a) {} }"));
    Path extra = Files.createDirectories(project.resolve("src/main/image/bin"));
    Files.writeString(extra.resolve("start.sh"), "#!/bin/sh\nexec java -cp '/app/classes' it.hello.Main \"$@\"\n");
    Files.createDirectories(project.resolve("src/main/image/config"));
    Files.writeString(project.resolve("src/main/image/config/app.properties"), "greeting=hello\n");
    Files.writeString(project.resolve("src/main/image/config/local.secret"), "not for the image\n");
    try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
      Files.writeString(project.resolve(".gitignore"), "target/\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@example.com", Date.from(WHEN), TimeZone.getTimeZone("UTC"));
      git.commit().setMessage("app").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    return project;
  }

  private static ContainerSettings everything(Path project) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("APP_MODE", "container");
    environment.put("JAVA_TOOL_OPTIONS", "-Xss512k");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("team", "payments");
    labels.put(OciLabels.VERSION, "1.2.3-override");
    return new ContainerSettings(
        List.of(),
        List.of("--greeting", "hello world"),
        List.of("-XX:MaxRAMPercentage=75", "-Dapp.flag=on"),
        environment,
        Optional.of("/srv/app"),
        labels,
        List.of(
            new ContainerSettings.ExtraDirectory(
                project.resolve("src/main/image"), "/srv/app", List.of(), List.of("**/*.secret"), true),
            new ContainerSettings.ExtraDirectory(project.resolve("src/main/jib"), "/", List.of(), List.of(), false)),
        List.of(new ContainerSettings.Permission("/srv/app/bin/*.sh", "755")),
        List.of("/tmp", "/srv/app/data"),
        List.of("8080", "8125/udp", "9000-9001"),
        new OciLabels(true, Optional.of("https://ci:token@github.com/acme/app"), Optional.of("1.2.3")));
  }

  private BuildRequest request(Path project, Path out, ContainerSettings settings) {
    return new BuildRequest(
        project, out, "scratch", "app", Optional.empty(), "65532", Optional.empty(), Optional.empty(), Optional.empty(),
        project.resolve("target/classes"), List.of(), settings, registry -> Optional.empty(), SCRATCH, Optional.empty(),
        project.resolve("target/jib-cache"), true, "test");
  }

  private ImageDescriptor build(BuildRequest request, ConsoleReporter reporter) throws Exception {
    return new ImageBuilder(new GitCommitReader(), new TransportProbe(Duration.ofSeconds(1)), reporter).build(request);
  }

  private static JsonNode config(Path out) throws Exception {
    try (OciArchive oci = OciArchive.open(out.resolve(ImageBuilder.ARCHIVE_NAME))) {
      return oci.config().get("config");
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  /** Path → mode (octal) of every entry in every layer of the archive. */
  private static Map<String, String> modes(Path out) throws Exception {
    Map<String, String> modes = new LinkedHashMap<>();
    try (OciArchive oci = OciArchive.open(out.resolve(ImageBuilder.ARCHIVE_NAME))) {
      for (Descriptor layer : oci.layers()) {
        try (InputStream blob = oci.openVerified(layer);
            TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(blob))) {
          TarArchiveEntry e;
          while ((e = tar.getNextEntry()) != null) {
            modes.put(e.getName().replaceAll("/$", ""), Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId()
                + " " + e.getLastModifiedDate().toInstant());
          }
        }
      }
    }
    return modes;
  }

  @Test
  void everySettingIsInTheImageAndTwoBuildsAreOneDigest() throws Exception {
    Path project = project();
    ConsoleReporter console = new ConsoleReporter();
    List<String> log = console.lines();
    ImageDescriptor first = build(request(project, dir.resolve("out1"), everything(project)), console);
    JsonNode config = config(dir.resolve("out1"));

    // jib's Java entrypoint with the JVM flags; args are the Cmd
    assertEquals(List.of("java", "-XX:MaxRAMPercentage=75", "-Dapp.flag=on", "-cp", "/app/resources:/app/classes:/app/libs/*",
        "it.hello.Main"), strings(config.get("Entrypoint")));
    assertEquals(List.of("--greeting", "hello world"), strings(config.get("Cmd")));
    List<String> env = strings(config.get("Env"));
    assertTrue(env.contains("APP_MODE=container") && env.contains("JAVA_TOOL_OPTIONS=-Xss512k"), env.toString());
    assertEquals("/srv/app", config.get("WorkingDir").asText());
    assertEquals("65532", config.get("User").asText());
    List<String> ports = new ArrayList<>();
    config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertEquals(List.of("8080/tcp", "8125/udp", "9000/tcp", "9001/tcp"), ports.stream().sorted().toList());
    List<String> volumes = new ArrayList<>();
    config.get("Volumes").fieldNames().forEachRemaining(volumes::add);
    assertEquals(List.of("/srv/app/data", "/tmp"), volumes.stream().sorted().toList());

    // labels: configured ones, the OCI ones from the project and the commit (a configured one wins), no user info
    JsonNode labels = config.get("Labels");
    assertEquals("payments", labels.get("team").asText());
    assertEquals("https://github.com/acme/app", labels.get(OciLabels.SOURCE).asText());
    assertEquals(first.commit(), labels.get(OciLabels.REVISION).asText());
    assertEquals("2026-03-01T12:00:00Z", labels.get(OciLabels.CREATED).asText());
    assertEquals("1.2.3-override", labels.get(OciLabels.VERSION).asText());
    assertEquals(first.created(), labels.get(OciLabels.CREATED).asText(), "the label is the image's creation time");

    // the extra directory, with its permissions, root-owned, at jib's fixed time; excluded files are left out
    Map<String, String> modes = modes(dir.resolve("out1"));
    assertEquals("755 0 1970-01-01T00:00:01Z", modes.get("srv/app/bin/start.sh"), modes.toString());
    assertEquals("644 0 1970-01-01T00:00:01Z", modes.get("srv/app/config/app.properties"));
    assertEquals("755 0 1970-01-01T00:00:01Z", modes.get("srv/app/config"));
    assertFalse(modes.containsKey("srv/app/config/local.secret"), "excluded");
    assertTrue(log.contains("Extra directory " + project.resolve("src/main/image") + " -> /srv/app (2 files)"), log.toString());

    // a second build of the same commit from a clean application cache: the same image
    deleteRecursively(project.resolve("target/jib-cache"));
    ImageDescriptor second = build(request(project, dir.resolve("out2"), everything(project)), new ConsoleReporter());
    assertEquals(first.digest(), second.digest());
  }

  @Test
  void aCustomEntrypointReplacesJibsJavaOneAndInheritKeepsTheBaseImages() throws Exception {
    Path project = project();
    ContainerSettings all = everything(project);
    ContainerSettings script = new ContainerSettings(
        List.of("/srv/app/bin/start.sh"), List.of("--port", "8080"), all.jvmFlags(), Map.of(), Optional.empty(), Map.of(),
        all.extraDirectories(), all.permissions(), List.of(), List.of(), OciLabels.NONE);
    ConsoleReporter console = new ConsoleReporter();
    List<String> log = console.lines();
    build(request(project, dir.resolve("script"), script), console);
    JsonNode config = config(dir.resolve("script"));
    assertEquals(List.of("/srv/app/bin/start.sh"), strings(config.get("Entrypoint")));
    assertEquals(List.of("--port", "8080"), strings(config.get("Cmd")));
    assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN mainClass and jvmFlags are ignored when entrypoint is set")), log.toString());
    assertTrue(config.path("Labels").path(OciLabels.REVISION).isMissingNode(), "ociLabels off: none");

    ContainerSettings inherit = new ContainerSettings(
        List.of(ContainerSettings.INHERIT), List.of(), List.of(), Map.of(), Optional.empty(), Map.of(), List.of(), List.of(),
        List.of(), List.of(), OciLabels.NONE);
    build(request(project, dir.resolve("inherit"), inherit), new ConsoleReporter());
    JsonNode inherited = config(dir.resolve("inherit"));
    assertTrue(inherited.path("Entrypoint").isMissingNode() || inherited.get("Entrypoint").isNull(),
        "scratch has no entrypoint to inherit: " + inherited);
  }

  @Test
  void theOciLabelsChangeWithTheCommitNotWithTheClock() throws Exception {
    Path project = project();
    ContainerSettings settings = everything(project);
    ImageDescriptor first = build(request(project, dir.resolve("a"), settings), new ConsoleReporter());
    try (Git git = Git.open(project.toFile())) {
      Files.writeString(project.resolve("README"), "x\n");
      git.add().addFilepattern("README").call();
      PersonIdent who = new PersonIdent("t", "t@example.com", Date.from(WHEN.plusSeconds(60)), TimeZone.getTimeZone("UTC"));
      git.commit().setMessage("readme").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    ImageDescriptor second = build(request(project, dir.resolve("b"), settings), new ConsoleReporter());
    assertNotEquals(first.digest(), second.digest());
    JsonNode labels = config(dir.resolve("b")).get("Labels");
    assertEquals(second.commit(), labels.get(OciLabels.REVISION).asText());
    assertEquals("2026-03-01T12:01:00Z", labels.get(OciLabels.CREATED).asText());
  }

  private static ContainerSettings with(ContainerSettings s, List<String> entrypoint, Optional<String> workingDirectory,
      List<ContainerSettings.ExtraDirectory> extra, List<ContainerSettings.Permission> permissions, List<String> volumes,
      List<String> ports) {
    return new ContainerSettings(entrypoint, s.args(), s.jvmFlags(), s.environment(), workingDirectory, s.labels(), extra,
        permissions, volumes, ports, s.ociLabels());
  }

  private BuildException refused(ContainerSettings settings) {
    return assertThrows(BuildException.class, () -> JibSettings.check(settings));
  }

  @Test
  void badValuesAreRefusedNamingTheParameterAndTheFix() throws Exception {
    Path project = project();
    ContainerSettings s = everything(project);

    BuildException port = refused(with(s, List.of(), s.workingDirectory(), s.extraDirectories(), s.permissions(), s.volumes(),
        List.of("8080", "80/xyz")));
    assertTrue(port.getMessage().startsWith("The port '80/xyz' in <ports> is not valid"), port.getMessage());
    assertTrue(port.suggestion().contains("<port>8125/udp</port>"), port.suggestion());
    BuildException range = refused(with(s, List.of(), s.workingDirectory(), s.extraDirectories(), s.permissions(), s.volumes(),
        List.of("70000")));
    assertTrue(range.getMessage().contains("'70000' in <ports>"), range.getMessage());

    BuildException workdir = refused(with(s, List.of(), Optional.of("srv/app"), s.extraDirectories(), s.permissions(),
        s.volumes(), s.ports()));
    assertEquals("The path 'srv/app' in <workingDirectory> is not an absolute path in the image.", workdir.getMessage());
    assertTrue(workdir.suggestion().contains("<workingDirectory>/app</workingDirectory>"));

    BuildException volume = refused(with(s, List.of(), s.workingDirectory(), s.extraDirectories(), s.permissions(),
        List.of("data"), s.ports()));
    assertTrue(volume.getMessage().contains("'data' in <volumes>"), volume.getMessage());

    BuildException mode = refused(with(s, List.of(), s.workingDirectory(), s.extraDirectories(),
        List.of(new ContainerSettings.Permission("/srv/app/bin/start.sh", "rwx")), s.volumes(), s.ports()));
    assertEquals("The <mode> 'rwx' for /srv/app/bin/start.sh in <extraDirectories> is not three octal digits.", mode.getMessage());
    assertTrue(mode.suggestion().contains("<mode>755</mode>"));
    assertTrue(refused(with(s, List.of(), s.workingDirectory(), s.extraDirectories(),
        List.of(new ContainerSettings.Permission("/x", "0755")), s.volumes(), s.ports())).getMessage().contains("'0755'"));

    BuildException nothing = refused(with(s, List.of(), s.workingDirectory(), s.extraDirectories(),
        List.of(new ContainerSettings.Permission("/bin/start.sh", "755")), s.volumes(), s.ports()));
    assertTrue(nothing.getMessage().startsWith("The permission for '/bin/start.sh' in <extraDirectories> matches no file"),
        nothing.getMessage());

    Path missing = project.resolve("src/main/missing");
    BuildException dir = refused(with(s, List.of(), s.workingDirectory(),
        List.of(new ContainerSettings.ExtraDirectory(missing, "/", List.of(), List.of(), true)), List.of(), s.volumes(),
        s.ports()));
    assertEquals("The extra directory " + missing + " in <extraDirectories> does not exist.", dir.getMessage());
    assertTrue(dir.suggestion().contains("relative paths are resolved against the project directory"));

    BuildException into = refused(with(s, List.of(), s.workingDirectory(),
        List.of(new ContainerSettings.ExtraDirectory(project.resolve("src/main/image"), "app", List.of(), List.of(), true)),
        List.of(), s.volumes(), s.ports()));
    assertTrue(into.getMessage().contains("'app' in <extraDirectories> <into>"), into.getMessage());

    BuildException inherit = refused(with(s, List.of("INHERIT", "--x"), s.workingDirectory(), s.extraDirectories(),
        s.permissions(), s.volumes(), s.ports()));
    assertTrue(inherit.getMessage().contains("mixes INHERIT"), inherit.getMessage());
  }

  @Test
  void aRefusedSettingFailsTheBuildBeforeAnythingIsWritten() throws Exception {
    Path project = project();
    ContainerSettings s = everything(project);
    ContainerSettings bad = with(s, List.of(), s.workingDirectory(), s.extraDirectories(), s.permissions(), s.volumes(),
        List.of("80/xyz"));
    Path out = dir.resolve("refused");
    assertThrows(BuildException.class, () -> build(request(project, out, bad), new ConsoleReporter()));
    assertFalse(Files.exists(out.resolve(ImageBuilder.ARCHIVE_NAME)));
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
