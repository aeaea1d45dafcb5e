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

  /** The user name Docker gives identity tokens (OAuth2 refresh tokens), in config.json and from credential helpers. */
  public static final String IDENTITY_TOKEN_USER = "<token>";

  /** An identity token: a token service takes it as an OAuth2 refresh token, not as a Basic password. */
  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  @Override
  public String toString() {
    return "Credential[username=" + username + ", password=****]";
  }
}
