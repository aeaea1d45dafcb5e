package dev.imagegate.maven;

import dev.imagegate.aws.AwsSessionCache;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.SessionData;

/**
 * Keeps the AWS web-identity sessions of one Maven build ({@link AwsSessionCache}) in that build's session data: every
 * goal of the build (push, sign, audit, in every module) shares them, and they go when the build ends, so that a
 * long-lived JVM (mvnd) running many builds neither shares credentials between them nor grows with them.
 */
final class AwsSessionScope {
  /** Per plugin class loader: two realms of the plugin never see each other's class. */
  private static final Object KEY = AwsSessionCache.class;

  private AwsSessionScope() {}

  /** The cache of the build {@code session} belongs to; a fresh one (kept by nobody) without a session. */
  static AwsSessionCache of(RepositorySystemSession session) {
    if (session == null || session.getData() == null) {
      return new AwsSessionCache();
    }
    SessionData data = session.getData();
    Object cache = data.get(KEY);
    while (!(cache instanceof AwsSessionCache)) {
      // set(key, old, new) is atomic: two modules starting at once in a parallel build agree on one cache
      data.set(KEY, cache, new AwsSessionCache());
      cache = data.get(KEY);
    }
    return (AwsSessionCache) cache;
  }
}
