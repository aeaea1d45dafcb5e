package dev.imagegate.maven;

import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes or updates the detect-secrets baseline ({@code .secrets.baseline}) from a scan of the repository's files, so
 * that {@code imagegate:detect-secrets} accepts what is in it. Audit labels of entries still found are kept; entries
 * whose secret is gone are dropped. Review the result before committing it: every entry is a secret you accept.
 */
@Mojo(name = "secrets-baseline", threadSafe = true)
public class SecretsBaselineMojo extends AbstractSecretsMojo {

  @Override
  protected boolean writesBaseline() {
    return true;
  }

  @Override
  protected String goalName() {
    return "imagegate:secrets-baseline";
  }
}
