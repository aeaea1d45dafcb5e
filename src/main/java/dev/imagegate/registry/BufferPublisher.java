package dev.imagegate.registry;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * An upload body straight from a (memory-mapped) buffer: it hands the HTTP client read-only slices of the buffer, so
 * the bytes go from the page cache to the socket without being copied through an {@code InputStream} into small
 * heap buffers. Each subscription (a retried request subscribes again) starts from the beginning.
 */
final class BufferPublisher implements Flow.Publisher<ByteBuffer> {
  static final int SLICE = 1 << 20;

  private final ByteBuffer content;
  private final LongConsumer onSent;

  /**
   * @param content the bytes, position 0 to limit; not modified
   * @param onSent told the number of bytes of each slice handed to the client
   */
  BufferPublisher(ByteBuffer content, LongConsumer onSent) {
    this.content = content.asReadOnlyBuffer();
    this.onSent = onSent;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    subscriber.onSubscribe(new Subscription(content.duplicate(), subscriber));
  }

  private final class Subscription implements Flow.Subscription {
    private final ByteBuffer view;
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean done;

    Subscription(ByteBuffer view, Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.view = view;
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (done) {
        return;
      }
      if (n <= 0) {
        done = true;
        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    @Override
    public void cancel() {
      done = true;
    }

    /** Emits while there is demand; re-entrant calls (request from onNext) only bump the work counter. */
    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        while (!done && demand.get() > 0 && view.hasRemaining()) {
          int n = Math.min(SLICE, view.remaining());
          ByteBuffer slice = view.slice(view.position(), n);
          view.position(view.position() + n);
          demand.decrementAndGet();
          onSent.accept(n);
          subscriber.onNext(slice);
        }
        if (!done && !view.hasRemaining()) {
          done = true;
          subscriber.onComplete();
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }
  }
}
