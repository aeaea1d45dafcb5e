package dev.imagegate.push;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.Ecr;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.preflight.Preflight;
import dev.imagegate.registry.ImagePusher;
import dev.imagegate.registry.OciNames;
import dev.imagegate.registry.PushRecord;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The {@code push} goal's work: read {@code image.json}, refuse what would make a tag lie (a dirty tree, a mutable tag
 * without the opt-in), check what the later goals of the build need before uploading anything, resolve every target's
 * credentials (ECR repositories checked or created), push the archive to every target at once, and write
 * {@code push.json} with who pushed what where.
 *
 * <pre>{@code
 * try (RegistryAuth auth = RegistryAuth.of(servers, System.getenv(), ecrOpener)) {
 *   PushRun.Outcome o = PushRun.execute(new PushRun.Request(out, targets, List.of(), false, false, PushRun.EcrRepositories.DEFAULTS,
 *       4, options, auth, true, (image, r) -> PushRun.runPreflight(new Preflight().add("audit", ...), r)), reporter);
 * }
 * }</pre>
 */
public final class PushRun {

  /**
   * The check of what the later goals of this build need, given the image about to be pushed (the caller knows the
   * build; it runs the goals' checks through {@link #runPreflight}).
   */
  @FunctionalInterface
  public interface LaterGoals {
    /** Nothing to check. */
    LaterGoals NONE = (image, reporter) -> {};

    /** Throws (a {@link dev.imagegate.preflight.PreflightException} listing every problem) when a later goal would fail. */
    void check(ImageDescriptor image, Reporter reporter) throws ImagegateException;
  }

  /**
   * What push does with ECR repositories.
   *
   * @param create create missing repositories as {@code IMMUTABLE_WITH_EXCLUSION} ({@code sha256-*})
   * @param failOnMutable fail (else warn) when a repository's tags are mutable
   * @param scanOnPush scan-on-push for repositories push creates
   */
  public record EcrRepositories(boolean create, boolean failOnMutable, boolean scanOnPush) {
    public static final EcrRepositories DEFAULTS = new EcrRepositories(false, true, true);
  }

  /**
   * @param outputDirectory where the goals hand over ({@code image.json}, the archive; {@code push.json} is written here)
   * @param targets the registries; a blank repository is image.json's image name
   * @param tags tags besides image.json's {@code sha-<commit>}
   * @param allowMutableTags allow tags other than {@code sha-<40 hex>}
   * @param allowDirty push an image built from a working tree with uncommitted changes
   * @param parallelUploads blob uploads running at once, over all targets
   * @param registryOptions the registry client's settings (plain HTTP, retries, network limits)
   * @param registryAuth credentials per target
   * @param checkLaterGoals run {@code laterGoals}' checks before uploading; false: warn that they were not run
   */
  public record Request(
      Path outputDirectory,
      List<RegistryAuth.Target> targets,
      List<String> tags,
      boolean allowMutableTags,
      boolean allowDirty,
      EcrRepositories ecrRepositories,
      int parallelUploads,
      RegistryOptions registryOptions,
      RegistryAuth registryAuth,
      boolean checkLaterGoals,
      LaterGoals laterGoals) {
    public Request {
      targets = targets == null ? List.of() : List.copyOf(targets);
      tags = tags == null ? List.of() : List.copyOf(tags);
      ecrRepositories = ecrRepositories == null ? EcrRepositories.DEFAULTS : ecrRepositories;
      laterGoals = laterGoals == null ? LaterGoals.NONE : laterGoals;
    }
  }

  /** What was pushed, for the summary line. */
  public record Outcome(ImageDescriptor image, List<ImagePusher.Result> results, PushRecord record, Path pushJson) {}

  private PushRun() {}

  public static Outcome execute(Request request, Reporter reporter) throws ImagegateException {
    Path out = request.outputDirectory();
    ImageDescriptor image = ImageDescriptor.read(out);
    if (image.dirty() && !request.allowDirty()) {
      throw new RegistryException(
          "The image " + image.digest() + " was built from a working tree with uncommitted changes; its tag " + image.tag() + " would not name its content.",
          "Commit (or stash) the changes and build again, or set allowDirty (-Dimagegate.push.allowDirty=true).");
    }
    Set<String> allTags = tags(image, request);
    if (request.targets().isEmpty()) {
      throw new RegistryException(
          "No push targets are configured.",
          "Add <targets><target><registry>123456789012.dkr.ecr.us-east-1.amazonaws.com</registry><repository>" + image.name() + "</repository></target></targets> to the plugin configuration.");
    }
    if (request.checkLaterGoals()) {
      request.laterGoals().check(image, reporter);
    } else {
      reporter.warn("imagegate.push.checkLaterGoals=false: pushing without checking that the later goals of this build (sign, audit) can finish;"
          + " they may fail after the image is in the registries.");
    }
    try {
      return push(request, image, allTags, reporter);
    } catch (IllegalStateException e) {
      // credential providers wrap their failures (e.g. an undecryptable settings.xml password) in IllegalStateException
      throw new RegistryException(e.getMessage(), "Check the credentials for the push targets.", 0, e);
    }
  }

