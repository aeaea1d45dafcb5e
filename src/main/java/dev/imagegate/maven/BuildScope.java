package dev.imagegate.maven;

import java.util.function.Supplier;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.SessionData;

/**
 * Keeps what the goals of one Maven build share in that build's session data: the AWS web-identity sessions
 * ({@code AwsSessionCache}), the decrypted key files ({@code KeyFileCache}). Every goal of the build (push, sign,
 * audit, in every module) shares them, and they go when the build ends, so that a long-lived JVM (mvnd) running many
 * builds neither shares credentials or keys between them nor grows with them.
 */
final class BuildScope {
  private BuildScope() {}

  /**
   * The build's {@code type}, made by {@code fresh} at its first use; without a session a fresh one, kept by nobody.
   * The key is the class: two realms of the plugin in one build never see each other's.
   */
  static <T> T of(RepositorySystemSession session, Class<T> type, Supplier<T> fresh) {
    if (session == null || session.getData() == null) {
      return fresh.get();
    }
    SessionData data = session.getData();
    Object value = data.get(type);
    while (!type.isInstance(value)) {
      // set(key, old, new) is atomic: two modules starting at once in a parallel build agree on one
      data.set(type, value, fresh.get());
      value = data.get(type);
    }
    return type.cast(value);
  }
}
