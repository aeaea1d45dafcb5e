package dev.imagegate.registry;

import java.util.Objects;

/**
 * A username and password (or token) for a registry. {@link #toString()} never shows the secret.
 *
 * @param username the user name ({@code AWS} for ECR, {@code <token>} for identity tokens)
 * @param password the password or token
 */
public record Credential(String username, String password) {

  public Credential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "Credential[username=" + username + ", password=****]";
  }
}
