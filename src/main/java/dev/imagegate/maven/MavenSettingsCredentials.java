package dev.imagegate.maven;

import dev.imagegate.registry.Credential;
import dev.imagegate.registry.CredentialProvider;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Registry credentials from {@code settings.xml}: the {@code <server>} whose id is the registry host
 * (e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com} or {@code 127.0.0.1:5000}), decrypted by Maven.
 */
final class MavenSettingsCredentials implements CredentialProvider {
  private final Settings settings;
  private final SettingsDecrypter decrypter;

  MavenSettingsCredentials(Settings settings, SettingsDecrypter decrypter) {
    this.settings = settings;
    this.decrypter = decrypter;
  }

  @Override
  public Optional<Credential> forRegistry(String registryHost) {
    if (settings == null) {
      return Optional.empty();
    }
    Server server = settings.getServer(registryHost);
    if (server == null || server.getUsername() == null) {
      return Optional.empty();
    }
    if (decrypter != null) {
      SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : result.getProblems()) {
        if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
          throw new IllegalStateException(
              "Cannot decrypt the password of server '" + registryHost + "' in settings.xml: " + problem.getMessage());
        }
      }
      server = result.getServer();
    }
    return Optional.of(new Credential(server.getUsername(), server.getPassword() == null ? "" : server.getPassword()));
  }
}
