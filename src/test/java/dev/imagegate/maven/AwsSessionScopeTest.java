package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSessionCache;
import dev.imagegate.aws.AwsSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;

/**
 * The AWS web-identity sessions live as long as one build: the goals of a build share them, two builds (two Maven
 * sessions in one JVM, as in a Maven daemon) do not, and nothing JVM-wide keeps them.
 */
class AwsSessionScopeTest {

  @Test
  void theGoalsOfOneBuildShareTheCacheAndTwoBuildsDoNot() {
    DefaultRepositorySystemSession first = new DefaultRepositorySystemSession();
    DefaultRepositorySystemSession second = new DefaultRepositorySystemSession();
    AwsSessionCache a = AwsSessionScope.of(first);
    assertSame(a, AwsSessionScope.of(first), "push, sign and audit of one build");
    AwsSessionCache b = AwsSessionScope.of(second);
    assertNotSame(a, b, "another build in the same JVM");
    assertEquals(0, b.size());
    assertNotSame(a, AwsSessionScope.of(null), "without a session: a cache nobody keeps");

    AwsSettings same = AwsSettings.defaults().withRoleArn("arn:aws:iam::123456789012:role/push").withEnvironment(Map.of());
    assertNotEquals(same.withSessions(a), same.withSessions(b), "the same settings in two builds are two keys in two caches");
    assertEquals(same.withSessions(a), same.withSessions(a).withRegion(null));
  }

  @Test
  void noJvmWideCacheOfCredentialsIsLeft() {
    for (Class<?> c : new Class<?>[] {AwsAccess.class, AwsSessionCache.class, AwsSessionScope.class}) {
      for (Field f : c.getDeclaredFields()) {
        boolean grows = Map.class.isAssignableFrom(f.getType()) || java.util.Collection.class.isAssignableFrom(f.getType());
        assertTrue(!Modifier.isStatic(f.getModifiers()) || !grows, c.getSimpleName() + "." + f.getName() + " is a static collection: " + Arrays.toString(c.getDeclaredFields()));
      }
    }
  }

  @Test
  void settingsNeverPrintTheEnvironment() {
    AwsSettings s = AwsSettings.defaults().withEnvironment(Map.of("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token-secret"));
    assertTrue(!s.toString().contains("request-token-secret"), s.toString());
  }
}
