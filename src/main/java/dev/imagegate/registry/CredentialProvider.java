package dev.imagegate.registry;

import java.util.Optional;

/**
 * Where credentials for a registry host come from (settings.xml servers, environment, ECR tokens…).
 * Implementations never log what they return.
 */
@FunctionalInterface
public interface CredentialProvider {

  /** No credentials for any registry (anonymous access, or another mechanism such as Docker config). */
  CredentialProvider NONE = host -> Optional.empty();

  /**
   * @param registryHost the registry host as written in an image reference, with port, e.g. {@code 127.0.0.1:5000}
   */
  Optional<Credential> forRegistry(String registryHost);
}
