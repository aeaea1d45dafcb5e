package dev.imagegate.audit;

import dev.imagegate.ImagegateException;

/** The audit record could not be assembled or written, or S3 already holds a different record for the commit. */
public class AuditException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public AuditException(String message, String suggestion) {
    super(message, suggestion);
  }

  public AuditException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
