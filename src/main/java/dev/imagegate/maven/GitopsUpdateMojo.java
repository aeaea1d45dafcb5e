package dev.imagegate.maven;

import dev.imagegate.HandoverException;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.gitops.GitopsException;
import dev.imagegate.gitops.GitopsRequest;
import dev.imagegate.gitops.GitopsResult;
import dev.imagegate.gitops.GitopsUpdater;
import dev.imagegate.gitops.ImageRelease;
import dev.imagegate.gitops.SignatureGate;
import dev.imagegate.gitops.SshOptions;
import dev.imagegate.gitops.ValuesFile;
import dev.imagegate.gitops.SignatureGates;
import dev.imagegate.gitops.YamlPath;
import dev.imagegate.registry.Credential;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Writes the new image tag into the values files of a GitOps repository (for Argo CD or Flux to roll out), as one
 * commit, and pushes it. Run it after {@code mvn deploy}: {@code mvn imagegate:gitops-update}.
 *
 * <p>The tag, digest and image repository come from {@code target/imagegate/push.json} (else {@code image.json}). Only the
 * addressed YAML values change: comments, quoting, order, other documents and line endings stay byte-identical, and a
 * {@code tag:} key elsewhere is never touched. The GitOps repository is fetched at depth 1, the commit is built in memory and
 * pushed without force; when another push wins the race, the change is applied again on the new tip (bounded
 * retries with backoff). When every file already has the tag, nothing is committed. The outcome is written to
 * {@code target/imagegate/gitops.json}.
 *
 * <p>Credentials: the {@code settings.xml} server named by {@code gitopsServerId} (passwords may be encrypted), else a token
 * in the environment variable named by {@code gitopsTokenEnv}. They are never logged and never written into the clone.
 */
@Mojo(name = "gitops-update", requiresProject = true, threadSafe = true)
public class GitopsUpdateMojo extends AbstractAwsMojo {

  /** The GitOps repository URL, e.g. {@code https://github.com/acme/gitops.git}. No credentials in it. */
  @Parameter(property = "imagegate.gitops.repository", required = true)
  private String gitopsRepository;

  /** The branch to update (with {@code gitopsPushToBranch}: the branch the change starts from). */
  @Parameter(property = "imagegate.gitops.branch", defaultValue = "main")
  private String gitopsBranch;

  /**
   * The environments to update (promotion mode: e.g. {@code dev} on every push, {@code production} by
   * {@code -Dimagegate.gitops.environments=production}). With no explicit {@code gitopsFiles}, each environment is the
   * file {@code gitopsValuesFile} with {@code {environment}} replaced; with explicit {@code gitopsFiles}, those whose
   * {@code environment} is set are kept only when it is listed.
   */
  @Parameter(property = "imagegate.gitops.environments", defaultValue = "dev,staging,production")
  private List<String> gitopsEnvironments;

  /** The values file of an environment, relative to the repository root; {@code {environment}} is replaced. */
  @Parameter(property = "imagegate.gitops.valuesFile", defaultValue = "apps/${project.artifactId}/values-{environment}.yaml")
  private String gitopsValuesFile;

  /** The YAML path of the tag in the default values files: keys separated by dots, {@code [n]} for list items. */
  @Parameter(property = "imagegate.gitops.tagPath", defaultValue = "image.tag")
  private String gitopsTagPath;

  /** The YAML path of the image repository in the default values files, if it is to be written too (e.g. {@code image.repository}). */
  @Parameter(property = "imagegate.gitops.repositoryPath")
  private String gitopsRepositoryPath;

  /** The YAML path of the digest in the default values files, if it is to be written too (e.g. {@code image.digest}). */
  @Parameter(property = "imagegate.gitops.digestPath")
  private String gitopsDigestPath;

  /**
   * Explicit values files instead of the per-environment default, each a {@code <gitopsFile>} with {@code path},
   * {@code tagPath} (default {@code image.tag}), optional {@code repositoryPath}, {@code digestPath} and {@code environment}.
   */
  @Parameter
  private List<GitopsFile> gitopsFiles = new ArrayList<>();

