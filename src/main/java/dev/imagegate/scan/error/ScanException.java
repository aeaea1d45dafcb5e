package dev.imagegate.scan.error;

import dev.imagegate.ImagegateException;

/** A scan that could not be carried out, or an image that fails the vulnerability policy. */
public class ScanException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public ScanException(String message, String suggestion) {
    super(message, suggestion);
  }

  public ScanException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
