package dev.imagegate.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web-identity exchanges (GitHub Actions OIDC or a token file, then STS AssumeRoleWithWebIdentity) already made in
 * one build, by the settings that asked for them. One {@code mvn deploy} runs push, sign and audit with the same
 * settings: they share one STS session (refreshed by its provider before expiry) and one caller identity instead of
 * one OIDC fetch and STS exchange per goal.
 *
 * <p>It lives as long as the build session that holds it ({@link AwsSettings#withSessions}), never longer: a
 * long-lived JVM (a Maven daemon) that runs many builds does not keep their credentials or grow with them.
 */
public final class AwsSessionCache {
  private final Map<AwsSettings, AwsAccess> exchanged = new ConcurrentHashMap<>();

  /** The exchange an earlier goal of this build made with these settings, if any. */
  AwsAccess get(AwsSettings settings) {
    return exchanged.get(settings);
  }

  /** Keeps {@code access} for the next goal with the same settings; the first one kept wins. */
  AwsAccess keep(AwsSettings settings, AwsAccess access) {
    AwsAccess earlier = exchanged.putIfAbsent(settings, access);
    return earlier == null ? access : earlier;
  }

  /** How many exchanges this build has made. */
  public int size() {
    return exchanged.size();
  }

  /** Identity: two builds never share a cache, even when both are empty. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "AwsSessionCache[" + exchanged.size() + " session(s)]";
  }
}
