package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up starts once per JVM, opens nothing and never throws. */
class HttpWarmUpTest {
  @Test
  void startsOncePerJvm() {
    boolean first = HttpWarmUp.start();
    // another test of this JVM may have started it already (SignRun does): either way a second start does nothing
    assertFalse(HttpWarmUp.start());
    assertTrue(first || !HttpWarmUp.start());
  }

  @Test
  void runLoadsTheSharedClientWithoutThrowing() {
    HttpWarmUp.run();
    assertNotNull(RegistryClient.sharedHttp());
  }
}
