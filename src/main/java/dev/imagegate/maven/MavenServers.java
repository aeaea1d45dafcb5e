package dev.imagegate.maven;

import dev.imagegate.ServerSettings;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * The {@code settings.xml} servers, decrypted by Maven, as the core sees them ({@link ServerSettings}): the one place
 * every goal that needs a registry password, a Git token, an SSH key or a key password gets it from (like Jib's
 * {@code MavenSettingsServerCredentials}). A JSR-330 component, injected into the mojos.
 */
@Named
@Singleton
public class MavenServers {
  private final SettingsDecrypter decrypter;

  @Inject
  public MavenServers(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  /** The servers of {@code settings} (the build's {@code ${settings}}); none when there are no settings. */
  public ServerSettings of(Settings settings) {
    return id -> find(settings, id);
  }

  private Optional<ServerSettings.Server> find(Settings settings, String id) {
    if (settings == null || id == null) {
      return Optional.empty();
    }
    Server server = settings.getServer(id);
    if (server == null) {
      return Optional.empty();
    }
    if (decrypter != null) {
      SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : result.getProblems()) {
        if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
          throw new IllegalStateException("Cannot decrypt the password of server '" + id + "' in settings.xml: " + problem.getMessage());
        }
      }
      server = result.getServer();
    }
    return Optional.of(new ServerSettings.Server(id, server.getUsername(), server.getPassword(), server.getPrivateKey(), server.getPassphrase()));
  }
}
