package dev.imagegate.gitops;

import dev.imagegate.Reporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.registry.Credential;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the GitOps repository's credentials come from, as configured: never the pom, never logged.
 * <ul>
 *   <li>HTTPS: the settings server {@code serverId} (user name and token/password), else the token in the environment
 *       variable {@code tokenEnv} sent with {@code username}, else none;</li>
 *   <li>SSH: the key file {@code sshKey}, else the key text in {@code sshKeyEnv}, else the settings server's
 *       {@code <privateKey>}, else {@code ~/.ssh/id_*}; the passphrase from the server's {@code <passphrase>}, else
 *       {@code sshPassphraseEnv}; host keys checked against {@code knownHosts} unless {@code strictHostKeyChecking} is off.</li>
 * </ul>
 * Blank strings count as absent.
 */
public record GitopsCredentials(
    String serverId,
    String tokenEnv,
    String username,
    String sshKey,
    String sshKeyEnv,
    String sshPassphraseEnv,
    String knownHosts,
    boolean strictHostKeyChecking) {

  public static final String DEFAULT_SSH_KEY_ENV = "IMAGEGATE_GITOPS_SSH_KEY";
  public static final String DEFAULT_SSH_PASSPHRASE_ENV = "IMAGEGATE_GITOPS_SSH_PASSPHRASE";

  /** The user name and token for an HTTPS repository, if any are configured. */
  public Optional<Credential> https(ServerSettings servers, Map<String, String> environment, Reporter reporter) throws GitopsException {
    Optional<String> id = ValuesFileSelection.blank(serverId);
    if (id.isPresent()) {
      Optional<ServerSettings.Server> server = server(servers, id.get()).filter(s -> s.username() != null);
      if (server.isEmpty()) {
        throw new GitopsException(
            "settings.xml has no <server> with id '" + id.get() + "' (with a username) for the GitOps repository.",
            "Add <server><id>" + id.get() + "</id><username>…</username><password>token</password></server> to"
                + " ~/.m2/settings.xml, or unset imagegate.gitops.serverId and put the token in $" + tokenEnv + ".");
      }
      return server.map(s -> new Credential(s.username(), s.password() == null ? "" : s.password()));
    }
    String token = ValuesFileSelection.blank(tokenEnv).map(environment::get).filter(t -> !t.isBlank()).orElse(null);
    if (token == null) {
      reporter.info(String.format(Locale.ROOT,
          "imagegate:gitops-update: no credentials (neither imagegate.gitops.serverId nor $%s is set); trying without.", tokenEnv));
      return Optional.empty();
    }
    return Optional.of(new Credential(username, token.trim()));
  }

  /**
   * The SSH key and passphrase from where CI keeps them (a file, an environment variable, a settings server).
   *
   * @param baseDirectory what relative key and known_hosts paths are resolved against (the project directory)
   */
  public SshOptions ssh(ServerSettings servers, Map<String, String> environment, Path baseDirectory) throws GitopsException {
    Optional<ServerSettings.Server> server = Optional.empty();
    Optional<String> id = ValuesFileSelection.blank(serverId);
    if (id.isPresent()) {
      server = server(servers, id.get());
      if (server.isEmpty()) {
        throw new GitopsException(
            "settings.xml has no <server> with id '" + id.get() + "' for the GitOps repository's SSH key.",
            "Add <server><id>" + id.get() + "</id><privateKey>path</privateKey><passphrase>…</passphrase></server>"
                + " to ~/.m2/settings.xml, or unset imagegate.gitops.serverId.");
      }
    }
    Optional<Path> keyFile = ValuesFileSelection.blank(sshKey).map(baseDirectory::resolve);
    String keyEnv = ValuesFileSelection.blank(sshKeyEnv).orElse(DEFAULT_SSH_KEY_ENV);
    Optional<String> keyText = keyFile.isPresent() ? Optional.empty() : Optional.ofNullable(environment.get(keyEnv)).filter(t -> !t.isBlank());
    if (keyFile.isEmpty() && keyText.isEmpty()) {
      keyFile = server.flatMap(s -> ValuesFileSelection.blank(s.privateKey())).map(baseDirectory::resolve);
    }
    String passEnv = ValuesFileSelection.blank(sshPassphraseEnv).orElse(DEFAULT_SSH_PASSPHRASE_ENV);
    Optional<String> serverPassphrase = server.flatMap(s -> Optional.ofNullable(s.passphrase())).filter(p -> !p.isEmpty());
    Optional<String> passphrase = serverPassphrase.or(() -> Optional.ofNullable(environment.get(passEnv)).filter(p -> !p.isEmpty()));
    String passphraseSource = serverPassphrase.isPresent()
        ? "the <passphrase> of settings.xml server " + id.orElseThrow()
        : "$" + passEnv + " (imagegate.gitops.sshPassphraseEnv)";
    Path hosts = ValuesFileSelection.blank(knownHosts).map(baseDirectory::resolve).orElseGet(SshOptions::defaultKnownHosts);
    return new SshOptions(keyFile, keyText, "$" + keyEnv + " (imagegate.gitops.sshKeyEnv)", passphrase, passphraseSource, hosts, strictHostKeyChecking);
  }

  /** The server, decrypted; a server that cannot be decrypted fails naming it. */
  private static Optional<ServerSettings.Server> server(ServerSettings servers, String id) throws GitopsException {
    try {
      return servers.server(id);
    } catch (IllegalStateException e) {
      throw new GitopsException(e.getMessage(), "Check the server's password or passphrase and your settings-security.xml.", e);
    }
  }
}
