package dev.imagegate.maven;

import dev.imagegate.Reporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.aws.Ecr;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
import dev.imagegate.sign.SigningKeyAccess;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;

/**
 * What the goals that reach a registry share (push, sign, verify-signature, gitops-update): the {@code settings.xml}
 * servers (through the injected {@link MavenServers}), the registry credentials per target ({@link RegistryAuth}:
 * ECR tokens, settings.xml, Docker config), and {@code allowInsecureRegistries}.
 */
abstract class AbstractRegistryMojo extends AbstractAwsMojo {

  /** Allow registries over plain HTTP (and sending credentials to them). Only for local test registries. */
  @Parameter(property = "imagegate.allowInsecureRegistries", defaultValue = "false")
  protected boolean allowInsecureRegistries;

  @Parameter(defaultValue = "${settings}", readonly = true)
  protected Settings settings;

  private final MavenServers servers;

  protected AbstractRegistryMojo(MavenServers servers) {
    this.servers = servers;
  }

  /** The settings.xml servers, decrypted. */
  protected ServerSettings servers() {
    return servers.of(settings);
  }

  /** The network limits, and plain HTTP when {@code allowInsecureRegistries}. */
  @Override
  protected RegistryOptions registryOptions() throws RegistryException {
    return super.registryOptions().withAllowInsecure(allowInsecureRegistries);
  }

  /** Registry credentials per target; ECR targets use the AWS access of {@code access} (shared with a KMS key). */
  protected RegistryAuth registryAuth(SigningKeyAccess access, Reporter reporter) {
    return RegistryAuth.of(servers(), System.getenv(), () -> new Ecr(access.awsAccess(), reporter));
  }

  /** The KMS region of a key that is not an ARN: {@code kmsRegion} if set, else the AWS region. */
  protected Optional<String> kmsRegion(String kmsRegion) {
    return blank(kmsRegion).or(() -> blank(awsRegion));
  }
}
