package dev.imagegate.scan.layer;

import dev.imagegate.scan.error.ScanException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The digest checks of the layers a {@link LayerWalk} did not read (their facts came from the layer cache), running on
 * other threads while the scan goes on. {@link #await} is the gate: nothing about the image may be reported before it
 * returned, and it throws the first mismatching layer's failure (in layer order), as the walk would have.
 */
public final class LayerVerification {
  private final List<CompletableFuture<Void>> checks;

  LayerVerification(List<CompletableFuture<Void>> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Waiting for {@code checks} (e.g. those {@code InventoryScanner.startCachedChecks} started). */
  public static LayerVerification of(java.util.Collection<CompletableFuture<Void>> checks) {
    return new LayerVerification(List.copyOf(checks));
  }

  /** Nothing to wait for. */
  public static LayerVerification none() {
    return new LayerVerification(List.of());
  }

  /** Waits for every check; throws the first failing layer's {@link ScanException}. */
  public void await() throws ScanException {
    for (CompletableFuture<Void> check : checks) {
      try {
        check.join();
      } catch (CompletionException | CancellationException e) {
        if (e.getCause() instanceof ScanException s) {
          throw s;
        }
        throw new ScanException("The check of a layer's digest did not finish: " + e.getMessage(),
            "Run the scan again; the image is not scanned until every layer matches its digest.", e);
      }
    }
  }

  /** Waits for every image's checks, in order; throws the first failing layer's {@link ScanException}. */
  public static void awaitAll(List<LayerVerification> verifications) throws ScanException {
    for (LayerVerification v : verifications) {
      v.await();
    }
  }
}
