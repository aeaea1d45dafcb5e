package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** gitops-update follows the skip pattern (imagegate.gitops.skip); the old imagegate.gitops-update.skip still skips, with a warning. */
class SkipPropertyTest {
  private final List<String> warnings = new ArrayList<>();

  private GitopsUpdateMojo mojo(String field) throws Exception {
    GitopsUpdateMojo mojo = new GitopsUpdateMojo(null);
    mojo.setLog(new SystemStreamLog() {
      @Override
      public void warn(CharSequence content) {
        warnings.add(content.toString());
      }
    });
    if (field != null) {
      Field f = GitopsUpdateMojo.class.getDeclaredField(field);
      f.setAccessible(true);
      f.setBoolean(mojo, true);
    }
    return mojo;
  }

  @Test
  void theNewPropertySkipsQuietly() throws Exception {
    assertTrue(mojo("skipGitops").skipGoal());
    assertTrue(warnings.isEmpty(), warnings.toString());
    assertFalse(mojo(null).skipGoal());
  }

  @Test
  void theOldPropertyStillSkipsAndSaysItIsDeprecated() throws Exception {
    assertTrue(mojo("skipGitopsUpdate").skipGoal());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith("imagegate.gitops-update.skip is deprecated: use imagegate.gitops.skip"), warnings.get(0));
  }
}
