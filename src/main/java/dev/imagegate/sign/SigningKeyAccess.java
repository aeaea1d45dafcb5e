package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.AwsSettings;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The key password (a settings server's password, else an environment variable) and AWS access (for a KMS key and ECR
 * tokens), resolved on demand and once per goal.
 */
public final class SigningKeyAccess implements Signers.Access {
  /** The environment variable of the cosign key password when none is configured. */
  public static final String DEFAULT_PASSWORD_ENV = "COSIGN_PASSWORD";

  private final String passwordEnv;
  private final String passwordServerId;
  private final ServerSettings servers;
  private final Map<String, String> environment;
  private final AwsSettings aws;
  private final Reporter reporter;
  private final KeyFileCache keyFiles;
  private AwsAccess resolved;

  /**
   * @param passwordEnv the environment variable holding the key password; blank: {@value #DEFAULT_PASSWORD_ENV}
   * @param passwordServerId the settings server whose password is the key password (wins over {@code passwordEnv})
   * @param environment the process environment
   */
  public SigningKeyAccess(String passwordEnv, String passwordServerId, ServerSettings servers, Map<String, String> environment, AwsSettings aws,
      Reporter reporter) {
    this(passwordEnv, passwordServerId, servers, environment, aws, reporter, KeyFileCache.NONE);
  }

  /** @param keyFiles the build's decrypted key files, shared by its goals */
  public SigningKeyAccess(String passwordEnv, String passwordServerId, ServerSettings servers, Map<String, String> environment, AwsSettings aws,
      Reporter reporter, KeyFileCache keyFiles) {
    this.keyFiles = keyFiles == null ? KeyFileCache.NONE : keyFiles;
    this.passwordEnv = passwordEnv;
    this.passwordServerId = passwordServerId;
    this.servers = servers == null ? ServerSettings.NONE : servers;
    this.environment = environment;
    this.aws = aws;
    this.reporter = reporter;
  }

  /** Access for a goal that needs no key password (verify-signature, the GitOps signature gate): AWS only. */
  public static SigningKeyAccess awsOnly(AwsSettings aws, Reporter reporter) {
    return new SigningKeyAccess(null, null, ServerSettings.NONE, Map.of(), aws, reporter);
  }

  @Override
  public char[] keyPassword() throws SigningException {
    if (passwordServerId != null && !passwordServerId.isBlank()) {
      Optional<ServerSettings.Server> server = servers.server(passwordServerId);
      if (server.isEmpty()) {
        throw new SigningException(
            "No <server> with id '" + passwordServerId + "' in settings.xml for the signing key password.",
            "Add <server><id>" + passwordServerId + "</id><password>…</password></server> to settings.xml, or unset imagegate.sign.passwordServerId.");
      }
      String password = server.get().password();
      return password == null ? new char[0] : password.toCharArray();
    }
    String value = environment.get(passwordEnv == null || passwordEnv.isBlank() ? DEFAULT_PASSWORD_ENV : passwordEnv);
    return value == null ? new char[0] : value.toCharArray();
  }

  @Override
  public KeyFileCache keyFiles() {
    return keyFiles;
  }

  @Override
  public AwsCredentialsProvider awsCredentials() throws ImagegateException {
    return awsAccess().credentialsProvider();
  }

  /** AWS access, resolved once for the goal (shared by the KMS key and ECR registry tokens). */
  public synchronized AwsAccess awsAccess() throws ImagegateException {
    if (resolved == null) {
      resolved = AwsAccess.resolve(aws, reporter);
    }
    return resolved;
  }
}
