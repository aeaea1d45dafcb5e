package dev.imagegate.gitops;

import dev.imagegate.ImagegateException;

/** A GitOps update that cannot be done: a bad values file, a path not found, a rejected push, bad credentials. */
public class GitopsException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public GitopsException(String message, String suggestion) {
    super(message, suggestion);
  }

  public GitopsException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
