package dev.imagegate.gitops;

import dev.imagegate.HandoverException;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.Signers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code gitops-update} goal's work: read the release ({@code push.json}, else {@code image.json}), select the
 * values files, find the repository's credentials, pass the signature gate, commit and push the new tag
 * ({@link GitopsUpdater}), and write {@code gitops.json}.
 */
public final class GitopsRun {

  /**
   * Where the update goes and how it is committed.
   *
   * @param url the GitOps repository URL (no credentials in it)
   * @param branch the branch to update, or to start the push branch from
   * @param pushToBranch push to {@code imagegate/<artifactId>-sha-<12 hex>} instead of {@code branch}
   * @param artifactId the project's, for the push branch name
   * @param commitMessage the commit message template (a literal {@code \n} is a line break); empty: the default
   * @param maxAttempts fetch-edit-push rounds before giving up on races
   * @param backoffMillis the first wait after a rejected push
   * @param timeoutSeconds the network timeout of each fetch and push
   * @param createMissing create a missing last key instead of failing
   * @param allowInsecureHttp allow credentials over plain {@code http://}
   */
  public record Target(
      String url,
      String branch,
      boolean pushToBranch,
      String artifactId,
      Optional<String> commitMessage,
      String authorName,
      String authorEmail,
      int maxAttempts,
      long backoffMillis,
      int timeoutSeconds,
      boolean createMissing,
      boolean allowInsecureHttp) {}

  /**
   * The signature gate's configuration (see {@link SignatureGates}).
   *
   * @param verifyKey the key to check with; empty: sign.json's
   * @param allowUnsigned the logged opt-out
   * @param kmsRegion the KMS region of a key that is not an ARN
   * @param kmsEndpoint a KMS endpoint of its own (an emulator)
   * @param registryOptions how the registries holding the signatures are reached
   */
  public record Gate(Optional<String> verifyKey, boolean allowUnsigned, Optional<String> kmsRegion, Optional<URI> kmsEndpoint, RegistryOptions registryOptions) {}

  /**
   * @param outputDirectory where the goals hand over ({@code gitops.json} is written here)
   * @param baseDirectory the project directory (relative key paths)
   * @param workDirectory where the temporary clone goes
   * @param registry which registry's repository of push.json to write; empty: the first
   * @param imageRepository the image repository to write instead of push.json's
   * @param servers the settings servers (credentials by {@code credentials.serverId()})
   * @param environment the process environment (tokens, SSH keys)
   */
  public record Request(
      Path outputDirectory,
      Path baseDirectory,
      Path workDirectory,
      Target target,
      ValuesFileSelection values,
      Optional<String> registry,
      Optional<String> imageRepository,
      GitopsCredentials credentials,
      ServerSettings servers,
      Map<String, String> environment,
      Gate gate) {}

  private GitopsRun() {}

  /**
   * Starts loading JGit in the background (no network, no file written: {@link GitWarmUp}), after {@code after} (another
   * warm-up) if given, so that the update after the signature gate finds it loaded.
   */
  public static Thread warmUp(Thread after) {
    return GitWarmUp.start(after);
  }

  /**
   * @param keyAccess AWS access for a KMS verification key
   * @param registryAuth credentials of the registries holding the signatures
   */
  public static GitopsResult execute(Request request, Signers.Access keyAccess, RegistryAuth registryAuth, Reporter reporter) throws ImagegateException {
    long started = System.nanoTime();
    Path out = request.outputDirectory();
    ImageRelease release = ImageRelease.read(out, request.registry());
    if (request.imageRepository().isPresent()) {
      release = new ImageRelease(release.tag(), release.digest(), request.imageRepository(), release.commit(), release.source());
    }
    List<ValuesFile> values = request.values().select();
    Target t = request.target();
    boolean ssh = SshOptions.isSshUrl(t.url());
    GitopsRequest update = new GitopsRequest(
        t.url().trim(),
        t.branch(),
        t.pushToBranch() ? Optional.of("imagegate/" + t.artifactId() + "-sha-" + release.shortSha()) : Optional.empty(),
        values,
        release,
        t.commitMessage().map(m -> m.replace("\\n", "\n")).orElse(GitopsRequest.DEFAULT_MESSAGE),
        t.authorName(),
        t.authorEmail(),
        ssh ? Optional.empty() : request.credentials().https(request.servers(), request.environment(), reporter),
        t.maxAttempts(),
        Duration.ofMillis(Math.max(1, t.backoffMillis())),
        Duration.ofSeconds(Math.max(1, t.timeoutSeconds())),
        request.workDirectory(),
        t.createMissing(),
        t.allowInsecureHttp(),
        ssh ? request.credentials().ssh(request.servers(), request.environment(), request.baseDirectory()) : SshOptions.defaults());
    Gate g = request.gate();
    // the signature gate (on unless opted out) runs before anything is fetched; its time includes reading the key
    long[] gate = {System.nanoTime(), 0}; // start and end of the signature gate
    SignatureGate signatureGate = SignatureGates.choose(
        new SignatureGates.Settings(release.digest(), g.verifyKey(), g.allowUnsigned(), out, request.baseDirectory(), g.kmsRegion(), g.kmsEndpoint(),
            g.registryOptions()),
        keyAccess, registryAuth, reporter);
    SignatureGate timedGate = r -> {
      try {
        signatureGate.check(r);
      } finally {
        gate[1] = System.nanoTime();
      }
    };
    GitopsResult result = new GitopsUpdater(reporter).update(update, timedGate);
    long end = System.nanoTime();
    // the goal's own time (not Maven's loading of the plugin before it), split so that nobody has to guess
    reporter.info(String.format(Locale.ROOT, "imagegate:gitops-update done in %.2f s (signature gate %.2f s, fetch + commit + push %.2f s)",
        (end - started) / 1e9, (gate[1] - gate[0]) / 1e9, (end - gate[1]) / 1e9));
    try {
      Path written = result.write(out);
      reporter.debug("imagegate:gitops-update wrote " + written);
    } catch (HandoverException e) {
      throw new GitopsException(
          "The GitOps commit " + result.commit() + " was pushed, but " + out.resolve(GitopsResult.FILE_NAME) + " could not be written: "
              + e.getMessage(),
          "Check that the build directory is writable; running the goal again is safe (it will find nothing to change).",
          e);
    }
    return result;
  }
}
