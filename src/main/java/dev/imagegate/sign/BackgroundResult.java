package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The result of work the sign goal ran on another thread, or what that work threw, as it threw it. */
final class BackgroundResult {

  private BackgroundResult() {}

  /**
   * Waits for {@code work}; a failure of the {@code typed} kind, a runtime exception or an error is rethrown as is,
   * anything else wrapped.
   *
   * @param typed the checked failures the work throws ({@link ImagegateException}, or a narrower one)
   * @param interrupted the message of the {@link SigningException} thrown when this thread is interrupted meanwhile
   */
  static <T, E extends ImagegateException> T of(Future<T> work, Class<E> typed, String interrupted) throws E, SigningException {
    try {
      return work.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (typed.isInstance(c)) {
        throw typed.cast(c);
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigningException(interrupted, "Run the goal again.", e);
    }
  }
}