  /**
   * Push to a new branch {@code imagegate/<artifactId>-sha-<12 hex>} (for a pull request) instead of {@code gitopsBranch}.
   */
  @Parameter(property = "imagegate.gitops.pushToBranch", defaultValue = "false")
  private boolean gitopsPushToBranch;

  /**
   * The commit message. {@code {tag}}, {@code {digest}}, {@code {repository}}, {@code {commit}} (the source commit),
   * {@code {shortSha}} and {@code {files}} are replaced.
   */
  @Parameter(property = "imagegate.gitops.commitMessage")
  private String gitopsCommitMessage;

  /** The commit author (and committer) name. */
  @Parameter(property = "imagegate.gitops.authorName", defaultValue = "imagegate")
  private String gitopsAuthorName;

  /** The commit author (and committer) email. */
  @Parameter(property = "imagegate.gitops.authorEmail", defaultValue = "imagegate@users.noreply.imagegate.dev")
  private String gitopsAuthorEmail;

  /** The id of a {@code settings.xml} server holding the user name and token/password (encrypted passwords work). */
  @Parameter(property = "imagegate.gitops.serverId")
  private String gitopsServerId;

  /** The environment variable holding the token, used when {@code gitopsServerId} is not set. */
  @Parameter(property = "imagegate.gitops.tokenEnv", defaultValue = "GITOPS_TOKEN")
  private String gitopsTokenEnv;

  /** The user name sent with the token from {@code gitopsTokenEnv} ({@code x-access-token} suits GitHub). */
  @Parameter(property = "imagegate.gitops.username", defaultValue = "x-access-token")
  private String gitopsUsername;

  /**
   * For an SSH repository URL ({@code ssh://git@host/org/deploy.git} or {@code git@host:org/deploy.git}): the private key
   * file (OpenSSH or PEM; a relative path is resolved against the project directory), e.g. the deploy key a CI step
   * wrote from a secret. Default: the key text in {@code gitopsSshKeyEnv}, else the {@code <privateKey>} of the
   * {@code gitopsServerId} server, else {@code ~/.ssh/id_ed25519}, {@code id_ecdsa} or {@code id_rsa}.
   */
  @Parameter(property = "imagegate.gitops.sshKey")
  private String gitopsSshKey;

  /** The environment variable holding the SSH private key text itself (used when {@code gitopsSshKey} is not set). */
  @Parameter(property = "imagegate.gitops.sshKeyEnv", defaultValue = "IMAGEGATE_GITOPS_SSH_KEY")
  private String gitopsSshKeyEnv;

  /**
   * The environment variable holding the SSH key's passphrase, if it has one. The {@code <passphrase>} of the
   * {@code gitopsServerId} server in {@code settings.xml} (encrypted passphrases work) is used instead when set.
   */
  @Parameter(property = "imagegate.gitops.sshPassphraseEnv", defaultValue = "IMAGEGATE_GITOPS_SSH_PASSPHRASE")
  private String gitopsSshPassphraseEnv;

  /** The OpenSSH known_hosts file the SSH server's host key must be listed in (add it with {@code ssh-keyscan}). */
  @Parameter(property = "imagegate.gitops.knownHosts", defaultValue = "${user.home}/.ssh/known_hosts")
  private String gitopsKnownHosts;

  /**
   * Check the SSH server's host key against {@code gitopsKnownHosts}. {@code false} trusts any server (with a
   * warning): only for throw-away test servers; prefer adding the key with {@code ssh-keyscan}.
   */
  @Parameter(property = "imagegate.gitops.strictHostKeyChecking", defaultValue = "true")
  private boolean gitopsStrictHostKeyChecking;

  /** How many fetch-edit-push rounds before giving up when other pushes keep winning. */
  @Parameter(property = "imagegate.gitops.maxAttempts", defaultValue = "5")
  private int gitopsMaxAttempts;

  /** The first wait in milliseconds after a rejected push; doubled each round, with jitter. */
  @Parameter(property = "imagegate.gitops.backoffMillis", defaultValue = "500")
  private long gitopsBackoffMillis;

