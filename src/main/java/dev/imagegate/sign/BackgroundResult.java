package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The result of work the sign goal ran on another thread, or what that work threw, as it threw it. */
final class BackgroundResult {

  private BackgroundResult() {}

  /**
   * Waits for {@code work}; a typed failure ({@link ImagegateException}), a runtime exception or an error is rethrown as
   * is, anything else wrapped.
   *
   * @param interrupted the message of the {@link SigningException} thrown when this thread is interrupted meanwhile
   */
  static <T> T of(Future<T> work, String interrupted) throws ImagegateException {
    try {
      return work.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ImagegateException ie) {
        throw ie;
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
