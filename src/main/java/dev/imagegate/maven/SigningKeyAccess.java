package dev.imagegate.maven;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSettings;
import dev.imagegate.sign.Signers;
import dev.imagegate.sign.SigningException;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The key password (environment variable or settings.xml server) and AWS access (for a KMS key and ECR tokens), resolved on demand. */
final class SigningKeyAccess implements Signers.Access {
  private final String passwordEnv;
  private final String passwordServerId;
  private final Settings settings;
  private final SettingsDecrypter decrypter;
  private final AwsSettings aws;
  private final Reporter reporter;
  private AwsAccess resolved;

  SigningKeyAccess(String passwordEnv, String passwordServerId, Settings settings, SettingsDecrypter decrypter, AwsSettings aws, Reporter reporter) {
    this.passwordEnv = passwordEnv;
    this.passwordServerId = passwordServerId;
    this.settings = settings;
    this.decrypter = decrypter;
    this.aws = aws;
    this.reporter = reporter;
  }

  @Override
  public char[] keyPassword() throws SigningException {
    if (passwordServerId != null && !passwordServerId.isBlank()) {
      Server server = settings == null ? null : settings.getServer(passwordServerId);
      if (server == null) {
        throw new SigningException(
            "No <server> with id '" + passwordServerId + "' in settings.xml for the signing key password.",
            "Add <server><id>" + passwordServerId + "</id><password>…</password></server> to settings.xml, or unset imagegate.sign.passwordServerId.");
      }
      if (decrypter != null) {
        server = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server)).getServer();
      }
      return server.getPassword() == null ? new char[0] : server.getPassword().toCharArray();
    }
    String value = System.getenv(passwordEnv == null || passwordEnv.isBlank() ? "COSIGN_PASSWORD" : passwordEnv);
    return value == null ? new char[0] : value.toCharArray();
  }

  @Override
  public AwsCredentialsProvider awsCredentials() throws ImagegateException {
    return awsAccess().credentialsProvider();
  }

  /** AWS access, resolved once for the goal (shared by the KMS key and ECR registry tokens). */
  synchronized AwsAccess awsAccess() throws ImagegateException {
    if (resolved == null) {
      resolved = AwsAccess.resolve(aws, reporter);
    }
    return resolved;
  }

  static Optional<String> blank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
