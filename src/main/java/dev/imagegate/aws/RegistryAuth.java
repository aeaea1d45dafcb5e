package dev.imagegate.aws;

import dev.imagegate.DaemonThreads;
import dev.imagegate.ImagegateException;
import dev.imagegate.ServerSettings;
import dev.imagegate.registry.Credential;
import dev.imagegate.registry.DockerConfigCredentials;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.OciNames;
import dev.imagegate.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Which credentials a registry target gets, in one place for {@code push}, {@code sign} and {@code verify-signature}:
 * <ul>
 *   <li>{@code ecr}: an ECR {@code GetAuthorizationToken} in the target's region (from {@code <region>}, else from the
 *       ECR host name {@code <account>.dkr.ecr.<region>.amazonaws.com}); AWS access is opened only when an ECR target
 *       needs it;</li>
 *   <li>{@code settings}: the settings.xml server whose id is {@code serverId}, else the registry host;</li>
 *   <li>{@code docker}: the Docker config and its credential helpers;</li>
 *   <li>{@code anonymous}: none;</li>
 *   <li>{@code auto} (default): {@code ecr} for an ECR host, else settings.xml, then the Docker config, then none.</li>
 * </ul>
 *
 * <pre>{@code
 * try (RegistryAuth auth = RegistryAuth.of(servers, System.getenv(), () -> new Ecr(AwsAccess.resolve(awsSettings, reporter), reporter))) {
 *   RegistryAuth.Resolved r = auth.resolve(new RegistryAuth.Target("123456789012.dkr.ecr.us-east-1.amazonaws.com", null, "myapp", null, null, null, null));
 *   new RegistryClient(r.host(), r.repository(), r.credentials(), options, reporter);
 * }
 * }</pre>
 */
public final class RegistryAuth implements AutoCloseable {

  /** Where a target's credentials come from. */
  public enum Kind {
    ECR,
    SETTINGS,
    DOCKER,
    ANONYMOUS,
    AUTO;

