package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BuildPolicyTest {
  private static final String DIGEST = "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @Test
  void acceptsATaggedBasePinnedByDigest() {
    assertDoesNotThrow(() -> BuildPolicy.STRICT.checkBase("127.0.0.1:5000/java-base:17" + DIGEST));
    assertDoesNotThrow(() -> BuildPolicy.STRICT.checkBase("gcr.io/distroless/java17" + DIGEST));
  }

  @Test
  void refusesAnUnpinnedBaseAndNamesTheOptOut() {
    BuildException e =
        assertThrows(BuildException.class, () -> BuildPolicy.STRICT.checkBase("eclipse-temurin:17-jre"));
    assertTrue(e.getMessage().contains("not pinned by digest"), e.getMessage());
    assertTrue(e.suggestion().contains("allowUnpinnedBase"), e.suggestion());
    assertDoesNotThrow(() -> new BuildPolicy(true, false, false, false).checkBase("eclipse-temurin:17-jre"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"eclipse-temurin", "eclipse-temurin:latest", "eclipse-temurin:latest" + DIGEST})
  void refusesLatestEvenWhenUnpinnedBasesAreAllowed(String base) {
    BuildException e =
        assertThrows(BuildException.class, () -> new BuildPolicy(true, false, false, false).checkBase(base));
    assertTrue(e.getMessage().contains("latest"), e.getMessage());
    assertTrue(e.suggestion().contains("allowLatestBase"), e.suggestion());
    assertDoesNotThrow(() -> new BuildPolicy(true, true, false, false).checkBase(base));
  }

  @Test
  void refusesAMissingOrInvalidBase() {
    assertThrows(BuildException.class, () -> BuildPolicy.STRICT.checkBase(" "));
    assertThrows(BuildException.class, () -> BuildPolicy.STRICT.checkBase("UPPER/Case:tag" + DIGEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"root", "0", "0:0", "00", "root:root", "0:65532", " 0 "})
  void refusesRoot(String user) {
    BuildException e = assertThrows(BuildException.class, () -> BuildPolicy.STRICT.checkUser(user));
    assertTrue(e.suggestion().contains("allowRootUser"), e.suggestion());
    assertDoesNotThrow(() -> new BuildPolicy(false, false, true, false).checkUser(user));
  }

  @ParameterizedTest
  @ValueSource(strings = {"65532", "65532:65532", "nonroot", "1000:0", "10"})
  void acceptsNonRootUsers(String user) {
    assertDoesNotThrow(() -> BuildPolicy.STRICT.checkUser(user));
  }

  @Test
  void refusesAnEmptyUserBecauseTheBaseMayRunAsRoot() {
    assertThrows(BuildException.class, () -> BuildPolicy.STRICT.checkUser(""));
  }

  @Test
  void tagRules() {
    assertDoesNotThrow(() -> BuildPolicy.checkTag("sha-" + "0".repeat(40)));
    assertDoesNotThrow(() -> BuildPolicy.checkTag("v1.2.3"));
    assertThrows(BuildException.class, () -> BuildPolicy.checkTag("latest"));
    assertThrows(BuildException.class, () -> BuildPolicy.checkTag("LATEST"));
    assertThrows(BuildException.class, () -> BuildPolicy.checkTag("-bad"));
    assertThrows(BuildException.class, () -> BuildPolicy.checkTag("a".repeat(129)));
    assertThrows(BuildException.class, () -> BuildPolicy.checkTag("with space"));
  }
}
