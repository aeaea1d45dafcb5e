package dev.imagegate.secrets;

import dev.imagegate.ImagegateException;

/** Secrets were found, or the files or the baseline could not be read. */
public class SecretsException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public SecretsException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
