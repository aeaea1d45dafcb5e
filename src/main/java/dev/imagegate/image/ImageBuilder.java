package dev.imagegate.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.image.json.UnlistedPlatformInManifestListException;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.Reporter;
import dev.imagegate.git.GitCommit;
import dev.imagegate.git.GitCommitReader;
import dev.imagegate.git.GitRepositoryException;
import dev.imagegate.oci.Digests;
import dev.imagegate.oci.ImageIndex;
import dev.imagegate.oci.IndexArchive;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.oci.OciArchiveException;
import dev.imagegate.oci.Platform;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.TransportProbe;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Builds the project's image once, with jib-core, into an OCI image archive, and describes it in image.json.
 *
 * <p>jib-core can containerize only to a registry, a Docker daemon or a tar, and a rebuild is not guaranteed to
 * give the same digest; so the image is built to an archive exactly once, and every later goal reads that archive.
 */
public final class ImageBuilder {
  /** The archive's file name inside the output directory. */
  public static final String ARCHIVE_NAME = "image.tar";

  private final GitCommitReader git;
  private final TransportProbe probe;
  private final Reporter reporter;

  public ImageBuilder(GitCommitReader git, TransportProbe probe, Reporter reporter) {
    this.git = git;
    this.probe = probe;
    this.reporter = reporter;
  }

  /** Builds the image and writes {@code image.tar} and {@code image.json} to the request's output directory. */
  public ImageDescriptor build(BuildRequest request) throws BuildException, GitRepositoryException {
    return build(request, List.of());
  }

  /**
   * Builds the image for each of the platforms (none: the single image of the base's platform, as {@link
   * #build(BuildRequest)}) and writes {@code image.tar} (an OCI image index over one manifest per platform) and
   * {@code image.json} (the index digest and each platform's manifest).
   */
  public ImageDescriptor build(BuildRequest request, List<Platform> platforms) throws BuildException, GitRepositoryException {
    checkPlatforms(platforms);
    BuildPolicy policy = request.policy();
    ImageReference base = policy.checkBase(request.baseImage());
    policy.checkUser(request.user());
    if (request.tag().isPresent()) {
      BuildPolicy.checkTag(request.tag().get());
    }
    JibSettings settings = JibSettings.check(request.container());
    GitCommit commit = git.read(request.projectDirectory());
    String tag = request.tag().orElse(commit.imageTag());
    if (commit.dirty()) {
      reporter.warn(
          "The working tree has uncommitted changes: the image is recorded as dirty and push will refuse it"
              + " unless allowDirty is set.");
    }
    String name = imageName(request.imageName());

    Path out = request.outputDirectory();
    try {
      Files.createDirectories(out);
      // Nothing half-done may look done: a failed build must not leave an older image.json behind, and nothing an
      // earlier image left (its scan, push, signatures, audit record, rollout) may look like a result about this one.
      List<HandoverFile> removed = HandoverFile.IMAGE.removeFromHereOn(out);
      if (removed.stream().anyMatch(f -> f != HandoverFile.IMAGE && f != HandoverFile.IMAGE_ARCHIVE)) {
        reporter.info("Removed what an earlier image left in " + out + ": "
            + String.join(", ", removed.stream().map(HandoverFile::fileName).toList()));
      }
    } catch (IOException e) {
      throw new BuildException("Cannot prepare " + out + ": " + e.getMessage(), "Check the directory's permissions.", e);
    } catch (HandoverException e) {
      throw new BuildException(e.getMessage(), e.suggestion(), e);
    }
    List<Dependency> libraries = new AppLibraries(reporter).prepare(request);
    Optional<String> mainClass = mainClass(request, libraries);
    for (JibSettings.ExtraLayer extra : settings.extraLayers()) {
      reporter.info("Extra directory " + extra.directory().from() + " -> " + extra.directory().into() + " (" + extra.files()
          + (extra.files() == 1 ? " file)" : " files)"));
    }
    if (request.offline()) {
      reporter.info("Offline (-o): the base image " + base + " comes from the base image cache " + baseImageCache(request)
          + "; nothing is pulled (a base image that is not cached fails the build).");
    }
    Path partial = out.resolve(ARCHIVE_NAME + ".partial");
    PlatformBuild jib =
        (archive, platform) -> containerize(request, settings, base, name, tag, mainClass, libraries, commit, archive, platform);
    String jibDigest = platforms.isEmpty()
        ? jib.build(partial, null).getDigest().toString()
        : buildIndex(keepingEveryPlatformCached(request, base, jib), name + ":" + tag, partial, platforms);
    Path archive = out.resolve(ARCHIVE_NAME);
    try {
      Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BuildException("Cannot write " + archive + ": " + e.getMessage(), "Check the directory's permissions.", e);
    }
    ImageDescriptor descriptor = describe(request, base, name, tag, commit, archive, jibDigest);
    try {
      descriptor.write(out);
    } catch (HandoverException e) {
      throw new BuildException(e.getMessage(), e.suggestion(), e);
    }
    return descriptor;
  }

