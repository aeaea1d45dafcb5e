package dev.imagegate.registry.transport;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Watches one HTTP exchange for progress: it wraps the request body and the response body handler so that every
 * buffer handed to the socket and every buffer received (and the arrival of the response headers) counts as
 * progress, and it learns the answer's {@code Content-Length}. {@link TimedExchange} reads it to decide when the
 * exchange has stalled or run out of time, and {@link #abort()} cancels the response body.
 */
final class ProgressWatch {
  private final LongSupplier clock;
  private final AtomicLong lastProgress = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong announced = new AtomicLong(-1);
  private final AtomicReference<Flow.Subscription> responseBody = new AtomicReference<>();

  /** @param clock nanoseconds, monotonic ({@code System::nanoTime}) */
  ProgressWatch(LongSupplier clock) {
    this.clock = clock;
    lastProgress.set(clock.getAsLong());
  }

  /** When a byte last moved (or the exchange started), in the clock's nanoseconds. */
  long lastProgress() {
    return lastProgress.get();
  }

  /** Body bytes received so far. */
  long received() {
    return received.get();
  }

  /** The answer's Content-Length once its headers arrived; -1 before, or when it has none. */
  long announced() {
    return announced.get();
  }

  private void progress() {
    lastProgress.set(clock.getAsLong());
  }

  /** Stops receiving the answer's body (the client then closes the connection). */
  void abort() {
    Flow.Subscription s = responseBody.get();
    if (s != null) {
      s.cancel();
    }
  }

  /** The request body, counting each buffer the client takes as progress. */
  HttpRequest.BodyPublisher watch(HttpRequest.BodyPublisher body) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            progress();
            subscriber.onNext(item);
          }

          @Override
          public void onError(Throwable throwable) {
            subscriber.onError(throwable);
          }

          @Override
          public void onComplete() {
            progress();
            subscriber.onComplete();
          }
        });
      }
    };
  }

  /** The response handler, counting the headers and each body buffer as progress. */
  <T> HttpResponse.BodyHandler<T> watch(HttpResponse.BodyHandler<T> handler) {
    return info -> {
      progress();
      announced.set(info.headers().firstValueAsLong("Content-Length").orElse(-1));
      HttpResponse.BodySubscriber<T> inner = handler.apply(info);
      return new HttpResponse.BodySubscriber<T>() {
        @Override
        public CompletionStage<T> getBody() {
          return inner.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          responseBody.set(subscription);
          inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
          progress();
          long n = 0;
          for (ByteBuffer b : item) {
            n += b.remaining();
          }
          received.addAndGet(n);
          inner.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
          inner.onError(throwable);
        }

        @Override
        public void onComplete() {
          inner.onComplete();
        }
      };
    };
  }
}
