package dev.imagegate.oci;

import dev.imagegate.ImagegateException;

/** An OCI image archive is missing, unreadable or not what it claims to be. */
public class OciArchiveException extends ImagegateException {
  private static final long serialVersionUID = 1L;

  public OciArchiveException(String message, String suggestion, Throwable cause) {
    super(message, suggestion, cause);
  }
}
