package dev.imagegate.scan.layer;

import java.io.IOException;

/**
 * A layer went past one of the {@link LayerLimits} while it was read. An {@link IOException} so that it can leave a
 * stream or an analyzer; the layer walk turns it into a scan failure with this message and suggestion.
 */
public final class LayerLimitException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String suggestion;

  public LayerLimitException(String message, String suggestion) {
    super(message);
    this.suggestion = suggestion;
  }

  public String suggestion() {
    return suggestion;
  }
}