  /** Runs the later goals' checks, if there are any, saying so first. */
  public static void runPreflight(Preflight preflight, Reporter reporter) throws ImagegateException {
    if (!preflight.isEmpty()) {
      reporter.info("imagegate:push checking, before uploading anything, what the later goals of this build need:");
      preflight.run(reporter);
    }
  }

  /** image.json's tag and the extra ones, each a valid OCI tag, mutable ones only with the opt-in. */
  private static Set<String> tags(ImageDescriptor image, Request request) throws ImagegateException {
    Set<String> allTags = new LinkedHashSet<>();
    allTags.add(image.tag());
    allTags.addAll(request.tags());
    for (String t : allTags) {
      OciNames.checkTag(t);
      if (!t.matches("sha-[0-9a-f]{40}") && !request.allowMutableTags()) {
        throw new RegistryException(
            "Tag '" + t + "' is mutable (only sha-<40 hex commit> tags name one image forever).",
            "Remove it from <tags>, or set allowMutableTags (-Dimagegate.push.allowMutableTags=true).");
      }
    }
    return allTags;
  }

  private static Outcome push(Request request, ImageDescriptor image, Set<String> allTags, Reporter reporter) throws ImagegateException {
    Path out = request.outputDirectory();
    RegistryAuth auth = request.registryAuth();
    List<RegistryAuth.Target> wanted = new ArrayList<>();
    for (RegistryAuth.Target t : request.targets()) {
      String repository = t.repository() == null || t.repository().isBlank() ? image.name() : t.repository();
      wanted.add(new RegistryAuth.Target(t.registry(), t.endpoint(), repository, t.region(), t.auth(), t.serverId(), t.account()));
    }
    EcrRepositories ecrRepositories = request.ecrRepositories();
    List<RegistryAuth.Resolved> all = auth.resolveAll(wanted, (ecr, r) -> ecr.ensureRepository(
        r.region().orElseThrow(), r.account(), r.repository(), ecrRepositories.create(), ecrRepositories.failOnMutable(), ecrRepositories.scanOnPush()));
    // who pushed to ECR (STS GetCallerIdentity, for push.json) is asked while the blobs go up
    CompletableFuture<String> pushedBy = auth.openedEcr().isPresent()
        ? CompletableFuture.supplyAsync(() -> callerArn(auth.openedEcr().get()))
        : CompletableFuture.completedFuture(null);
    List<ImagePusher.Destination> destinations = new ArrayList<>();
    Map<ImagePusher.Destination, RegistryAuth.Resolved> resolved = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      RegistryAuth.Resolved r = all.get(i);
      RegistryClient client;
      try {
        client = new RegistryClient(r.host(), r.repository(), r.credentials(), request.registryOptions(), reporter);
      } catch (IllegalArgumentException e) {
        throw new RegistryException("Invalid push target " + request.targets().get(i) + ": " + e.getMessage(), "Check <registry>, <endpoint> and <repository> (lower case, no tag).");
      }
      ImagePusher.Destination d = new ImagePusher.Destination(client, r.region(), r.ecr());
      destinations.add(d);
      resolved.put(d, r);
    }

    List<ImagePusher.Result> results =
        new ImagePusher(reporter, request.parallelUploads()).push(image.archivePath(out), image.digest(), List.copyOf(allTags), destinations);

    joinCaller(pushedBy);
    List<PushRecord.Target> recorded = new ArrayList<>();
    Set<String> pushers = new LinkedHashSet<>();
    for (ImagePusher.Result r : results) {
      RegistryClient c = r.destination().client();
      RegistryAuth.Resolved how = resolved.get(r.destination());
      RegistryAuth.Identity who = auth.identify(how);
      pushers.add(who.who());
      recorded.add(new PushRecord.Target(c.registry(), c.repository(), r.destination().region().orElse(null), r.destination().ecr(),
          how.account().orElse(null), how.kind().id(), how.serverId().orElse(null), r.reference(), r.tags(), r.uploadedBytes(), r.reusedBlobs(),
          who.who(), who.how()));
      reporter.info(String.format(Locale.ROOT, "  %s:%s %s (%s; %d blobs uploaded, %.1f MB, %d reused; as %s)",
          c.name(), String.join(",", r.tags()), r.digest(), r.alreadyTagged() ? "already there" : "pushed", r.uploadedBlobs(), r.uploadedBytes() / 1e6, r.reusedBlobs(), who.who()));
    }
    PushRecord record =
        new PushRecord(1, image.digest(), image.tag(), image.commit(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), String.join(", ", pushers), recorded);
    record.write(out);
    return new Outcome(image, results, record, out.resolve(PushRecord.FILE_NAME));
  }

  private static String callerArn(Ecr ecr) {
    try {
      return ecr.aws().callerArn();
    } catch (ImagegateException e) {
      throw new CompletionException(e);
    }
  }

  private static String joinCaller(CompletableFuture<String> pushedBy) throws ImagegateException {
    try {
      return pushedBy.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ImagegateException ie) {
        throw ie;
      }
      throw e;
    }
  }
}
