package dev.imagegate.gitops;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * JGit's Apache MINA sshd transport set up from {@link SshOptions} only: the key is loaded here (from the file or the
 * key text, with the passphrase), host keys are checked against exactly the configured known_hosts file, and
 * {@code ~/.ssh/config} and an ssh-agent are not consulted, so a CI run behaves the same on every machine.
 *
 * <p>Loading the key up front turns a missing file, a wrong passphrase or a malformed key into a clear error before
 * anything is fetched; a host key that is unknown or changed is recorded by {@link KnownHosts} so the transport
 * failure can be explained with the host, the fingerprint and the {@code ssh-keyscan} line that fixes it.
 */
final class GitopsSsh implements Closeable {

  private final SshOptions options;
  private final KnownHosts knownHosts;
  private final SshdSessionFactory factory;
  private final String keyDescription;

  private GitopsSsh(SshOptions options, List<KeyPair> keys, String keyDescription) {
    this.options = options;
    this.knownHosts = new KnownHosts(options.knownHosts(), options.strictHostKeyChecking());
    this.keyDescription = keyDescription;
    this.factory =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(new java.io.File(System.getProperty("user.home")))
            .setSshDirectory(new java.io.File(System.getProperty("user.home"), ".ssh"))
            .setConfigStoreFactory((home, configFile, localUser) -> null) // ignore ~/.ssh/config
            .setDefaultKeysProvider(sshDir -> keys)
            .setPreferredAuthentications("publickey")
            .setServerKeyDatabase((home, sshDir) -> knownHosts)
            .setConnectorFactory(null) // no ssh-agent
            .build(null);
  }

