package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.aws.RegistryAuth;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The OCI distribution-spec grammar ({@code <name>} and tag rules), with the examples of the spec and of the
 * distribution project's reference tests, and the check that a bad name fails before any network or AWS call.
 */
class OciNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "library/ubuntu", "myapp", "team/myapp", "a", "a/b/c/d", "foo_bar", "foo__bar", "foo.bar", "foo-bar", "foo---bar",
      "test.com/foo", "test_com", "it/github-actions-main", "123", "a0/b1.c2_d3__e4-f5"})
  void validNames(String name) throws RegistryException {
    assertTrue(OciNames.isRepository(name), name);
    OciNames.checkRepository("registry.example.com", name);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "MyApp", "../evil", "team/../evil", "..", ".", "/myapp", "myapp/", "a//b", "-foo", "foo-", "_foo", "foo_", "foo___bar",
      "foo..bar", "foo._bar", "Uppercase", "aa/asdf$$^/aa", "my app", "myapp:latest", "myapp@sha256:abc", "", "ä"})
  void invalidNamesAreRefusedNamingTheRule(String name) {
    assertFalse(OciNames.isRepository(name), name);
    RegistryException e = assertThrows(RegistryException.class, () -> OciNames.checkRepository("123456789012.dkr.ecr.us-east-1.amazonaws.com", name));
    assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(OciNames.NAME_RULE), e.getMessage());
    assertTrue(e.suggestion().contains("<repository>"), e.suggestion());
    assertFalse(e.getMessage().contains("CreateRepository") || e.suggestion().contains("CreateRepository"));
  }

  @Test
  void theFixSuggestsANameThatIsValid() {
    assertEquals("myapp", OciNames.suggestion("MyApp"));
    assertEquals("evil", OciNames.suggestion("../evil"));
    assertEquals("team/my-app", OciNames.suggestion("Team/My App"));
    assertEquals("", OciNames.suggestion("../.."));
  }

  @Test
  void registryAndNameTogetherAreAtMost255Characters() throws RegistryException {
    String host = "registry.example.com"; // 20 + '/' = 21
    OciNames.checkRepository(host, "a".repeat(255 - 21));
    RegistryException e = assertThrows(RegistryException.class, () -> OciNames.checkRepository(host, "a".repeat(255 - 20)));
    assertTrue(e.getMessage().contains("255"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "sha-0123456789abcdef0123456789abcdef01234567", "v1.2.3", "_x", "Tag_1-a.b", "sha256-abc.sig"})
  void validTags(String tag) throws RegistryException {
    assertTrue(OciNames.isTag(tag));
    OciNames.checkTag(tag);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".hidden", "-dash", "a:b", "a/b", "a b", "../x", "ü"})
  void invalidTagsAreRefusedNamingTheRule(String tag) {
    RegistryException e = assertThrows(RegistryException.class, () -> OciNames.checkTag(tag));
    assertTrue(e.getMessage().contains(OciNames.TAG_RULE), e.getMessage());
  }

  @Test
  void aTagOf129CharactersIsTooLong() {
    assertTrue(OciNames.isTag("a".repeat(128)));
    RegistryException e = assertThrows(RegistryException.class, () -> OciNames.checkTag("a".repeat(129)));
    assertTrue(e.getMessage().contains("at most 128"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"MyApp", "../evil"})
  void anEcrTargetWithABadNameFailsBeforeAwsIsOpened(String name) {
    AtomicInteger opened = new AtomicInteger();
    RegistryAuth auth = new RegistryAuth(null, null, () -> {
      opened.incrementAndGet();
      throw new AssertionError("ECR must not be opened for an invalid repository name");
    });
    RegistryException e = assertThrows(RegistryException.class, () ->
        auth.resolve(new RegistryAuth.Target("123456789012.dkr.ecr.us-east-1.amazonaws.com", null, name, null, null, null, null)));
    assertEquals(0, opened.get());
    assertTrue(e.getMessage().contains("not a valid OCI repository name"), e.getMessage());
  }
}
