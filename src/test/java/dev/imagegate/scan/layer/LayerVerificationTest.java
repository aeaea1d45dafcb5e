package dev.imagegate.scan.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagegate.scan.error.ScanException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class LayerVerificationTest {
  private static CompletableFuture<Void> failing(ScanException e) {
    return CompletableFuture.failedFuture(new CompletionException(e));
  }

  @Test
  void awaitThrowsTheFirstFailingLayerInLayerOrderWhateverFinishedFirst() {
    ScanException first = new ScanException("layer 2 does not match its digest", "rebuild");
    ScanException second = new ScanException("layer 3 does not match its digest", "rebuild");
    CompletableFuture<Void> slowFirst = new CompletableFuture<>();
    LayerVerification v = new LayerVerification(List.of(CompletableFuture.completedFuture(null), slowFirst, failing(second)));
    slowFirst.completeExceptionally(new CompletionException(first)); // the later layer failed earlier in time
    assertSame(first, assertThrows(ScanException.class, v::await));
  }

  @Test
  void awaitAllThrowsTheFirstImageFailingLayerAndPassesWhenEveryLayerMatched() throws Exception {
    ScanException amd64 = new ScanException("linux/amd64 layer 1 does not match its digest", "rebuild");
    ScanException arm64 = new ScanException("linux/arm64 layer 1 does not match its digest", "rebuild");
    LayerVerification ok = new LayerVerification(List.of(CompletableFuture.completedFuture(null)));
    assertSame(amd64, assertThrows(ScanException.class, () -> LayerVerification.awaitAll(
        List.of(ok, new LayerVerification(List.of(failing(amd64))), new LayerVerification(List.of(failing(arm64)))))));
    LayerVerification.awaitAll(List.of(ok, LayerVerification.none()));
  }

  @Test
  void aCheckThatDidNotFinishFailsClosed() {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    cancelled.cancel(true);
    ScanException e = assertThrows(ScanException.class, new LayerVerification(List.of(cancelled))::await);
    assertEquals(true, e.getMessage().contains("did not finish"), e.getMessage());
  }
}
