package dev.imagegate;

import java.util.Objects;

/**
 * A failure a user can act on: what went wrong, and what to do about it.
 *
 * <p>Every core package throws a subclass of this; the mojos turn it into a {@code MojoFailureException}
 * whose message carries both parts, so nothing that reaches a user lacks a suggested fix.
 */
public class ImagegateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String suggestion;

  public ImagegateException(String message, String suggestion) {
    this(message, suggestion, null);
  }

  public ImagegateException(String message, String suggestion, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.suggestion = suggestion == null ? "" : suggestion;
  }

  /** What the user should do to fix it; never empty for errors a user can hit. */
  public String suggestion() {
    return suggestion;
  }
}
