package dev.imagegate.sign;

import dev.imagegate.ImagegateException;

/** A signature could not be made, stored or verified; the message says which and why. */
public class SigningException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public SigningException(String message, String suggestion) {
    super(message, suggestion);
  }

  public SigningException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
