package dev.imagegate;

import java.util.Optional;

/**
 * The {@code <server>} entries of the build tool's settings (Maven's {@code settings.xml}), already decrypted: the
 * core's view of them, so that the classes that need a registry password, a Git token, an SSH key or a key password
 * do not depend on Maven.
 */
@FunctionalInterface
public interface ServerSettings {
  /** No servers at all. */
  ServerSettings NONE = id -> Optional.empty();

  /**
   * The server with this id, decrypted.
   *
   * @throws IllegalStateException when the server exists but its secrets cannot be decrypted (the message names the
   *     server, never a secret)
   */
  Optional<Server> server(String id);

  /**
   * One server entry.
   *
   * @param id the server id
   * @param username the user name
   * @param password the password or token
   * @param privateKey the path of a private key file
   * @param passphrase the private key's passphrase
   */
  record Server(String id, String username, String password, String privateKey, String passphrase) {
    /** Never prints the password or the passphrase. */
    @Override
    public String toString() {
      return "Server[id=" + id + ", username=" + username + ", password=" + (password == null ? "none" : "****")
          + ", privateKey=" + privateKey + ", passphrase=" + (passphrase == null ? "none" : "****") + "]";
    }
  }
}
