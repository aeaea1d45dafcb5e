package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSessionCache;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.sign.KeyFileCache;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;

/**
 * The AWS web-identity sessions and the decrypted key files live as long as one build: the goals of a build share them,
 * two builds (two Maven sessions in one JVM, as in a Maven daemon) do not, and nothing JVM-wide keeps them.
 */
class BuildScopeTest {

  @Test
  void theGoalsOfOneBuildShareTheCacheAndTwoBuildsDoNot() {
    DefaultRepositorySystemSession first = new DefaultRepositorySystemSession();
    DefaultRepositorySystemSession second = new DefaultRepositorySystemSession();
    AwsSessionCache a = aws(first);
    assertSame(a, aws(first), "push, sign and audit of one build");
    AwsSessionCache b = aws(second);
    assertNotSame(a, b, "another build in the same JVM");
    assertEquals(0, b.size());
    assertNotSame(a, aws(null), "without a session: a cache nobody keeps");

    AwsSettings same = AwsSettings.defaults().withRoleArn("arn:aws:iam::123456789012:role/push").withEnvironment(Map.of());
    assertNotEquals(same.withSessions(a), same.withSessions(b), "the same settings in two builds are two keys in two caches");
    assertEquals(same.withSessions(a), same.withSessions(a).withRegion(null));
  }

  @Test
  void theGoalsOfOneBuildShareTheDecryptedKeysAndTwoBuildsDoNot() {
    DefaultRepositorySystemSession first = new DefaultRepositorySystemSession();
    KeyFileCache a = SigningKeyWarmUp.keyFiles(first);
    assertSame(a, SigningKeyWarmUp.keyFiles(first), "push's check and the sign goal of one build");
    assertNotSame(a, SigningKeyWarmUp.keyFiles(new DefaultRepositorySystemSession()), "another build in the same JVM");
    assertSame(KeyFileCache.NONE, SigningKeyWarmUp.keyFiles(null), "without a session: nothing kept");
  }

  private static AwsSessionCache aws(DefaultRepositorySystemSession session) {
    return BuildScope.of(session, AwsSessionCache.class, AwsSessionCache::new);
  }

  @Test
  void noJvmWideCacheOfCredentialsIsLeft() {
    for (Class<?> c : new Class<?>[] {AwsAccess.class, AwsSessionCache.class, BuildScope.class, KeyFileCache.class, SigningKeyWarmUp.class}) {
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