  /** Network timeout of each fetch and push, in seconds. */
  @Parameter(property = "imagegate.gitops.timeoutSeconds", defaultValue = "60")
  private int gitopsTimeoutSeconds;

  /** Create a missing last key of a path (its parent mapping must exist) instead of failing. */
  @Parameter(property = "imagegate.gitops.createMissing", defaultValue = "false")
  private boolean gitopsCreateMissing;

  /** Allow sending credentials over plain {@code http://}: only for a local test server. */
  @Parameter(property = "imagegate.gitops.allowInsecureHttp", defaultValue = "false")
  private boolean gitopsAllowInsecureHttp;

  /** Which registry's repository of {@code push.json} to write (when several were pushed to); default the first. */
  @Parameter(property = "imagegate.gitops.registry")
  private String gitopsRegistry;

  /** The image repository to write, overriding the one from {@code push.json} (e.g. {@code registry.example.com/name}). */
  @Parameter(property = "imagegate.gitops.imageRepository")
  private String gitopsImageRepository;

  /**
   * The signature gate's key: a PEM public key file ({@code cosign.pub}, relative to the project) or an AWS KMS key
   * ({@code awskms:///alias/<name>}, a key ARN…). Every copy of the digest listed in {@code push.json} must carry a
   * signature over exactly that digest, valid under this key, or nothing is written. Default: the
   * {@code imagegate.verify.key} property (the key of {@code verify-signature}) if set, else the key {@code sign} used,
   * as {@code sign.json} records it (the public half of a key file; a KMS key's public key is read again with
   * GetPublicKey). With neither, the goal refuses (see {@code gitopsAllowUnsigned}).
   */
  @Parameter(property = "imagegate.gitops.verifyKey", defaultValue = "${imagegate.verify.key}")
  private String gitopsVerifyKey;

  /**
   * Promote without checking the signature: the explicit opt-out of the signature gate, logged as a warning naming the
   * digest written unchecked. Without it an unsigned digest, or one with no key to check it against, is refused.
   */
  @Parameter(property = "imagegate.gitops.allowUnsigned", defaultValue = "false")
  private boolean gitopsAllowUnsigned;

  /** The KMS region of a {@code gitopsVerifyKey} that is not an ARN. */
  @Parameter(property = "imagegate.sign.kmsRegion")
  private String kmsRegion;

  /** Allow registries over plain HTTP (for the signature gate). Only for local test registries. */
  @Parameter(property = "imagegate.allowInsecureRegistries", defaultValue = "false")
  private boolean allowInsecureRegistries;





  /** Skips the gitops-update goal only. */
  @Parameter(property = "imagegate.gitops-update.skip", defaultValue = "false")
  private boolean skipGitops;

  @Parameter(defaultValue = "${settings}", readonly = true)
  private Settings settings;

  private final SettingsDecrypter settingsDecrypter;

  @Inject
  public GitopsUpdateMojo(SettingsDecrypter settingsDecrypter) {
    this.settingsDecrypter = settingsDecrypter;
  }

  /** One explicit values file (a {@code <gitopsFile>} of the {@code <gitopsFiles>} parameter). */
  public static class GitopsFile {
    /** Path relative to the repository root. */
    String path;
    /** YAML path of the tag; default {@code image.tag}. */
    String tagPath;
    /** YAML path of the repository, optional. */
    String repositoryPath;
    /** YAML path of the digest, optional. */
    String digestPath;
    /** The environment the file belongs to (for promotion), optional. */
    String environment;
  }

