package dev.imagegate;

/** A handover file is missing, unreadable, or about another image than the one the goal works on. */
public class HandoverException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public HandoverException(String message, String suggestion) {
    super(message, suggestion);
  }

  public HandoverException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
