package dev.imagegate.gitops;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a GitOps repository over {@code ssh://} (or {@code git@host:org/repo.git}).
 *
 * @param keyFile the private key file (OpenSSH or PEM), if any
 * @param keyText the private key itself (e.g. from an environment variable), if any; used when {@code keyFile} is empty
 * @param keySource where the key text came from, for messages (e.g. {@code $IMAGEGATE_GITOPS_SSH_KEY}); never the key
 * @param passphrase the key's passphrase, if it has one
 * @param passphraseSource where the passphrase comes from, for messages (never the passphrase)
 * @param knownHosts the OpenSSH known_hosts file the server's host key must be listed in
 * @param strictHostKeyChecking {@code false} accepts any host key (an explicit opt-out, warned about)
 */
public record SshOptions(
    Optional<Path> keyFile,
    Optional<String> keyText,
    String keySource,
    Optional<String> passphrase,
    String passphraseSource,
    Path knownHosts,
    boolean strictHostKeyChecking) {

  /** The default key file names tried in {@code ~/.ssh} when no key is configured, in OpenSSH's order. */
  static final String[] DEFAULT_KEYS = {"id_ed25519", "id_ecdsa", "id_rsa"};

  public SshOptions {
    keyFile = keyFile == null ? Optional.empty() : keyFile;
    keyText = keyText == null ? Optional.empty() : keyText.filter(t -> !t.isBlank());
    passphrase = passphrase == null ? Optional.empty() : passphrase.filter(p -> !p.isEmpty());
    keySource = keySource == null ? "the SSH key" : keySource;
    passphraseSource = passphraseSource == null ? "the passphrase" : passphraseSource;
    Objects.requireNonNull(knownHosts, "knownHosts");
  }

  /** Defaults: keys from {@code ~/.ssh/id_*}, host keys checked against {@code ~/.ssh/known_hosts}. */
  public static SshOptions defaults() {
    return new SshOptions(
        Optional.empty(), Optional.empty(), null, Optional.empty(), null, defaultKnownHosts(), true);
  }

  /** Whether a GitOps repository URL is reached over SSH ({@code ssh://…} or scp-like {@code git@host:org/repo.git}). */
  public static boolean isSshUrl(String url) {
    try {
      return GitopsSsh.isSsh(new org.eclipse.jgit.transport.URIish(url.trim()));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  public static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /** Never prints the key or the passphrase. */
  @Override
  public String toString() {
    return "SshOptions[key="
        + keyFile.map(Path::toString).orElse(keyText.isPresent() ? keySource : "~/.ssh/id_*")
        + ", passphrase=" + (passphrase.isPresent() ? "****" : "none")
        + ", knownHosts=" + knownHosts
        + ", strictHostKeyChecking=" + strictHostKeyChecking + "]";
  }
}