  /**
   * The main class jib's Java entrypoint starts, checked to be in the image's class path; none with a configured
   * entrypoint, which jib does not compute (and which then ignores mainClass and jvmFlags, as jib does).
   */
  private Optional<String> mainClass(BuildRequest request, List<Dependency> libraries) throws BuildException {
    ContainerSettings container = request.container();
    if (container.customEntrypoint()) {
      reporter.info("Entrypoint " + (container.inheritsEntrypoint() ? "inherited from the base image" : container.entrypoint())
          + " (configured); no main class is looked for");
      if (request.mainClass().isPresent() || !container.jvmFlags().isEmpty()) {
        reporter.warn("mainClass and jvmFlags are ignored when entrypoint is set (as with jib): put the JVM flags into"
            + " the entrypoint, or into <environment><JAVA_TOOL_OPTIONS>.");
      }
      return Optional.empty();
    }
    MainClassResolver.Choice main = new MainClassResolver(reporter, this::log).resolve(request);
    new ImageClasspath(request.classesDirectory(), libraries.stream().map(Dependency::file).toList()).requireStartable(main);
    reporter.info("Main class " + main.className() + " (" + main.source() + ")");
    return Optional.of(main.className());
  }

  /**
   * One jib build per platform (jib writes one platform to a tar), merged into one archive under an image index;
   * returns the index digest.
   */
  private String buildIndex(PlatformBuild jib, String reference, Path partial, List<Platform> platforms) throws BuildException {
    List<IndexArchive.Part> parts = new ArrayList<>();
    try {
      for (Platform platform : platforms) {
        Path part = partial.resolveSibling("image-" + platform.toString().replace('/', '-') + ".tar.partial");
        reporter.info("Platform " + platform);
        jib.build(part, platform);
        parts.add(new IndexArchive.Part(platform, part));
      }
      ImageIndex index = IndexArchive.write(parts, reference, partial);
      return Digests.sha256(index.toBytes());
    } catch (OciArchiveException e) {
      throw new BuildException(e.getMessage(), e.suggestion(), e);
    } catch (IOException e) {
      throw new BuildException("Cannot write " + partial + ": " + e.getMessage(), "Check the directory's permissions.", e);
    } finally {
      for (IndexArchive.Part part : parts) {
        try {
          Files.deleteIfExists(part.archive());
        } catch (IOException e) {
          reporter.warn("Cannot delete " + part.archive() + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Online, {@code jib} followed by recording the platform's base image next to the earlier platforms' in the base image
   * cache (see {@link CachedBasePlatforms}): jib's own record keeps only the platform it pulled last, and a later
   * {@code -o} build needs them all. Offline nothing is pulled, so nothing changes.
   */
  private PlatformBuild keepingEveryPlatformCached(BuildRequest request, ImageReference base, PlatformBuild jib)
      throws BuildException {
    if (request.offline() || base.isScratch()) {
      return jib;
    }
    Path cache = baseImageCache(request);
    CachedBasePlatforms kept;
    try {
      kept = CachedBasePlatforms.read(cache, base);
    } catch (IOException e) {
      throw notRecorded(base, cache, e);
    }
    return (archive, platform) -> {
      JibContainer container = jib.build(archive, platform);
      try {
        kept.keep();
      } catch (IOException e) {
        throw notRecorded(base, cache, e);
      }
      return container;
    };
  }

  private static BuildException notRecorded(ImageReference base, Path cache, IOException e) {
    return new BuildException(
        "Cannot record the platforms of the base image " + base + " in the base image cache " + cache + ": " + e.getMessage(),
        "Check the cache directory's permissions and free space (baseImageCache, imagegate.baseImageCache): an offline (-o)"
            + " build needs every platform of the base recorded there.",
        e);
  }

  /** One jib build of the application into {@code archive}, for {@code platform} (null: the base image's own). */
  @FunctionalInterface
  private interface PlatformBuild {
    JibContainer build(Path archive, Platform platform) throws BuildException;
  }

  private JibContainer containerize(
      BuildRequest request,
      JibSettings settings,
      ImageReference base,
      String name,
      String tag,
      Optional<String> mainClass,
      List<Dependency> libraries,
      GitCommit commit,
      Path archive,
      Platform platform)
      throws BuildException {
    if (!request.policy().allowInsecureRegistries() && !request.offline()
        && probe.probe(base.getRegistry()) == TransportProbe.Result.NOT_HTTPS) {
      throw insecure(base, null);
    }
    try {
      RegistryImage from = RegistryImage.named(base);
      Optional<Credential> credential = request.credentials().forRegistry(base.getRegistry());
      credential.ifPresent(c -> from.addCredential(c.username(), c.password()));
      CredentialRetrieverFactory retrievers = CredentialRetrieverFactory.forImage(base, this::log);
      from.addCredentialRetriever(retrievers.dockerConfig());
      from.addCredentialRetriever(retrievers.wellKnownCredentialHelpers());
      // jib sends credentials (settings.xml's, or the Docker config's it finds itself) over plain HTTP only with this
      // JVM-wide switch; allowInsecureRegistries is the opt-in. It is set for this containerize call only and put back
      // afterwards, so other plugins of the build never see it.
      boolean overHttp = request.policy().allowInsecureRegistries();

      // the class path is /app/resources:/app/classes:/app/libs/* (jib's order follows the order of these calls): the
      // project's own classes and resources come before its dependencies, as with jib's Maven plugin
      JavaContainerBuilder java = JavaContainerBuilder.from(from);
      if (mainClass.isPresent()) {
        java.addJvmFlags(request.container().jvmFlags()).setMainClass(mainClass.get());
      }
      if (Files.isDirectory(request.classesDirectory())) {
        java.addResources(request.classesDirectory(), p -> !p.toString().endsWith(".class"));
        java.addClasses(request.classesDirectory(), p -> p.toString().endsWith(".class"));
      }
      // one layer each: release dependencies, SNAPSHOT dependencies, the reactor's own modules (jib's layout)
      java.addDependencies(files(libraries, d -> !d.reactor() && !d.snapshot()))
          .addSnapshotDependencies(files(libraries, d -> !d.reactor() && d.snapshot()))
          .addProjectDependencies(files(libraries, Dependency::reactor));
      JibContainerBuilder builder =
          java.toContainerBuilder()
              .setFormat(ImageFormat.OCI)
              .setCreationTime(commit.commitTime())
              .setUser(request.user().trim());
      settings.applyTo(builder, request.container().ociLabels().labels(commit));
      if (platform != null) {
        builder.setPlatforms(Set.of(new com.google.cloud.tools.jib.api.buildplan.Platform(platform.architecture(), platform.os())));
      }

      Containerizer containerizer =
          Containerizer.to(TarImage.at(archive).named(ImageReference.of(null, name, tag, null)))
              .setAllowInsecureRegistries(request.policy().allowInsecureRegistries())
              .setOfflineMode(request.offline())
              .setApplicationLayersCache(request.applicationCache())
              .setToolName("imagegate")
              .setToolVersion(request.pluginVersion())
              .addEventHandler(LogEvent.class, this::log);
      request.baseImageCache().ifPresent(containerizer::setBaseImageLayersCache);
      reporter.info("Building " + name + ":" + tag + " on " + base);
      return overHttp ? sendingCredentialsOverHttp(() -> builder.containerize(containerizer)) : builder.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("The image build was interrupted.", "Run the build again.", e);
    } catch (ExecutionException e) {
      throw translate(request, base, platform, e.getCause() == null ? e : e.getCause());
    } catch (RegistryException | IOException | CacheDirectoryCreationException e) {
      throw translate(request, base, platform, e);
    }
  }

  static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";
  private static final Object HTTP_SWITCH = new Object();

  /** A jib call. */
  @FunctionalInterface
  interface JibCall<T> {
    T call() throws InterruptedException, RegistryException, IOException, CacheDirectoryCreationException, ExecutionException;
  }

  /**
   * Runs a jib call with {@code sendCredentialsOverHttp=true}: jib reads the switch while it talks to the registry.
   * Parallel builds of one JVM (mvn -T) that need it take turns, and the value from before is restored (cleared when
   * there was none).
   */
  static <T> T sendingCredentialsOverHttp(JibCall<T> call)
      throws InterruptedException, RegistryException, IOException, CacheDirectoryCreationException, ExecutionException {
    synchronized (HTTP_SWITCH) {
      String before = System.getProperty(SEND_CREDENTIALS_OVER_HTTP);
      System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
      try {
        return call.call();
      } finally {
        if (before == null) {
          System.clearProperty(SEND_CREDENTIALS_OVER_HTTP);
        } else {
          System.setProperty(SEND_CREDENTIALS_OVER_HTTP, before);
        }
      }
    }
  }

  /** jib's words when, offline, the base image (its manifest, configuration or a layer) is not in the base image cache. */
  static final String JIB_NOT_CACHED = "Cannot run Jib in offline mode";

  /** The base image layer cache jib reads: the configured one, else jib's shared default under the user's home. */
  static Path baseImageCache(BuildRequest request) {
    return request.baseImageCache().orElse(Containerizer.DEFAULT_BASE_CACHE_DIRECTORY).toAbsolutePath().normalize();
  }

  private static boolean notCached(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null && t.getMessage().startsWith(JIB_NOT_CACHED)) {
        return true;
      }
    }
    return false;
  }


  /**
   * Refuses a platform with a variant ({@code linux/arm/v7}): jib-core picks the base's image and writes the image
   * configuration by os and architecture only, so a variant could be neither honoured nor checked.
   */
  static void checkPlatforms(List<Platform> platforms) throws BuildException {
    for (Platform p : platforms) {
      if (p.variant() != null) {
        throw new BuildException(
            "The platform " + p + " names a CPU variant: imagegate builds by os/architecture (jib-core selects the base image's"
                + " platform by those only), so the variant could be neither chosen nor checked.",
            "Write " + p.os() + "/" + p.architecture() + " in <platforms> (imagegate.build.platforms), and use a base image whose"
                + " index lists one image for it.");
      }
    }
  }

  /** What a failed jib build of {@code platform} (null: the base's own) on {@code base} means, and its fix. */
  static BuildException translate(BuildRequest request, ImageReference base, Platform platform, Throwable e) {
    return translate(request.baseImage().trim(), baseImageCache(request), base, request.offline(), platform, e);
  }

  /** {@link #translate(BuildRequest, ImageReference, Platform, Throwable)} with the request's parts spelled out. */
  static BuildException translate(
      String configuredBase, Path cache, ImageReference base, boolean offline, Platform platform, Throwable e) {
    String registry = base.getRegistry();
    if (offline && notCached(e)) {
      // jib's exception is kept for -e but not as the cause: Maven would append its words ("… not found in local Jib
      // cache") to the message
      BuildException notCached = new BuildException(
          "The base image " + configuredBase + " is not in the base image cache " + cache
              + (platform == null ? "" : " for " + platform)
              + " (or not all of its layers are), and the build is offline (-o): nothing can be pulled.",
          "Run the build once online (e.g. mvn imagegate:build, without -o) with the same base image and baseImageCache"
              + " to cache it, then -o works. Keep the cache directory (in CI: cache it, e.g. with actions/cache).");
      notCached.addSuppressed(e);
      return notCached;
    }
    if (e instanceof InsecureRegistryException) {
      return insecure(base, e);
    }
    if (e instanceof UnlistedPlatformInManifestListException && platform != null) {
      return new BuildException(
          "The base image " + base + " has no " + platform + " image: its image index (manifest list) does not list "
              + platform + ".",
          "See which platforms it lists with skopeo inspect --raw docker://" + base + "; use a base image whose index lists "
              + platform + ", or leave " + platform + " out of <platforms> (imagegate.build.platforms).",
          e);
    }
    if (e instanceof RegistryUnauthorizedException || e instanceof RegistryCredentialsNotSentException) {
      return new BuildException(
          "Not authorized to pull the base image " + base + " from " + registry + " (no accepted credentials were sent).",
          "Give credentials for " + registry + ": a <server> with <id>" + registry + "</id> in ~/.m2/settings.xml"
              + " (passwords may be encrypted with mvn --encrypt-password), or docker login / a credential helper.",
          e);
    }
    if (e instanceof RegistryException) {
      return new BuildException(
          "Cannot pull the base image " + base + ": " + e.getMessage(),
          "Check that the reference (repository, tag and digest) exists: skopeo inspect docker://" + base,
          e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ConnectException || root instanceof UnknownHostException) {
      return new BuildException(
          "The registry " + registry + " of the base image is unreachable: " + root.getMessage(),
          offline
              ? "Offline (-o) builds need the base image in the base image cache " + cache
                  + ": run the build once online (e.g. mvn imagegate:build) to cache it, then -o works."
              : "Check the host name and your network or proxy settings; the base image is " + base + ".",
          e);
    }
    return new BuildException(
        "Building the image failed: " + e,
        offline
            ? "Run with -e for the stack trace. Offline (-o), keep the base image cache " + cache
                + ": without the network it cannot be filled again."
            : "Run with -e for the stack trace; if the base image cache " + cache
                + " is corrupt, delete it and build again online.",
        e);
  }

  private static BuildException insecure(ImageReference base, Throwable cause) {
    return new BuildException(
        "The registry " + base.getRegistry() + " of the base image does not speak HTTPS (or its certificate is not trusted).",
        "Use an HTTPS registry. For a local test registry only, set <allowInsecureRegistries>true</allowInsecureRegistries>"
            + " (imagegate.allowInsecureRegistries), which also allows credentials over plain HTTP.",
        cause);
  }

  private ImageDescriptor describe(
      BuildRequest request, ImageReference base, String name, String tag, GitCommit commit, Path archive, String jibDigest)
      throws BuildException {
    try (OciArchive oci = OciArchive.open(archive)) {
      String digest = oci.manifestDescriptor().digest();
      if (!digest.equals(jibDigest)) {
        throw new BuildException(
            "The archive's manifest digest " + digest + " differs from the digest jib reported, " + jibDigest + ".",
            "This is a bug in imagegate; please report it with the versions of Maven and the plugin.");
      }
      if (oci.isIndex()) {
        List<ImageDescriptor.PlatformImage> images = new ArrayList<>();
        for (OciArchive image : oci.images()) {
          images.add(new ImageDescriptor.PlatformImage(image.platform().orElseThrow().toString(), image.manifestDescriptor().digest(),
              image.manifest().config().digest(), image.layers()));
        }
        return new ImageDescriptor(ImageDescriptor.SCHEMA_VERSION, name, tag, digest, ImageIndex.MEDIA_TYPE, null, ARCHIVE_NAME,
            new ImageDescriptor.BaseImage(request.baseImage().trim(), base.getDigest().orElse(null)), List.of(), request.user().trim(),
            commit.commitTime().toString(), commit.sha(), commit.dirty(), request.pluginVersion(), images);
      }
      return new ImageDescriptor(
          ImageDescriptor.SCHEMA_VERSION,
          name,
          tag,
          digest,
          oci.manifest().mediaType(),
          oci.manifest().config().digest(),
          ARCHIVE_NAME,
          new ImageDescriptor.BaseImage(request.baseImage().trim(), base.getDigest().orElse(null)),
          oci.layers(),
          request.user().trim(),
          commit.commitTime().toString(),
          commit.sha(),
          commit.dirty(),
          request.pluginVersion());
    } catch (OciArchiveException e) {
      throw new BuildException(e.getMessage(), e.suggestion(), e);
    } catch (IOException e) {
      throw new BuildException("Cannot read " + archive + ": " + e.getMessage(), "Run the build again.", e);
    }
  }

  private static String imageName(String name) throws BuildException {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (!n.matches("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*")) {
      throw new BuildException(
          "The image name '" + name + "' is not a valid repository name.",
          "Set <imageName> to lower-case letters, digits and separators (., _, -, /), e.g. <imageName>myapp</imageName>.");
    }
    return n;
  }

  private static List<Path> files(List<Dependency> libraries, Predicate<Dependency> which) {
    return libraries.stream().filter(which).map(Dependency::file).toList();
  }

  private void log(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN -> reporter.warn(event.getMessage());
      case LIFECYCLE, PROGRESS -> reporter.info(event.getMessage());
      default -> reporter.debug(event.getMessage());
    }
  }
}
