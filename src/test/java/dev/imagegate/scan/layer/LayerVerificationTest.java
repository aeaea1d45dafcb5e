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
  void aLayerFailureWinsOverTheErrorOfTheWorkDoneMeanwhile() {
    ScanException tampered = new ScanException("layer 1 does not match its digest", "rebuild");
    LayerVerification v = new LayerVerification(List.of(failing(tampered)));
    ScanException e = assertThrows(ScanException.class, () -> v.whileChecking(() -> {
      throw new ScanException("the OS packages cannot be checked", "allowUnscannedOs");
    }));
    assertSame(tampered, e);
  }

  @Test
  void theWorkDoneMeanwhileKeepsItsErrorWhenEveryLayerMatched() throws Exception {
    LayerVerification v = new LayerVerification(List.of(CompletableFuture.completedFuture(null)));
    ScanException own = new ScanException("the database is too old", "refresh");
    assertSame(own, assertThrows(ScanException.class, () -> v.whileChecking(() -> {
      throw own;
    })));
    assertEquals("done", v.whileChecking(() -> "done"));
    LayerVerification.none().await();
  }

  @Test
  void aCheckThatDidNotFinishFailsClosed() {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    cancelled.cancel(true);
    ScanException e = assertThrows(ScanException.class, new LayerVerification(List.of(cancelled))::await);
    assertEquals(true, e.getMessage().contains("did not finish"), e.getMessage());
  }
}
