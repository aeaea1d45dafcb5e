package dev.imagegate.registry;

import dev.imagegate.ImagegateException;

/** A registry refused, failed or answered something unexpected; the message names the registry and the request. */
public class RegistryException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public RegistryException(String message, String suggestion) {
    this(message, suggestion, 0, null);
  }

  public RegistryException(String message, String suggestion, int status, Throwable cause) {
    super(message, suggestion, cause);
    this.status = status;
  }

  /** The HTTP status that caused it, 0 when none (connection failure, digest mismatch…). */
  public int status() {
    return status;
  }
}
