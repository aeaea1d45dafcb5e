package dev.imagegate.scan.osv;

import java.io.IOException;

/** A database update that must not replace the database in use: its message says why. */
final class ImplausibleUpdateException extends IOException {
  private static final long serialVersionUID = 1L;

  ImplausibleUpdateException(String reason) {
    super(reason);
  }
}
