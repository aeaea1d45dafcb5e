package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.git.GitCommitReader;
import dev.imagegate.image.BuildException;
import dev.imagegate.image.BuildPolicy;
import dev.imagegate.image.BuildRequest;
import dev.imagegate.image.ContainerSettings;
import dev.imagegate.image.Dependency;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.image.ImageBuilder;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.image.OciLabels;
import dev.imagegate.oci.Platform;
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
import java.util.Objects;
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
import org.codehaus.plexus.configuration.PlexusConfiguration;
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

  /**
   * The command that starts the container (the image's {@code Entrypoint}), as jib's {@code <container><entrypoint>}:
   * {@code <entrypoint><entry>/app/bin/start.sh</entry></entrypoint>}. By default jib's Java entrypoint,
   * {@code java <jvmFlags> -cp /app/resources:/app/classes:/app/libs/* <mainClass>}. When set, {@code mainClass} and
   * {@code jvmFlags} are ignored and no main class is looked for (the build warns if they are set).
   * {@code <entrypoint>INHERIT</entrypoint>} keeps the base image's entrypoint and, unless {@code args} are set, its
   * command.
   */
  @Parameter(property = "imagegate.entrypoint")
  private List<String> entrypoint = new ArrayList<>();

  /**
   * Arguments after the entrypoint (the image's {@code Cmd}); with the default entrypoint, the arguments of the main
   * method. As jib's {@code <container><args>}: {@code <args><arg>--spring.profiles.active=prod</arg></args>}.
   */
  @Parameter(property = "imagegate.args")
  private List<String> args = new ArrayList<>();

  /**
   * JVM flags put before the main class in the default entrypoint, e.g.
   * {@code <jvmFlags><jvmFlag>-XX:MaxRAMPercentage=75</jvmFlag></jvmFlags>}. Ignored with a custom {@code entrypoint}.
   */
  @Parameter(property = "imagegate.jvmFlags")
  private List<String> jvmFlags = new ArrayList<>();

  /**
   * Environment variables of the image, added to the base image's ({@code PATH}, {@code JAVA_HOME} stay unless named
   * here): {@code <environment><SPRING_PROFILES_ACTIVE>prod</SPRING_PROFILES_ACTIVE></environment>}.
   */
  @Parameter
  private Map<String, String> environment = Map.of();

  /**
   * The working directory of the container, an absolute path, e.g. {@code /app}; by default the base image's (or
   * {@code /}). A relative path is refused.
   */
  @Parameter(property = "imagegate.workingDirectory")
  private String workingDirectory;

  /**
   * Labels of the image, added to the base image's and to the OCI labels ({@code ociLabels}); a label named here wins:
   * {@code <labels><team>payments</team></labels>}.
   */
  @Parameter
  private Map<String, String> labels = Map.of();

  /**
   * Add the labels {@code org.opencontainers.image.source} (the pom's {@code <scm><url>}, without user info; left out
   * when the pom has none), {@code org.opencontainers.image.revision} (the commit),
   * {@code org.opencontainers.image.created} (the commit time, the same as the image's creation time: never the clock)
   * and {@code org.opencontainers.image.version} (the project's version). {@code <labels>} can override each.
   */
  @Parameter(property = "imagegate.ociLabels", defaultValue = "true")
  private boolean ociLabels;

  /**
   * Directories whose files are copied into the image, one layer each, with their modes, as jib's
   * {@code <extraDirectories>}: {@code <paths><path><from>src/main/scripts</from><into>/app/bin</into></path></paths>}
   * (or the shorthand {@code <path>src/main/extra</path>} into {@code /}; {@code <includes>} and {@code <excludes>}
   * take globs relative to {@code from}) and
   * {@code <permissions><permission><file>/app/bin/*.sh</file><mode>755</mode></permission></permissions>} (a path or
   * glob in the image; files not named get 644, directories 755; files are owned by root with a fixed time). By
   * default {@code src/main/jib} into {@code /} when that directory exists. A configured directory that does not
   * exist, a mode that is not three octal digits and a permission that matches no file fail the build.
   */
  @Parameter
  private ExtraDirectories extraDirectories;

  /**
   * Mount points of the image, absolute paths: {@code <volumes><volume>/tmp</volume></volumes>}.
   */
  @Parameter(property = "imagegate.volumes")
  private List<String> volumes = new ArrayList<>();

  /**
   * Ports the image exposes, as jib reads them: {@code 8080}, {@code 8125/udp}, a range {@code 9000-9002} (TCP unless
   * {@code /udp}).
   */
  @Parameter(property = "imagegate.ports")
  private List<String> ports = new ArrayList<>();

  /**
   * Not a setting: jib-maven-plugin's {@code <container>} wrapper. imagegate takes its children ({@code <jvmFlags>},
   * {@code <ports>}, {@code <entrypoint>}, …) directly in {@code <configuration>}; a build that has {@code <container>}
   * fails, naming the children to move, instead of ignoring them.
   */
  @Parameter
  private PlexusConfiguration container;

  /**
   * The platforms to build, as {@code os/architecture}, e.g. {@code linux/amd64,linux/arm64}
   * ({@code <platforms><platform>linux/amd64</platform><platform>linux/arm64</platform></platforms>}), each once; a CPU
   * variant ({@code linux/arm/v7}) is refused, as jib-core chooses the base's image by os and architecture only. The
   * base image must be a multi-platform image (an OCI image index or Docker manifest list) that lists each of them: a
   * platform it does not list fails the build, naming it. The result is
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

  /**
   * jib's base image layer cache; defaults to jib's shared cache under the user's home
   * ({@code ~/.cache/google-cloud-tools-java/jib}). With {@code mvn -o} the base image comes only from here: build once
   * online with the same base image (and the same {@code platforms}: each one built online is recorded here) to fill it.
   */
  @Parameter(property = "imagegate.baseImageCache")
  private File baseImageCache;

  /** Skips the build goal only. */
  @Parameter(property = "imagegate.build.skip", defaultValue = "false")
  private boolean skipBuild;

  @Parameter(defaultValue = "${settings}", readonly = true)
  private Settings settings;

  @Parameter(defaultValue = "${session.offline}", readonly = true)
  private boolean offline;

  private final MavenServers servers;
  private final SigningKeyWarmUp signingKeyWarmUp;

  @Inject
  public BuildMojo(MavenServers servers, SigningKeyWarmUp signingKeyWarmUp) {
    this.servers = servers;
    this.signingKeyWarmUp = signingKeyWarmUp;
  }

  @Override
  protected SigningKeyWarmUp signingKeyWarmUp() {
    return signingKeyWarmUp;
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
            containerSettings(),
            RegistryAuth.serverCredentials(servers.of(settings)),
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

  private ContainerSettings containerSettings() throws BuildException {
    if (container != null) {
      List<String> children = new ArrayList<>();
      for (PlexusConfiguration child : container.getChildren()) {
        children.add("<" + child.getName() + ">");
      }
      throw new BuildException(
          "<container> is jib's wrapper for the container settings; imagegate does not read it, so " + children
              + " would be ignored.",
          "Move the children of <container> one level up, directly into the plugin's <configuration> (e.g."
              + " <configuration><jvmFlags>…</jvmFlags><ports>…</ports></configuration>), and remove <container>.");
    }
    Path basedir = project.getBasedir().toPath();
    List<ContainerSettings.ExtraDirectory> directories = new ArrayList<>();
    List<ContainerSettings.Permission> permissions = new ArrayList<>();
    if (extraDirectories != null) {
      for (ExtraDirectories.Path path : orEmpty(extraDirectories.paths)) {
        if (path.from == null) {
          throw new BuildException(
              "A <path> in <extraDirectories> has no <from>.",
              "Name the directory: <path><from>src/main/extra</from><into>/app</into></path>, or <path>src/main/extra</path>"
                  + " for its files under /.");
        }
        Path from = basedir.resolve(path.from.getPath());
        directories.add(new ContainerSettings.ExtraDirectory(
            from, path.into == null ? "/" : path.into, orEmpty(path.includes), orEmpty(path.excludes), true));
      }
      for (ExtraDirectories.Permission permission : orEmpty(extraDirectories.permissions)) {
        permissions.add(new ContainerSettings.Permission(permission.file, permission.mode));
      }
    }
    if (directories.isEmpty()) {
      directories.add(new ContainerSettings.ExtraDirectory(basedir.resolve("src/main/jib"), "/", List.of(), List.of(), false));
    }
    Optional<String> source = scmUrl();
    return new ContainerSettings(
        orEmpty(entrypoint),
        orEmpty(args),
        orEmpty(jvmFlags),
        environment == null ? Map.of() : environment,
        Optional.ofNullable(workingDirectory),
        labels == null ? Map.of() : labels,
        directories,
        permissions,
        orEmpty(volumes),
        orEmpty(ports),
        new OciLabels(ociLabels, source, Optional.ofNullable(project.getVersion())));
  }

  /**
   * The project's {@code <scm><url>} (as Maven computes it, a module's path appended), when it is declared in the
   * project's pom or in a parent pom in a directory above it (the multi-module project's own): a URL inherited from a
   * parent resolved from a repository, such as spring-boot-starter-parent's {@code https://github.com/spring-projects/
   * spring-boot}, names someone else's source and is left out.
   */
  private Optional<String> scmUrl() {
    Optional<String> url = Optional.ofNullable(project.getScm())
        .map(scm -> scm.getUrl())
        .filter(u -> !u.isBlank() && !u.contains("${"));
    if (url.isEmpty()) {
      return url;
    }
    Path here = project.getBasedir().toPath().toAbsolutePath().normalize();
    for (MavenProject declaring = project; declaring != null; declaring = declaring.getParent()) {
      File dir = declaring.getBasedir();
      if (dir == null || !here.startsWith(dir.toPath().toAbsolutePath().normalize())) {
        return Optional.empty();
      }
      if (declaring.getOriginalModel() != null && declaring.getOriginalModel().getScm() != null
          && declaring.getOriginalModel().getScm().getUrl() != null) {
        return url;
      }
    }
    return Optional.empty();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
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
