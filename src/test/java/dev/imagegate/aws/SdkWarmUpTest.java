package dev.imagegate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The warm-up drives the goals' calls of every service through the SDK with an HTTP client that answers without a
 * connection.
 */
class SdkWarmUpTest {

  @Test
  void everyServiceMakesItsCallsWithoutTheNetwork() throws Exception {
    // a service counts only if every call made its full round through the SDK and parsed the canned answer (the
    // endpoint 127.0.0.1:9 refuses connections: a call that reached the network would have failed)
    Set<SdkWarmUp.Service> done = SdkWarmUp.run(EnumSet.allOf(SdkWarmUp.Service.class));
    assertEquals(EnumSet.allOf(SdkWarmUp.Service.class), done);
  }

  @Test
  void startsOncePerJvmInABackgroundDaemonThread() throws Exception {
    Thread first = SdkWarmUp.start(EnumSet.of(SdkWarmUp.Service.STS));
    assertNotNull(first);
    assertTrue(first.isDaemon());
    first.join(30_000);
    assertTrue(!first.isAlive(), "the warm-up ends on its own");
    assertNull(SdkWarmUp.start(EnumSet.of(SdkWarmUp.Service.S3)), "a second goal does not start another");
    assertNull(SdkWarmUp.start(EnumSet.noneOf(SdkWarmUp.Service.class)));
  }
}
