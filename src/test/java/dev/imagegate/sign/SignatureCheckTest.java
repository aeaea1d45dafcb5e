package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SignatureCheck#verifyAll}: every image is checked, at the same time, and none passes by default. */
class SignatureCheckTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String US = "127.0.0.1:1/app@" + DIGEST;
  private static final String EU = "127.0.0.1:2/app@" + DIGEST;

  private static Map<String, PushedImage.Target> twoRegions() {
    Map<String, PushedImage.Target> refs = new LinkedHashMap<>();
    refs.put(US, new PushedImage.Target("127.0.0.1:1", "app", "us-east-1", true));
    refs.put(EU, new PushedImage.Target("127.0.0.1:2", "app", "us-west-2", true));
    return refs;
  }

  private static SignatureVerifier.Report passed(String reference) {
    return new SignatureVerifier.Report(reference, 1, 0, List.of());
  }

  @Test
  void theRegistriesAreCheckedAtTheSameTime() {
    // each check waits until the other has started: checked one after the other, the first would never get through
    CyclicBarrier bothStarted = new CyclicBarrier(2);
    SignatureCheck.Outcome outcome = SignatureCheck.verifyAll(null, twoRegions(), (reference, target) -> {
      try {
        bothStarted.await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new RegistryException("the other registry's check did not start while this one ran: " + e, "");
      }
      return passed(reference);
    });
    assertEquals(List.of(), outcome.failed());
    assertEquals(List.of(US, EU), outcome.verified().stream().map(SignatureVerifier.Report::reference).toList());
  }

  @Test
  void everyImageIsCheckedAndOneFailureFailsTheWhole() {
    SignatureCheck.Outcome outcome = SignatureCheck.verifyAll(null, twoRegions(), (reference, target) -> {
      if (target.region().equals("us-east-1")) {
        throw new RegistryException("401 from the registry", "Check the credentials.");
      }
      return passed(reference);
    });
    assertEquals(List.of(EU), outcome.verified().stream().map(SignatureVerifier.Report::reference).toList());
    assertEquals(List.of(US), outcome.failed().stream().map(SignatureCheck.Failure::reference).toList());
    assertTrue(outcome.failed().get(0).cause().getMessage().contains("Cannot check the signatures of " + US + ": 401 from the registry"));
    assertThrows(SigningException.class, outcome::requireAll);
  }

  @Test
  void anUnexpectedErrorInACheckIsAFailureNotAPass() {
    SignatureCheck.Outcome outcome = SignatureCheck.verifyAll(null, twoRegions(), (reference, target) -> {
      if (target.region().equals("us-west-2")) {
        throw new IllegalArgumentException("boom");
      }
      return passed(reference);
    });
    assertEquals(List.of(EU), outcome.failed().stream().map(SignatureCheck.Failure::reference).toList());
    assertThrows(SigningException.class, outcome::requireAll);
  }

  @Test
  void manyImagesAreAllCheckedInTheirOrder() {
    Map<String, PushedImage.Target> refs = new LinkedHashMap<>();
    for (int i = 1; i <= SignatureCheck.PARALLEL * 2 + 1; i++) {
      refs.put("127.0.0.1:" + i + "/app@" + DIGEST, new PushedImage.Target("127.0.0.1:" + i, "app", "", false));
    }
    SignatureCheck.Outcome outcome = SignatureCheck.verifyAll(null, refs, (reference, target) -> passed(reference));
    assertEquals(List.copyOf(refs.keySet()), outcome.verified().stream().map(SignatureVerifier.Report::reference).toList());
  }

  @Test
  void anErrorInACheckIsAFailureNotAPass() {
    SignatureCheck.Outcome outcome = SignatureCheck.verifyAll(null, twoRegions(), (reference, target) -> {
      if (target.region().equals("us-east-1")) {
        throw new AssertionError("boom");
      }
      return passed(reference);
    });
    assertEquals(List.of(US), outcome.failed().stream().map(SignatureCheck.Failure::reference).toList());
    assertThrows(SigningException.class, outcome::requireAll);
  }

  @Test
  void nothingToCheckIsRefused() {
    SignatureCheck.Outcome outcome = SignatureCheck.verifyAll(null, Map.of(), (reference, target) -> passed(reference));
    assertThrows(SigningException.class, outcome::requireAll);
  }
}
