package dev.imagegate.image;

import dev.imagegate.ImagegateException;

/** The image cannot be built as configured. */
public class BuildException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public BuildException(String message, String suggestion) {
    super(message, suggestion);
  }

  public BuildException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
