package dev.imagegate.audit;

/** S3 already holds a record of another digest for the same commit: running again cannot fix it, a human must look. */
public class AuditConflictException extends AuditException {
  private static final long serialVersionUID = 1L;

  public AuditConflictException(String message, String suggestion) {
    super(message, suggestion);
  }
}
