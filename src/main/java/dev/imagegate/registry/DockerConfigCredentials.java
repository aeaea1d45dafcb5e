package dev.imagegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Credentials from the Docker config ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}):
 * {@code credHelpers.<host>}, then {@code credsStore}, through {@code docker-credential-<helper> get}; then
 * {@code auths.<host>.auth} (base64 user:password) or {@code identitytoken}.
 */
public final class DockerConfigCredentials implements CredentialProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path configFile;
  private final Map<String, String> environment;

  /** A config file, with credential helpers looked up on this process's {@code PATH}. */
  public DockerConfigCredentials(Path configFile) {
    this(configFile, System.getenv());
  }

  /**
   * A config file, with credential helpers ({@code docker-credential-<name>}) looked up on the {@code PATH} of
   * {@code environment}, which is also the helpers' environment.
   */
  public DockerConfigCredentials(Path configFile, Map<String, String> environment) {
    this.configFile = configFile;
    this.environment = Map.copyOf(environment);
  }

  /** The config file the Docker CLI would read in this environment. */
  public static DockerConfigCredentials fromEnvironment(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    Path base = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
    return new DockerConfigCredentials(base.resolve("config.json"), env);
  }

  @Override
  public Optional<Credential> forRegistry(String registryHost) {
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    JsonNode config;
    try {
      config = JSON.readTree(configFile.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the Docker config " + configFile + ": " + e.getMessage(), e);
    }
    String helper = config.path("credHelpers").path(registryHost).asText("");
    if (helper.isEmpty()) {
      helper = config.path("credsStore").asText("");
    }
    if (!helper.isEmpty()) {
      Optional<Credential> c = fromHelper(helper, registryHost);
      if (c.isPresent()) {
        return c;
      }
    }
    JsonNode auths = config.path("auths");
    for (String key : new String[] {registryHost, "https://" + registryHost, "http://" + registryHost, "https://" + registryHost + "/v1/"}) {
      JsonNode entry = auths.path(key);
      if (entry.isMissingNode()) {
        continue;
      }
      String auth = entry.path("auth").asText("");
      if (!auth.isEmpty()) {
        String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon > 0) {
          return Optional.of(new Credential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
      }
      String identity = entry.path("identitytoken").asText("");
      if (!identity.isEmpty()) {
        return Optional.of(new Credential("<token>", identity));
      }
    }
    return Optional.empty();
  }

  /** {@code docker-credential-<helper>} on the environment's PATH (as the Docker CLI finds it), else the bare name. */
  private String helperCommand(String helper) {
    String name = "docker-credential-" + helper;
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return name;
  }

  private Optional<Credential> fromHelper(String helper, String host) {
    try {
      ProcessBuilder builder = new ProcessBuilder(helperCommand(helper), "get").redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process p = builder.start();
      p.getOutputStream().write(host.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      if (p.exitValue() != 0) {
        return Optional.empty();
      }
      JsonNode json = JSON.readTree(out);
      String user = json.path("Username").asText("");
      String secret = json.path("Secret").asText("");
      return secret.isEmpty() ? Optional.empty() : Optional.of(new Credential(user.isEmpty() ? "<token>" : user, secret));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