  /** Whether the URL is reached over SSH ({@code ssh://}, {@code git+ssh://}, or scp-like {@code user@host:path}). */
  static boolean isSsh(URIish uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.isEmpty()) {
      return uri.getHost() != null && !uri.getHost().isEmpty();
    }
    return scheme.equals("ssh") || scheme.equals("ssh+git") || scheme.equals("git+ssh");
  }

  /** Loads the key (failing clearly) and builds the session factory. */
  static GitopsSsh open(SshOptions options) throws GitopsException {
    if (options.keyFile().isPresent()) {
      Path file = options.keyFile().get();
      byte[] bytes = readKeyFile(file, "imagegate.gitops.sshKey");
      return new GitopsSsh(options, parse(bytes, file.toString(), options), file.toString());
    }
    if (options.keyText().isPresent()) {
      byte[] bytes = options.keyText().get().trim().concat("\n").getBytes(StandardCharsets.UTF_8);
      return new GitopsSsh(options, parse(bytes, options.keySource(), options), options.keySource());
    }
    Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
    for (String name : SshOptions.DEFAULT_KEYS) {
      Path file = sshDir.resolve(name);
      if (Files.isRegularFile(file)) {
        return new GitopsSsh(options, parse(readKeyFile(file, "imagegate.gitops.sshKey"), file.toString(), options), file.toString());
      }
    }
    throw new GitopsException(
        "No SSH private key for the GitOps repository: neither imagegate.gitops.sshKey nor the key environment variable is"
            + " set, and there is no " + sshDir + "/id_ed25519, id_ecdsa or id_rsa.",
        "Write the deploy key to a file and set imagegate.gitops.sshKey to it (GitHub Actions: echo \"${{ secrets.DEPLOY_KEY }}\""
            + " > ~/.ssh/deploy_key), or put the key text in $IMAGEGATE_GITOPS_SSH_KEY (imagegate.gitops.sshKeyEnv).");
  }

  private static byte[] readKeyFile(Path file, String parameter) throws GitopsException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new GitopsException(
          "The SSH key file " + file + " does not exist.",
          "Set " + parameter + " to the private key file (a relative path is resolved against the project directory), or"
              + " write the deploy key there first (e.g. from a CI secret).",
          e);
    } catch (AccessDeniedException e) {
      throw new GitopsException(
          "The SSH key file " + file + " cannot be read (permission denied).",
          "Make it readable by the user running Maven: chmod 600 " + file + " (and chown it to that user).",
          e);
    } catch (IOException e) {
      throw new GitopsException(
          "The SSH key file " + file + " cannot be read: " + e.getMessage(), "Point " + parameter + " to a readable private key file.", e);
    }
  }

  /** Parses an OpenSSH or PEM private key; the passphrase is only handed to the parser, never into a message. */
  static List<KeyPair> parse(byte[] key, String source, SshOptions options) throws GitopsException {
    AtomicBoolean asked = new AtomicBoolean();
    FilePasswordProvider passwords =
        (session, resource, retry) -> {
          asked.set(true);
          return options.passphrase().orElse(null);
        };
    List<KeyPair> pairs = new ArrayList<>();
    Exception failure = null;
    try (InputStream in = new ByteArrayInputStream(key)) {
      Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(source), in, passwords);
      if (loaded != null) {
        loaded.forEach(pairs::add);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      failure = e;
    }
    if (asked.get() && options.passphrase().isEmpty()) {
      throw new GitopsException(
          "The SSH key " + source + " is protected by a passphrase, but none is set.",
          "Put the passphrase in " + options.passphraseSource() + ", or use a deploy key without a passphrase (kept in a CI"
              + " secret).",
          failure);
    }
    if (failure != null || pairs.isEmpty()) {
      if (asked.get()) {
        throw new GitopsException(
            "The SSH key " + source + " cannot be decrypted: the passphrase from " + options.passphraseSource() + " is wrong.",
            "Set " + options.passphraseSource() + " to the key's passphrase (check it with: ssh-keygen -y -f <key file>).",
            failure);
      }
      throw new GitopsException(
          "The SSH key " + source + " is not a private key JGit can read (OpenSSH or PEM)"
              + (failure == null ? "" : ": " + failure.getClass().getSimpleName()) + ".",
          "Use the private key file itself (the one without .pub; it starts with -----BEGIN OPENSSH PRIVATE KEY----- or"
              + " -----BEGIN … PRIVATE KEY-----), with its line breaks intact.",
          failure);
    }
    return pairs;
  }

  /** Installs this factory (and no credentials: SSH authenticates with the key only) on an SSH transport. */
  boolean configure(Transport transport) {
    if (transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(factory);
      return true;
    }
    return false;
  }

  /** A clear error for an SSH transport failure, or null when it is not one of the SSH cases handled here. */
  GitopsException explain(String display, URIish uri, String text, Exception e) {
    String rejection = knownHosts.rejection;
    if (rejection != null) {
      return new GitopsException(rejection, knownHosts.fix, e);
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("cannot log in") || lower.contains("no more keys to try") || lower.contains("authentication")
        || lower.contains("permission denied")) {
      String user = uri.getUser() == null ? System.getProperty("user.name") : uri.getUser();
      return new GitopsException(
          "The SSH server of " + display + " refused the key " + keyDescription + " for user " + user + " (" + text.replaceAll("\\s*\\R\\s*", "; ") + ").",
          "Add the matching public key (ssh-keygen -y -f <key file>) as a deploy key with write access to the repository"
              + " (GitHub: Settings > Deploy keys > Allow write access), and check the user in the URL (git@ for GitHub,"
              + " GitLab, Bitbucket).",
          e);
    }
    return null;
  }

  @Override
  public void close() {
    factory.close();
  }

  SshOptions options() {
    return options;
  }

  /**
   * Host keys from one OpenSSH known_hosts file (plain or hashed host names, {@code [host]:port} for other ports,
   * {@code @revoked} honoured). Records why a key was refused.
   */
  static final class KnownHosts implements ServerKeyDatabase {
    private final Path file;
    private final boolean strict;
    volatile String rejection;
    volatile String fix;

    KnownHosts(Path file, boolean strict) {
      this.file = file;
      this.strict = strict;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
      List<PublicKey> keys = new ArrayList<>();
      HostPort hp = HostPort.parse(connectAddress);
      for (KnownHostEntry entry : entries()) {
        if (entry.getMarker() == null && entry.isHostMatch(hp.host(), hp.port())) {
          PublicKey key = key(entry);
          if (key != null) {
            keys.add(key);
          }
        }
      }
      return keys;
    }

    @Override
    public boolean accept(
        String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey, Configuration config, CredentialsProvider provider) {
      if (!strict) {
        return true;
      }
      HostPort hp = HostPort.parse(connectAddress);
      boolean other = false;
      for (KnownHostEntry entry : entries()) {
        if (!entry.isHostMatch(hp.host(), hp.port())) {
          continue;
        }
        PublicKey key = key(entry);
        if (key == null || "cert-authority".equals(entry.getMarker())) {
          continue;
        }
        boolean same = KeyUtils.compareKeys(key, serverKey);
        if ("revoked".equals(entry.getMarker())) {
          if (same) {
            rejection = "The SSH host key of " + hp.display() + " (" + describe(serverKey) + ") is marked @revoked in " + file + ".";
            fix = "Ask the server's owner for its current host key; do not connect with a revoked key.";
            return false;
          }
          continue;
        }
        if (same) {
          return true;
        }
        other = true;
      }
      String keyscan = "ssh-keyscan -p " + hp.port() + " " + hp.host() + " >> " + file;
      if (other) {
        rejection =
            "The SSH host key of " + hp.display() + " has CHANGED: it sent " + describe(serverKey) + ", but " + file
                + " lists a different key for it. This can be a man-in-the-middle attack, or the server was re-installed.";
        fix =
            "Check the new fingerprint with the server's owner (GitHub publishes its keys), then replace the old line:"
                + " ssh-keygen -R '" + hp.display() + "' -f " + file + " && " + keyscan;
      } else {
        rejection =
            "The SSH host key of " + hp.display() + " (" + describe(serverKey) + ") is unknown: "
                + (Files.isRegularFile(file) ? file + " does not list it." : file + " does not exist.");
        fix =
            "Add the host key to the known_hosts file after checking its fingerprint: " + keyscan
                + " (or set imagegate.gitops.knownHosts to a file that lists it; in GitHub Actions, ssh-keyscan github.com"
                + " >> ~/.ssh/known_hosts).";
      }
      return false;
    }

    private List<KnownHostEntry> entries() {
      if (!Files.isRegularFile(file)) {
        return List.of();
      }
      try {
        return KnownHostEntry.readKnownHostEntries(file);
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }

    private static PublicKey key(KnownHostEntry entry) {
      AuthorizedKeyEntry keyEntry = entry.getKeyEntry();
      if (keyEntry == null) {
        return null;
      }
      try {
        return keyEntry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        return null;
      }
    }

    private static String describe(PublicKey key) {
      return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
  }

  /** {@code host} or {@code [host]:port} as JGit passes the connect address. */
  record HostPort(String host, int port) {
    static HostPort parse(String address) {
      if (address.startsWith("[")) {
        int close = address.indexOf(']');
        if (close > 0) {
          String host = address.substring(1, close);
          int port = 22;
          if (address.length() > close + 2 && address.charAt(close + 1) == ':') {
            try {
              port = Integer.parseInt(address.substring(close + 2));
            } catch (NumberFormatException e) {
              port = 22;
            }
          }
          return new HostPort(host, port);
        }
      }
      return new HostPort(address, 22);
    }

    String display() {
      return port == 22 ? host : "[" + host + "]:" + port;
    }
  }
}