  @Override
  protected void run(Reporter reporter) throws ImagegateException {
    Path out = outputDirectory.toPath();
    ImageRelease release = ImageRelease.read(out, optional(gitopsRegistry));
    if (optional(gitopsImageRepository).isPresent()) {
      release =
          new ImageRelease(release.tag(), release.digest(), optional(gitopsImageRepository), release.commit(), release.source());
    }
    AwsSettings aws = awsSettings();
    SigningKeyAccess access = new SigningKeyAccess(null, null, settings, settingsDecrypter, aws, reporter);
    List<ValuesFile> values = valuesFiles();
    boolean ssh = SshOptions.isSshUrl(gitopsRepository);
    GitopsRequest request =
        new GitopsRequest(
            gitopsRepository.trim(),
            gitopsBranch,
            gitopsPushToBranch ? Optional.of("imagegate/" + project.getArtifactId() + "-sha-" + release.shortSha()) : Optional.empty(),
            values,
            release,
            optional(gitopsCommitMessage).map(m -> m.replace("\\n", "\n")).orElse(GitopsRequest.DEFAULT_MESSAGE),
            gitopsAuthorName,
            gitopsAuthorEmail,
            ssh ? Optional.empty() : credential(),
            gitopsMaxAttempts,
            Duration.ofMillis(Math.max(1, gitopsBackoffMillis)),
            Duration.ofSeconds(Math.max(1, gitopsTimeoutSeconds)),
            Path.of(project.getBuild().getDirectory(), "imagegate-gitops-work"),
            gitopsCreateMissing,
            gitopsAllowInsecureHttp,
            ssh ? sshOptions() : SshOptions.defaults());
    GitopsResult result;
    try (RegistryAuth auth = SignMojo.registryAuth(settings, settingsDecrypter, access, reporter)) {
      result = new GitopsUpdater(reporter).update(request, signatureGate(release.digest(), access, auth, reporter));
    }
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
  }

  /** The signature gate (on unless opted out; see {@link SignatureGates}); it runs before anything is fetched. */
  private SignatureGate signatureGate(String digest, SigningKeyAccess access, RegistryAuth auth, Reporter reporter) throws ImagegateException {
    return SignatureGates.choose(
        new SignatureGates.Settings(digest, optional(gitopsVerifyKey).filter(k -> !k.startsWith("${")), gitopsAllowUnsigned,
            outputDirectory.toPath(), baseDirectory(), optional(kmsRegion).or(() -> optional(awsRegion)), optional(awsEndpoint).map(URI::create),
            registryOptions().withAllowInsecure(allowInsecureRegistries)),
        access, auth, reporter);
  }