    /** The configuration spelling ({@code ecr}, {@code settings}, …). */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code <auth>}; blank is {@code auto}. */
    public static Kind parse(String auth, String target) throws RegistryException {
      if (auth == null || auth.isBlank()) {
        return AUTO;
      }
      for (Kind k : values()) {
        if (k.id().equals(auth.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new RegistryException("Unknown <auth> '" + auth + "' for target " + target + ".", "Use one of ecr, settings, docker, anonymous, auto.");
    }
  }

  /** Opens ECR access on first use (so that AWS credentials are resolved only when an ECR target needs them). */
  @FunctionalInterface
  public interface EcrOpener {
    Ecr open() throws ImagegateException;
  }

  /**
   * A target as configured ({@code <targets>}) or as recorded in push.json. Blank strings count as absent.
   *
   * @param registry the registry host that names the target (for ECR: {@code <account>.dkr.ecr.<region>.amazonaws.com})
   * @param endpoint the host actually spoken to, when it differs from {@code registry}
   * @param repository the repository
   * @param region the AWS region (ECR); default: the one in an ECR host name
   * @param auth {@code ecr | settings | docker | anonymous | auto}; blank is {@code auto}
   * @param serverId the settings.xml server id; default: {@code registry}
   * @param account the ECR registry (account) id; default: the one in an ECR host name, else the caller's account
   */
  public record Target(String registry, String endpoint, String repository, String region, String auth, String serverId, String account) {
    /** The host spoken to. */
    public String host() {
      return blank(endpoint) ? registry : endpoint.trim();
    }

    @Override
    public String toString() {
      return registry + "/" + repository + (blank(endpoint) ? "" : " via " + endpoint);
    }
  }

  /**
   * A resolved target.
   *
   * @param kind {@code auto} only for non-ECR hosts (settings, then Docker config, then anonymous)
   * @param registry the registry host that names the target (the settings.xml server id and Docker config key by default)
   * @param host the host to speak to
   * @param region present for ECR targets
   * @param account the ECR registry id when known
   * @param serverId the settings.xml server id when one was given explicitly (settings and auto only)
   * @param credentials what to send to {@code host}
   */
  public record Resolved(
      Kind kind, String registry, String host, String repository, Optional<String> region, Optional<String> account, Optional<String> serverId, CredentialProvider credentials) {
    public boolean ecr() {
      return kind == Kind.ECR;
    }
  }

  private final CredentialProvider settings;
  private final CredentialProvider docker;
  private final EcrOpener ecrOpener;
  private Ecr ecr;

  /**
   * @param settings settings.xml servers by id
   * @param docker the Docker config by host
   * @param ecrOpener called at most once, when the first ECR target is resolved
   */
  public RegistryAuth(CredentialProvider settings, CredentialProvider docker, EcrOpener ecrOpener) {
    this.settings = settings == null ? CredentialProvider.NONE : settings;
    this.docker = docker == null ? CredentialProvider.NONE : docker;
    this.ecrOpener = ecrOpener;
  }

  /**
   * The credentials every registry-facing goal uses: the settings servers (by server id, default the registry host),
   * the Docker config of {@code environment} ({@code DOCKER_CONFIG}, else {@code ~/.docker/config.json}), and ECR
   * through {@code ecrOpener}.
   */
  public static RegistryAuth of(ServerSettings servers, Map<String, String> environment, EcrOpener ecrOpener) {
    return new RegistryAuth(serverCredentials(servers), DockerConfigCredentials.fromEnvironment(environment), ecrOpener);
  }

  /**
   * Registry credentials from the settings servers: the server whose id is asked for (the registry host, e.g.
   * {@code 123456789012.dkr.ecr.us-west-2.amazonaws.com} or {@code 127.0.0.1:5000}, or a configured server id), if it
   * has a user name. A server whose password cannot be decrypted throws {@link IllegalStateException}.
   */
  public static CredentialProvider serverCredentials(ServerSettings servers) {
    return id -> servers.server(id)
        .filter(s -> s.username() != null)
        .map(s -> new Credential(s.username(), s.password() == null ? "" : s.password()));
  }

  /**
   * Decides the credentials of one target. For ECR the token is fetched now (once per region and account), so that
   * an AWS failure surfaces here with its fix rather than inside a registry request.
   */
  public Resolved resolve(Target t) throws ImagegateException {
    if (blank(t.registry())) {
      throw new RegistryException("A registry target has no <registry>.", "Give every <target> a <registry>, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com.");
    }
    String registry = t.registry().trim();
    OciNames.checkRepository(registry, t.repository());
    Optional<EcrRegistry> ecrHost = EcrRegistry.parse(registry);
    Kind kind = Kind.parse(t.auth(), t.toString());
    if (kind == Kind.AUTO && ecrHost.isPresent()) {
      kind = Kind.ECR;
    }
    Optional<String> region = nonBlank(t.region()).or(() -> ecrHost.map(EcrRegistry::region));
    Optional<String> account = nonBlank(t.account()).or(() -> ecrHost.map(EcrRegistry::account));
    String serverId = nonBlank(t.serverId()).orElse(registry);
    CredentialProvider credentials = switch (kind) {
      case ECR -> {
        if (region.isEmpty()) {
          throw new RegistryException("The ECR target " + t + " has no region.", "Use an ECR host name (<account>.dkr.ecr.<region>.amazonaws.com) or set <region>.");
        }
        Ecr e = ecr();
        e.authorizationToken(region.get(), account);
        yield e.credentials(region.get(), account);
      }
      case SETTINGS -> h -> settings.forRegistry(serverId);
      case DOCKER -> docker;
      case ANONYMOUS -> CredentialProvider.NONE;
      case AUTO -> h -> settings.forRegistry(serverId).or(() -> docker.forRegistry(registry));
    };
    boolean isEcr = kind == Kind.ECR;
    boolean usesSettings = kind == Kind.SETTINGS || kind == Kind.AUTO;
    return new Resolved(kind, registry, t.host(), t.repository(), isEcr ? region : Optional.empty(), isEcr ? account : Optional.empty(),
        usesSettings ? nonBlank(t.serverId()) : Optional.empty(), credentials);
  }

  /**
   * Who a target's credentials authenticate as, and how; never a secret.
   *
   * @param who the STS caller ARN (ECR), {@code basic:<username>} (a settings.xml server), {@code identity-token:<server id>}
   *     (a settings.xml server holding an identity token), {@code docker-config:<registry>} (the Docker config) or
   *     {@code anonymous}
   * @param how in words: which credential source, e.g. {@code settings.xml server registry.example.com (basic auth)}
   */
  public record Identity(String who, String how) {}

  /**
   * Who {@code target} authenticates as. For ECR this is the STS caller identity of the AWS credentials (STS
   * GetCallerIdentity, asked once per goal); otherwise the source the credentials come from, with the user name of a
   * settings.xml server (never its password).
   */
  public Identity identify(Resolved target) throws ImagegateException {
    String serverId = target.serverId().orElse(target.registry());
    return switch (target.kind()) {
      case ECR -> new Identity(ecr().aws().callerArn(),
          "ECR authorization token (GetAuthorizationToken in " + target.region().orElse("?") + ") of the AWS credentials' STS identity");
      case SETTINGS -> settingsIdentity(serverId).orElse(anonymous("settings.xml has no server " + serverId));
      case DOCKER -> dockerIdentity(target.registry()).orElse(anonymous("the Docker config has no credentials for " + target.registry()));
      case ANONYMOUS -> anonymous("auth anonymous");
      case AUTO -> settingsIdentity(serverId).or(() -> dockerIdentity(target.registry()))
          .orElse(anonymous("neither settings.xml nor the Docker config has credentials for " + target.registry()));
    };
  }

  private Optional<Identity> settingsIdentity(String serverId) {
    return settings.forRegistry(serverId).map(c -> c.isIdentityToken()
        ? new Identity("identity-token:" + serverId, "settings.xml server " + serverId + " (identity token)")
        : new Identity("basic:" + c.username(), "settings.xml server " + serverId + " (basic auth)"));
  }

  private Optional<Identity> dockerIdentity(String registry) {
    return docker.forRegistry(registry).map(c -> new Identity("docker-config:" + registry, "Docker config credentials for " + registry));
  }

  private static Identity anonymous(String why) {
    return new Identity("anonymous", "no credentials (" + why + ")");
  }

  /** What to do with a resolved ECR target before anything is pushed to it (e.g. {@link Ecr#ensureRepository}). */
  @FunctionalInterface
  public interface EcrCheck {
    void check(Ecr ecr, Resolved target) throws ImagegateException;
  }

  /**
   * Resolves every target, each in its own thread: the ECR token and the repository check of one region do not wait
   * for another region's (each is an AWS round trip; in a cold JVM the first of them also pays the SDK's start-up).
   * AWS access is still opened once. Results come in target order; if any target fails, the first failure in target
   * order is thrown, after every target has finished (nothing is left running).
   *
   * @param ecrCheck run for each ECR target once it is resolved
   */
  public List<Resolved> resolveAll(List<Target> targets, EcrCheck ecrCheck) throws ImagegateException {
    for (Target t : targets) {
      // every name is checked before the first target opens AWS access or asks a registry anything
      OciNames.checkRepository(t.registry(), t.repository());
    }
    if (targets.size() == 1) {
      return List.of(resolveAndCheck(targets.get(0), ecrCheck));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(targets.size(), 8), DaemonThreads.named("imagegate-registry-auth"));
    try {
      List<Future<Resolved>> futures = new ArrayList<>();
      for (Target t : targets) {
        futures.add(pool.submit(() -> resolveAndCheck(t, ecrCheck)));
      }
      List<Resolved> resolved = new ArrayList<>();
      Throwable failure = null;
      for (Future<Resolved> f : futures) {
        try {
          resolved.add(f.get());
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
        }
      }
      if (failure instanceof ImagegateException ie) {
        throw ie;
      } else if (failure instanceof RuntimeException re) {
        throw re;
      } else if (failure instanceof Error err) {
        throw err;
      } else if (failure != null) {
        throw new IllegalStateException(failure);
      }
      return resolved;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Interrupted while resolving the registry credentials.", "Run the goal again.", 0, e);
    } finally {
      pool.shutdownNow();
    }
  }

  private Resolved resolveAndCheck(Target t, EcrCheck ecrCheck) throws ImagegateException {
    Resolved r = resolve(t);
    if (r.ecr() && ecrCheck != null) {
      ecrCheck.check(ecr(), r);
    }
    return r;
  }

  /** ECR access, opened on first call. */
  public synchronized Ecr ecr() throws ImagegateException {
    if (ecr == null) {
      if (ecrOpener == null) {
        throw new AwsException("An ECR target needs AWS access, and none is configured here.", "Configure the AWS settings (imagegate.aws.*) for this goal.");
      }
      ecr = ecrOpener.open();
    }
    return ecr;
  }

  /** ECR access if an ECR target opened it (e.g. to record who pushed). */
  public synchronized Optional<Ecr> openedEcr() {
    return Optional.ofNullable(ecr);
  }

  @Override
  public synchronized void close() {
    if (ecr != null) {
      ecr.close();
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Optional<String> nonBlank(String s) {
    return blank(s) ? Optional.empty() : Optional.of(s.trim());
  }
}
