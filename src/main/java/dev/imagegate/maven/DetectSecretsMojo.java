package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.secrets.SecretsSource;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fails the build when a file git tracks (or an untracked file git does not ignore) contains a secret that the
 * detect-secrets baseline does not accept: AWS keys, private keys, GitHub, Slack and Stripe tokens, JWTs, passwords in
 * URLs, and high-entropy values assigned to secret-sounding names. Each finding is named by file, line and type; the
 * secret itself is never printed. Lines with a {@code pragma: allowlist secret} comment are not reported.
 *
 * <p>Replaces the detect-secrets pre-commit hook and reuses its {@code .secrets.baseline}.
 */
@Mojo(name = "detect-secrets", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class DetectSecretsMojo extends AbstractSecretsMojo {
  private final SigningKeyWarmUp signingKeyWarmUp;

  @Inject
  public DetectSecretsMojo(SigningKeyWarmUp signingKeyWarmUp) {
    this.signingKeyWarmUp = signingKeyWarmUp;
  }

  @Override
  protected SigningKeyWarmUp signingKeyWarmUp() {
    return signingKeyWarmUp;
  }

  /**
   * Write the baseline from this scan instead of failing: every current finding is accepted, audit labels
   * ({@code is_secret}, {@code is_verified}) of entries still found are kept, entries no longer found are dropped.
   * Same as running {@code imagegate:secrets-baseline}.
   */
  @Parameter(property = "imagegate.secrets.updateBaseline", defaultValue = "false")
  private boolean updateBaseline;

  /**
   * What is scanned: {@code worktree} (every file git tracks or would add, as it is in the working tree) or
   * {@code staged} (only the files the next commit changes, as they are in the index: the staged blobs, not the working
   * tree), for a pre-commit hook ({@code .pre-commit-hooks.yaml} at the plugin's repository root).
   */
  @Parameter(property = "imagegate.secrets.mode", defaultValue = "worktree")
  private String mode;

  @Override
  protected SecretsSource source() throws ImagegateException {
    return SecretsSource.parse(mode);
  }

  @Override
  protected boolean writesBaseline() {
    return updateBaseline;
  }

  @Override
  protected String goalName() {
    return "imagegate:detect-secrets";
  }
}
