package dev.imagegate.maven;

import dev.imagegate.sign.KeyFileCache;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.plugin.MavenPluginManager;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.logging.Log;
import org.eclipse.aether.RepositorySystemSession;

/**
 * The build's decrypted key files ({@link KeyFileCache}), kept in the build's session (they end with it, under a build
 * daemon too), and the start of their decryption by a goal that runs before push and sign (detect-secrets, build):
 * push's check that the key can sign, then the sign goal, find the key decrypted instead of each spending 0.3 s of
 * scrypt on it. A JSR-330 component, injected into the mojos that start it.
 */
@Named
@Singleton
public class SigningKeyWarmUp {
  private final LifecycleExecutor lifecycle;
  private final MavenPluginManager pluginManager;

  @Inject
  public SigningKeyWarmUp(LifecycleExecutor lifecycle, MavenPluginManager pluginManager) {
    this.lifecycle = lifecycle;
    this.pluginManager = pluginManager;
  }

  /** The decrypted key files of the build {@code session} belongs to ({@link BuildScope}); {@link KeyFileCache#NONE} without one. */
  static KeyFileCache keyFiles(RepositorySystemSession session) {
    return session == null ? KeyFileCache.NONE : BuildScope.of(session, KeyFileCache.class, KeyFileCache::forBuild);
  }

  /**
   * Once per build: starts decrypting the key file of the sign goal that this build runs after {@code current}, in the
   * background. Finding it takes Maven's execution plan and the sign goal's configuration (its key, its password's
   * source), as push's check does; a failure here is only logged at debug level: the goals that need the key report it.
   */
  void start(MavenSession session, MojoExecution current, Log log) {
    KeyFileCache keyFiles = keyFiles(session.getRepositorySession());
    if (current == null || !keyFiles.claimWarmUp()) {
      return;
    }
    try (LaterGoals later = LaterGoals.of(session, current, lifecycle, pluginManager, "sign"::equals)) {
      for (LaterGoals.Goal g : later.goals()) {
        if (g.mojo() instanceof SignMojo sign && sign.warmUpKey(keyFiles)) {
          log.debug("Decrypting the sign goal's key file in the background (imagegate.sign.warmUp).");
          return;
        }
      }
    } catch (Exception e) {
      log.debug("The sign goal's key is not decrypted ahead: " + e.getMessage());
    }
  }
}
