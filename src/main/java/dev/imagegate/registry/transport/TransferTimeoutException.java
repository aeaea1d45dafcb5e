package dev.imagegate.registry.transport;

import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * An exchange was abandoned because it stopped moving ({@link Kind#STALLED}) or ran past its whole-exchange deadline
 * ({@link Kind#DEADLINE}). It is not retried by the callers: a server that holds a connection open without answering
 * would hold the next attempt open too.
 */
public final class TransferTimeoutException extends HttpTimeoutException {
  private static final long serialVersionUID = 1L;

  /** Which limit was hit. */
  public enum Kind {
    /** No byte moved in either direction for the stall timeout. */
    STALLED,
    /** Bytes kept moving, too slowly to finish within the deadline. */
    DEADLINE
  }

  private final Kind kind;
  private final Duration limit;
  private final long bytesReceived;

  public TransferTimeoutException(Kind kind, Duration limit, long bytesReceived, String message) {
    super(message);
    this.kind = kind;
    this.limit = limit;
    this.bytesReceived = bytesReceived;
  }

  public Kind kind() {
    return kind;
  }

  /** The stall timeout or the deadline that was hit. */
  public Duration limit() {
    return limit;
  }

  /** Body bytes of the answer received before the exchange was abandoned. */
  public long bytesReceived() {
    return bytesReceived;
  }
}
