package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.git.GitCommitReader;
import dev.imagegate.image.BuildException;
import dev.imagegate.image.BuildPolicy;
import dev.imagegate.image.BuildRequest;
import dev.imagegate.image.Dependency;
import dev.imagegate.image.Descriptor;
import dev.imagegate.image.ImageBuilder;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.image.Platform;
import dev.imagegate.image.SpringBootPlugin;
import dev.imagegate.registry.TransportProbe;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.ArtifactUtils;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Builds the project's container image with jib-core, without a Docker daemon, into an OCI image archive
 * ({@code target/imagegate/image.tar}) and describes it in {@code target/imagegate/image.json}: manifest digest,
 * tag {@code sha-<commit>}, base image, layers, user, creation time (the commit time) and whether the working tree
 * was dirty. Later goals read these files instead of rebuilding, so the digest scanned is the digest pushed.
 *
 * <p>Policy, each with an opt-out: the base image must be pinned by digest and not {@code latest}; the image must
 * not run as root.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class BuildMojo extends AbstractImagegateMojo {

  /**
   * The base image, pinned by digest, e.g. {@code registry.example.com/java-base:17@sha256:…}.
   * Credentials for its registry come from a {@code settings.xml} server whose id is the registry host, then the
   * Docker config and credential helpers.
   */
  @Parameter(property = "imagegate.from", required = true)
  private String from;

  /** The image's repository name (without registry); defaults to the artifactId, lower-cased. */
  @Parameter(property = "imagegate.imageName", defaultValue = "${project.artifactId}")
  private String imageName;

  /**
   * An explicit tag instead of {@code sha-<full commit sha>}. {@code latest} is refused; prefer leaving it unset so
   * every image names the commit it was built from.
   */
  @Parameter(property = "imagegate.tag")
  private String tag;

  /** The user the image runs as: a uid, uid:gid or a name known to the base image. Root is refused. */
  @Parameter(property = "imagegate.user", defaultValue = "65532")
  private String user;

  /**
   * The main class. By default: spring-boot-maven-plugin's {@code mainClass}, else the jar manifest's
   * {@code Start-Class} (a Spring Boot repackaged jar) or {@code Main-Class} (unless it is Spring Boot's launcher),
   * else the only class with a main method, and among several the only {@code @SpringBootApplication} one. The build
   * fails when the class is not in the image's classes or dependency jars.
   */
  @Parameter(property = "imagegate.mainClass")
  private String mainClass;

  /** JVM flags put before the main class in the entrypoint, e.g. {@code -XX:MaxRAMPercentage=75}. */
  @Parameter
  private List<String> jvmFlags = new ArrayList<>();

  /** Environment variables of the image. */
  @Parameter
  private Map<String, String> environment = Map.of();

  /** Labels of the image. */
  @Parameter
  private Map<String, String> labels = Map.of();

  /** Ports the image exposes, e.g. {@code 8080} or {@code 8080/tcp}. */
  @Parameter
  private List<String> ports = new ArrayList<>();

  /**
   * The platforms to build, as {@code os/architecture[/variant]}, e.g. {@code linux/amd64,linux/arm64}
   * ({@code <platforms><platform>linux/amd64</platform><platform>linux/arm64</platform></platforms>}). The base image
   * must be a multi-platform image (an OCI image index or Docker manifest list) that lists each of them. The result is
   * an OCI image index over one image per platform: its digest is the image's identity for scan, push, sign,
   * verify-signature and gitops-update, and image.json lists each platform's manifest digest. Unset (the default):
   * one image, of the base image's platform, as before.
   */
  @Parameter(property = "imagegate.build.platforms")
  private List<String> platforms = new ArrayList<>();

  /** Accept a base image that is not pinned by digest (not recommended: the build is then not reproducible). */
  @Parameter(property = "imagegate.allowUnpinnedBase", defaultValue = "false")
  private boolean allowUnpinnedBase;

  /** Accept a base image tagged {@code latest} or with no tag. */
  @Parameter(property = "imagegate.allowLatestBase", defaultValue = "false")
  private boolean allowLatestBase;

  /** Accept an image that runs as root. */
  @Parameter(property = "imagegate.allowRootUser", defaultValue = "false")
  private boolean allowRootUser;

  /**
   * Allow registries over plain HTTP (and sending credentials to them). Only for local test registries.
   */
  @Parameter(property = "imagegate.allowInsecureRegistries", defaultValue = "false")
  private boolean allowInsecureRegistries;

  /** jib's base image layer cache; defaults to jib's shared cache under the user's home. */
  @Parameter(property = "imagegate.baseImageCache")
  private File baseImageCache;

  /** Skips the build goal only. */
  @Parameter(property = "imagegate.build.skip", defaultValue = "false")
  private boolean skipBuild;

  @Parameter(defaultValue = "${settings}", readonly = true)
  private Settings settings;

  @Parameter(defaultValue = "${session.offline}", readonly = true)
  private boolean offline;

  private final SettingsDecrypter settingsDecrypter;

  @Inject
  public BuildMojo(SettingsDecrypter settingsDecrypter) {
    this.settingsDecrypter = settingsDecrypter;
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    Set<String> reactor = new HashSet<>();
    for (MavenProject module : session == null ? List.<MavenProject>of() : session.getProjects()) {
      reactor.add(ArtifactUtils.key(module.getGroupId(), module.getArtifactId(), module.getVersion()));
    }
    List<Dependency> dependencies = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      File file = artifact.getFile();
      if (file == null) {
        continue;
      }
      if (!file.isFile()) {
        reporter.warn(
            "Dependency " + artifact + " is not packaged (" + file + "); run the reactor through package so its jar exists.");
        continue;
      }
      boolean sibling = reactor.contains(ArtifactUtils.key(artifact.getGroupId(), artifact.getArtifactId(), artifact.getBaseVersion()));
      dependencies.add(new Dependency(artifact.getGroupId(), artifact.getArtifactId(), file.toPath(), artifact.isSnapshot(), sibling));
    }
    Artifact own = project.getArtifact();
    Optional<Path> jar =
        own != null && own.getFile() != null && own.getFile().isFile() ? Optional.of(own.getFile().toPath()) : Optional.empty();
    Path out = outputDirectory.toPath();
    BuildRequest request =
        new BuildRequest(
            project.getBasedir().toPath(),
            out,
            from,
            imageName,
            Optional.ofNullable(tag).filter(t -> !t.isBlank()),
            user,
            Optional.ofNullable(mainClass).filter(m -> !m.isBlank()),
            springBootPlugin(),
            jar,
            Path.of(project.getBuild().getOutputDirectory()),
            dependencies,
            jvmFlags,
            environment,
            labels,
            ports,
            new MavenSettingsCredentials(settings, settingsDecrypter),
            new BuildPolicy(allowUnpinnedBase, allowLatestBase, allowRootUser, allowInsecureRegistries),
            Optional.ofNullable(baseImageCache).map(File::toPath),
            Path.of(project.getBuild().getDirectory(), "jib-cache"),
            offline,
            pluginVersion());
    ImageDescriptor image =
        new ImageBuilder(new GitCommitReader(), new TransportProbe(Duration.ofSeconds(10)), reporter).build(request, platforms());
    List<Descriptor> layers = image.multiPlatform()
        ? image.platforms().stream().flatMap(p -> p.layers().stream()).toList() : image.layers();
    long bytes = layers.stream().mapToLong(l -> l.size()).sum();
    reporter.info(
        String.format(
            Locale.ROOT,
            "imagegate:build %s:%s %s (%s%d layers, %.1f MB, user %s%s) in %.2f s -> %s",
            image.name(),
            image.tag(),
            image.digest(),
            image.multiPlatform()
                ? "index of " + String.join(", ", image.platforms().stream().map(ImageDescriptor.PlatformImage::platform).toList()) + "; " : "",
            layers.size(),
            bytes / 1e6,
            image.user(),
            image.dirty() ? ", DIRTY" : "",
            (System.nanoTime() - started) / 1e9,
            Files.exists(out) ? out.resolve(ImageDescriptor.FILE_NAME) : out));
  }

  private List<Platform> platforms() throws BuildException {
    try {
      return Platform.parseList(String.join(",", platforms == null ? List.of() : platforms));
    } catch (IllegalArgumentException e) {
      throw new BuildException("Invalid <platforms>: " + e.getMessage() + ".",
          "List each platform once as os/architecture, e.g. -Dimagegate.build.platforms=linux/amd64,linux/arm64.");
    }
  }

  /**
   * The project's spring-boot-maven-plugin settings that shape the image: its {@code mainClass} and
   * {@code excludeDevtools}, from the plugin's configuration or its repackage execution. A value still holding an
   * unresolved {@code ${…}} (spring-boot-starter-parent's {@code ${start-class}} when the project sets no
   * {@code start-class} property) counts as unset.
   */
  private Optional<SpringBootPlugin> springBootPlugin() {
    Plugin boot = project.getPlugin("org.springframework.boot:spring-boot-maven-plugin");
    if (boot == null) {
      return Optional.empty();
    }
    List<Xpp3Dom> configurations = new ArrayList<>();
    for (PluginExecution execution : boot.getExecutions()) {
      if (execution.getGoals().contains("repackage") && execution.getConfiguration() instanceof Xpp3Dom dom) {
        configurations.add(dom);
      }
    }
    if (boot.getConfiguration() instanceof Xpp3Dom dom) {
      configurations.add(dom);
    }
    Optional<String> main = bootSetting(configurations, "mainClass");
    boolean excludeDevtools = bootSetting(configurations, "excludeDevtools").map(Boolean::parseBoolean).orElse(true);
    return Optional.of(new SpringBootPlugin(main, excludeDevtools));
  }

  private static Optional<String> bootSetting(List<Xpp3Dom> configurations, String name) {
    for (Xpp3Dom configuration : configurations) {
      Xpp3Dom child = configuration.getChild(name);
      if (child != null && child.getValue() != null && !child.getValue().isBlank() && !child.getValue().contains("${")) {
        return Optional.of(child.getValue().trim());
      }
    }
    return Optional.empty();
  }

  @Override
  protected boolean skipGoal() {
    return skipBuild;
  }

  @Override
  protected String goalName() {
    return "imagegate:build";
  }
}
