package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.image.json.ImageMetadataTemplate;
import dev.imagegate.ConsoleReporter;
import dev.imagegate.git.GitCommitReader;
import dev.imagegate.oci.Platform;
import dev.imagegate.registry.TransportProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -o}: a base image that is not in the base image cache fails with the base image, the cache and the online
 * command that fills it, never with jib's advice to delete the cache. The base is an unreachable registry: offline, jib
 * must not (and does not) try it.
 */
class OfflineBuildTest {
  private static final String BASE = "registry.invalid/java-base@sha256:" + "1".repeat(64);
  private static final Instant WHEN = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  private Path project() throws Exception {
    Path project = Files.createDirectories(dir.resolve("app"));
    AppFixture.compile(dir, project.resolve("target/classes"),
        Map.of("it/hello/Main.java", "package it.hello; public class Main { public static void main(String[] a) {} }"));
    try (Git git = Git.init().setDirectory(project.toFile()).setInitialBranch("main").call()) {
      Files.writeString(project.resolve(".gitignore"), "target/\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@example.com", Date.from(WHEN), TimeZone.getTimeZone("UTC"));
      git.commit().setMessage("app").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    return project;
  }

  private static BuildRequest request(Path project, Optional<Path> baseCache, boolean offline) {
    return request(project, BASE, BuildPolicy.STRICT, baseCache, offline, project.resolve("target/imagegate"));
  }

  private static BuildRequest request(
      Path project, String base, BuildPolicy policy, Optional<Path> baseCache, boolean offline, Path out) {
    return new BuildRequest(
        project, out, base, "app", Optional.empty(), "65532", Optional.of("it.hello.Main"),
        Optional.empty(), Optional.empty(), project.resolve("target/classes"), List.of(), ContainerSettings.NONE,
        registry -> Optional.empty(), policy, baseCache, project.resolve("target/jib-cache"), offline, "test");
  }

  /**
   * Two platforms, online then offline: jib builds one platform at a time, and each of its pulls records in the base
   * image cache only the platform it pulled; the offline build needs both, and gives the online build's index.
   */
  @Test
  void aTwoPlatformImageBuiltOnlineBuildsOfflineFromTheCacheWithTheSameDigests() throws Exception {
    String base = System.getenv("IMAGEGATE_BASE_IMAGE_MULTI");
    assumeTrue(base != null, "needs the peers: eval \"$(scripts/peers env)\"");
    Path project = project();
    Optional<Path> cache = Optional.of(dir.resolve("base-cache"));
    BuildPolicy localRegistry = new BuildPolicy(false, false, false, true);
    List<Platform> platforms = Platform.parseList("linux/amd64,linux/arm64");
    ImageBuilder builder = new ImageBuilder(new GitCommitReader(), new TransportProbe(Duration.ofSeconds(1)), new ConsoleReporter());

    ImageDescriptor online = builder.build(request(project, base, localRegistry, cache, false, project.resolve("target/online")), platforms);
    ImageDescriptor offline = builder.build(request(project, base, localRegistry, cache, true, project.resolve("target/offline")), platforms);

    assertEquals(List.of("linux/amd64", "linux/arm64"), offline.platforms().stream().map(ImageDescriptor.PlatformImage::platform).toList());
    assertEquals(online.digest(), offline.digest(), "the offline build gives the online build's index");
    assertEquals(online.platforms(), offline.platforms());
  }

  /**
   * A cache that records one platform of the base only (as jib's own record did after a two-platform build): offline, the
   * build names the platform that is missing and the online command; one online build records it, then -o works.
   */
  @Test
  void aPlatformTheCacheDoesNotRecordFailsOfflineNamingItAndOneOnlineBuildRecordsIt() throws Exception {
    String base = System.getenv("IMAGEGATE_BASE_IMAGE_MULTI");
    assumeTrue(base != null, "needs the peers: eval \"$(scripts/peers env)\"");
    Path project = project();
    Path cacheDir = dir.resolve("base-cache");
    Optional<Path> cache = Optional.of(cacheDir);
    BuildPolicy localRegistry = new BuildPolicy(false, false, false, true);
    ImageBuilder builder = new ImageBuilder(new GitCommitReader(), new TransportProbe(Duration.ofSeconds(1)), new ConsoleReporter());
    ImageDescriptor online = builder.build(request(project, base, localRegistry, cache, false, project.resolve("target/online")),
        Platform.parseList("linux/amd64,linux/arm64"));

    // the cache as jib alone leaves it after that build: the index with the arm64 image only
    ImageReference reference = ImageReference.parse(base);
    Cache jib = Cache.withDirectory(cacheDir);
    ImageMetadataTemplate recorded = jib.retrieveMetadata(reference).orElseThrow();
    assertEquals(2, recorded.getManifestsAndConfigs().size(), "both platforms of the base are recorded after the online build");
    jib.writeMetadata(reference, new ImageMetadataTemplate(recorded.getManifestList(), List.of(recorded.getManifestsAndConfigs().get(1))));

    BuildException e = assertThrows(BuildException.class, () -> builder.build(
        request(project, base, localRegistry, cache, true, project.resolve("target/offline")), Platform.parseList("linux/amd64,linux/arm64")));
    assertTrue(e.getMessage().contains("is not in the base image cache " + cacheDir.toAbsolutePath() + " for linux/amd64"), e.getMessage());
    assertTrue(e.suggestion().contains("then -o works"), e.suggestion());

    builder.build(request(project, base, localRegistry, cache, false, project.resolve("target/online-again")),
        Platform.parseList("linux/amd64,linux/arm64"));
    assertEquals(2, jib.retrieveMetadata(reference).orElseThrow().getManifestsAndConfigs().size());
    ImageDescriptor offline = builder.build(request(project, base, localRegistry, cache, true, project.resolve("target/offline")),
        Platform.parseList("linux/amd64,linux/arm64"));
    assertEquals(online.digest(), offline.digest());
  }

  @Test
  void aBaseImageThatIsNotCachedFailsNamingItTheCacheAndTheOnlineCommand() throws Exception {
    Path project = project();
    Path cache = Files.createDirectories(dir.resolve("empty-base-cache"));
    ConsoleReporter reporter = new ConsoleReporter();
    List<String> log = reporter.lines();
    BuildException e = assertThrows(BuildException.class,
        () -> new ImageBuilder(new GitCommitReader(), new TransportProbe(Duration.ofSeconds(1)), reporter)
            .build(request(project, Optional.of(cache), true)));
    String text = e.getMessage() + "\n" + e.suggestion();
    assertTrue(e.getMessage().contains("The base image " + BASE + " is not in the base image cache " + cache.toAbsolutePath()), text);
    assertTrue(e.suggestion().contains("mvn imagegate:build"), text);
    assertTrue(e.suggestion().contains("then -o works"), text);
    assertFalse(text.toLowerCase(Locale.ROOT).contains("delete"), "never the advice to delete the cache: " + text);
    assertFalse(e.getMessage().contains("Cannot run Jib in offline mode"), "jib's own words are translated: " + text);
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      assertFalse(String.valueOf(c.getMessage()).contains("Cannot run Jib in offline mode"),
          "Maven appends a cause's message to the failure: jib's words must not be a cause");
    }
    assertTrue(log.stream().anyMatch(l -> l.startsWith("Offline (-o): the base image " + BASE + " comes from the base image cache "
        + cache.toAbsolutePath())), "the build says once what -o means for it: " + log);
    assertFalse(Files.exists(project.resolve("target/imagegate/image.json")));
  }

  @Test
  void withoutAConfiguredCacheTheMessageNamesJibsDefaultCache() {
    BuildRequest request = request(dir, Optional.empty(), true);
    BuildException e = ImageBuilder.translate(request, ImageReference.scratch(), null,
        new IOException("Cannot run Jib in offline mode; " + BASE + " not found in local Jib cache"));
    assertTrue(e.getMessage().contains(Containerizer.DEFAULT_BASE_CACHE_DIRECTORY.toAbsolutePath().normalize().toString()), e.getMessage());
    assertFalse((e.getMessage() + e.suggestion()).toLowerCase(Locale.ROOT).contains("delete"));
  }

  @Test
  void anOfflineFailureOfAnotherKindNeverAdvisesDeletingTheCache() {
    BuildException e = ImageBuilder.translate(request(dir, Optional.of(dir.resolve("cache")), true), ImageReference.scratch(), null,
        new IOException("No space left on device"));
    assertFalse(e.suggestion().toLowerCase(Locale.ROOT).contains("delete"), e.suggestion());
  }
}