  private List<ValuesFile> valuesFiles() throws GitopsException {
    List<String> envs = new ArrayList<>();
    for (String e : gitopsEnvironments == null ? List.<String>of() : gitopsEnvironments) {
      for (String part : e.split(",")) {
        if (!part.isBlank()) {
          envs.add(part.trim());
        }
      }
    }
    List<ValuesFile> out = new ArrayList<>();
    try {
      if (gitopsFiles == null || gitopsFiles.isEmpty()) {
        if (envs.isEmpty()) {
          throw new GitopsException(
              "No environment to update: imagegate.gitops.environments is empty.",
              "Set imagegate.gitops.environments (e.g. dev,staging,production) or configure <gitopsFiles>.");
        }
        for (String env : envs) {
          out.add(
              new ValuesFile(
                  gitopsValuesFile.replace("{environment}", env),
                  YamlPath.parse(gitopsTagPath),
                  optional(gitopsRepositoryPath).map(YamlPath::parse),
                  optional(gitopsDigestPath).map(YamlPath::parse)));
        }
      } else {
        for (GitopsFile f : gitopsFiles) {
          if (f.path == null || f.path.isBlank()) {
            throw new GitopsException("A <gitopsFile> in <gitopsFiles> has no <path>.", "Give each file its path relative to the repository root.");
          }
          if (f.environment != null && !f.environment.isBlank() && !envs.contains(f.environment.trim())) {
            continue;
          }
          out.add(
              new ValuesFile(
                  f.path.trim(),
                  YamlPath.parse(optional(f.tagPath).orElse("image.tag")),
                  optional(f.repositoryPath).map(YamlPath::parse),
                  optional(f.digestPath).map(YamlPath::parse)));
        }
        if (out.isEmpty()) {
          throw new GitopsException(
              "None of the configured <gitopsFiles> belongs to the environments " + envs + ".",
              "Check imagegate.gitops.environments against the <environment> of each file.");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new GitopsException(
          "Invalid values file configuration: " + e.getMessage(),
          "Use paths relative to the repository root and YAML paths like image.tag.",
          e);
    }
    return out;
  }

  /** The SSH key and passphrase from where CI keeps them (a file, an environment variable, settings.xml), never the pom. */
  private SshOptions sshOptions() throws GitopsException {
    Optional<Server> server = Optional.empty();
    if (optional(gitopsServerId).isPresent()) {
      Server s = settings == null ? null : settings.getServer(gitopsServerId.trim());
      if (s == null) {
        throw new GitopsException(
            "settings.xml has no <server> with id '" + gitopsServerId.trim() + "' for the GitOps repository's SSH key.",
            "Add <server><id>" + gitopsServerId.trim() + "</id><privateKey>path</privateKey><passphrase>…</passphrase></server>"
                + " to ~/.m2/settings.xml, or unset imagegate.gitops.serverId.");
      }
      if (settingsDecrypter != null) {
        s = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(s)).getServer();
      }
      server = Optional.of(s);
    }
    Optional<Path> keyFile = optional(gitopsSshKey).map(k -> project.getBasedir().toPath().resolve(k));
    String keyEnv = optional(gitopsSshKeyEnv).orElse("IMAGEGATE_GITOPS_SSH_KEY");
    Optional<String> keyText = keyFile.isPresent() ? Optional.empty() : Optional.ofNullable(System.getenv(keyEnv)).filter(t -> !t.isBlank());
    if (keyFile.isEmpty() && keyText.isEmpty()) {
      keyFile = server.flatMap(s -> optional(s.getPrivateKey())).map(k -> project.getBasedir().toPath().resolve(k));
    }
    String passEnv = optional(gitopsSshPassphraseEnv).orElse("IMAGEGATE_GITOPS_SSH_PASSPHRASE");
    Optional<String> serverPassphrase = server.flatMap(s -> Optional.ofNullable(s.getPassphrase())).filter(p -> !p.isEmpty());
    Optional<String> passphrase = serverPassphrase.or(() -> Optional.ofNullable(System.getenv(passEnv)).filter(p -> !p.isEmpty()));
    String passphraseSource =
        serverPassphrase.isPresent()
            ? "the <passphrase> of settings.xml server " + gitopsServerId.trim()
            : "$" + passEnv + " (imagegate.gitops.sshPassphraseEnv)";
    Path knownHosts = optional(gitopsKnownHosts).map(h -> project.getBasedir().toPath().resolve(h)).orElseGet(SshOptions::defaultKnownHosts);
    return new SshOptions(
        keyFile, keyText, "$" + keyEnv + " (imagegate.gitops.sshKeyEnv)", passphrase, passphraseSource, knownHosts,
        gitopsStrictHostKeyChecking);
  }

  private Optional<Credential> credential() throws GitopsException {
    if (optional(gitopsServerId).isPresent()) {
      Optional<Credential> c;
      try {
        c = new MavenSettingsCredentials(settings, settingsDecrypter).forRegistry(gitopsServerId.trim());
      } catch (IllegalStateException e) {
        throw new GitopsException(e.getMessage(), "Check the server's password and your settings-security.xml.", e);
      }
      if (c.isEmpty()) {
        throw new GitopsException(
            "settings.xml has no <server> with id '" + gitopsServerId.trim() + "' (with a username) for the GitOps repository.",
            "Add <server><id>" + gitopsServerId.trim() + "</id><username>…</username><password>token</password></server> to"
                + " ~/.m2/settings.xml, or unset imagegate.gitops.serverId and put the token in $" + gitopsTokenEnv + ".");
      }
      return c;
    }
    String token = optional(gitopsTokenEnv).map(System::getenv).filter(t -> !t.isBlank()).orElse(null);
    if (token == null) {
      getLog().info(
          String.format(
              Locale.ROOT,
              "imagegate:gitops-update: no credentials (neither imagegate.gitops.serverId nor $%s is set); trying without.",
              gitopsTokenEnv));
      return Optional.empty();
    }
    return Optional.of(new Credential(gitopsUsername, token.trim()));
  }

  private static Optional<String> optional(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  @Override
  protected boolean skipGoal() {
    return skipGitops;
  }

  @Override
  protected String goalName() {
    return "imagegate:gitops-update";
  }
}
