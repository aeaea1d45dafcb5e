package dev.imagegate.scan.version;

import java.util.Comparator;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven's version ordering (OSV ecosystem {@code Maven}), as maven-artifact's {@code ComparableVersion} defines it.
 *
 * <p>The one class of the core that imports a Maven type (the architecture rule names it): maven-artifact is a plain
 * library without the Maven runtime, and its ordering is by definition what OSV's Maven ranges mean, so it is used
 * rather than copied. The rest of the core sees only {@link VersionScheme#MAVEN}.
 */
final class MavenVersionOrder implements Comparator<String> {
  static final Comparator<String> ORDER = new MavenVersionOrder();

  private MavenVersionOrder() {}

  @Override
  public int compare(String a, String b) {
    return new ComparableVersion(a).compareTo(new ComparableVersion(b));
  }
}
