package dev.imagegate.registry.transport;

import dev.imagegate.NetworkTimeouts;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one HTTP request and receives its whole answer under two limits (see {@link NetworkTimeouts}): the exchange is
 * abandoned when no byte has moved for the stall timeout, or when it has not finished by its deadline ({@code timeout}
 * plus the time the request body and the announced answer body need at the slowest acceptable rate).
 *
 * <p>{@code java.net.http}'s own request timeout stops at the response headers, so a server that sends headers and
 * then trickles the body, or a proxy that accepts a connection and never answers, would otherwise hold the caller
 * forever (or for as long as its retries multiply the timeout). This is the one place that watches both.
 *
 * <pre>{@code
 * HttpResponse<byte[]> r = TimedExchange.send(http, request, BodyHandlers.ofByteArray(), timeouts);
 * // throws TransferTimeoutException (an HttpTimeoutException) naming the limit that was hit
 * }</pre>
 */
public final class TimedExchange {

  private TimedExchange() {}

  /**
   * @throws TransferTimeoutException when the exchange stalled or ran past its deadline (it is cancelled first)
   * @throws IOException as {@link HttpClient#send} does
   * @throws InterruptedException when the calling thread is interrupted (the exchange is cancelled)
   */
  public static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, NetworkTimeouts limits)
      throws IOException, InterruptedException {
    ProgressWatch watch = new ProgressWatch(System::nanoTime);
    HttpRequest watched = request.bodyPublisher()
        .map(body -> HttpRequest.newBuilder(request, (name, value) -> true).method(request.method(), watch.watch(body)).build())
        .orElse(request);
    long requestBytes = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<T>> future = http.sendAsync(watched, watch.watch(handler));
    while (true) {
      long now = System.nanoTime();
      Duration deadline = limits.deadlineFor(Math.max(0, requestBytes) + Math.max(0, watch.announced()));
      long deadlineAt = start + deadline.toNanos();
      long stallAt = watch.lastProgress() + limits.stallTimeout().toNanos();
      if (now - deadlineAt >= 0 || now - stallAt >= 0) {
        boolean stalled = now - stallAt >= 0;
        abort(future, watch);
        throw stalled
            ? new TransferTimeoutException(TransferTimeoutException.Kind.STALLED, limits.stallTimeout(), watch.received(),
                "no byte moved for " + seconds(limits.stallTimeout()) + (watch.announced() < 0 && watch.received() == 0 ? " (no answer)" : " (after " + watch.received() + " bytes of the answer)"))
            : new TransferTimeoutException(TransferTimeoutException.Kind.DEADLINE, deadline, watch.received(),
                "not finished within " + seconds(deadline) + " (" + watch.received() + (watch.announced() >= 0 ? " of " + watch.announced() : "") + " bytes of the answer received)");
      }
      try {
        return future.get(Math.min(deadlineAt - now, stallAt - now), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // loop: progress may have moved the stall point on
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IOException(cause);
      } catch (CancellationException e) {
        throw new IOException("the exchange was cancelled", e);
      } catch (InterruptedException e) {
        abort(future, watch);
        throw e;
      }
    }
  }

  private static void abort(CompletableFuture<?> future, ProgressWatch watch) {
    watch.abort();
    future.cancel(true);
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
