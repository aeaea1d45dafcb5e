package dev.imagegate.aws;

import dev.imagegate.ImagegateException;

/** AWS access failed or was refused (static keys, STS, ECR); the message never contains a secret. */
public class AwsException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public AwsException(String message, String suggestion) {
    super(message, suggestion);
  }

  public AwsException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
