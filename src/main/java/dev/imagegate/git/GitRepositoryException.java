package dev.imagegate.git;

import dev.imagegate.ImagegateException;

/** The project is not in a usable git repository. */
public class GitRepositoryException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public GitRepositoryException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
