package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.Reporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.registry.Credential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The values-file selection and the credential lookup of gitops-update, without Maven. */
class GitopsRunConfigTest {
  private static final Path BASE = Path.of("/work/project");
  private static final String TEMPLATE = "apps/myapp/values-{environment}.yaml";

  private static ValuesFileSelection template(String... environments) {
    return new ValuesFileSelection(List.of(environments), TEMPLATE, "image.tag", Optional.of("image.repository"), Optional.empty(), List.of());
  }

  @Test
  void oneFilePerEnvironmentFromTheTemplate() throws Exception {
    List<ValuesFile> files = template("dev, staging", "production").select();
    assertEquals(List.of("apps/myapp/values-dev.yaml", "apps/myapp/values-staging.yaml", "apps/myapp/values-production.yaml"),
        files.stream().map(ValuesFile::path).toList());
    assertEquals(YamlPath.parse("image.repository"), files.get(0).repositoryPath().orElseThrow());
    assertTrue(files.get(0).digestPath().isEmpty());
  }

  @Test
  void explicitFilesOfOtherEnvironmentsAreLeftOut() throws Exception {
    ValuesFileSelection s = new ValuesFileSelection(List.of("production"), TEMPLATE, "image.tag", Optional.empty(), Optional.empty(), List.of(
        new ValuesFileSelection.Explicit("dev/values.yaml", null, null, null, "dev"),
        new ValuesFileSelection.Explicit(" prod/values.yaml ", "app.image.tag", null, "app.image.digest", "production"),
        new ValuesFileSelection.Explicit("shared/values.yaml", "", "", "", "")));
    List<ValuesFile> files = s.select();
    assertEquals(List.of("prod/values.yaml", "shared/values.yaml"), files.stream().map(ValuesFile::path).toList());
    assertEquals(YamlPath.parse("app.image.tag"), files.get(0).tagPath());
    assertEquals(YamlPath.parse("app.image.digest"), files.get(0).digestPath().orElseThrow());
    assertEquals(YamlPath.parse(ValuesFileSelection.DEFAULT_TAG_PATH), files.get(1).tagPath());
  }

  @Test
  void nothingToUpdateIsAFailureThatSaysWhy() {
    GitopsException none = assertThrows(GitopsException.class, () -> template(" ", "").select());
    assertTrue(none.getMessage().contains("imagegate.gitops.environments is empty"), none.getMessage());
    ValuesFileSelection onlyDev = new ValuesFileSelection(List.of("production"), TEMPLATE, "image.tag", Optional.empty(), Optional.empty(),
        List.of(new ValuesFileSelection.Explicit("dev/values.yaml", null, null, null, "dev")));
    GitopsException left = assertThrows(GitopsException.class, onlyDev::select);
    assertTrue(left.getMessage().contains("None of the configured <gitopsFiles> belongs to the environments [production]"), left.getMessage());
    ValuesFileSelection escape = new ValuesFileSelection(List.of("dev"), "../{environment}.yaml", "image.tag", Optional.empty(), Optional.empty(), List.of());
    GitopsException bad = assertThrows(GitopsException.class, escape::select);
    assertTrue(bad.getMessage().startsWith("Invalid values file configuration"), bad.getMessage());
    ValuesFileSelection noPath = new ValuesFileSelection(List.of("dev"), TEMPLATE, "image.tag", Optional.empty(), Optional.empty(),
        List.of(new ValuesFileSelection.Explicit(" ", null, null, null, null)));
    assertTrue(assertThrows(GitopsException.class, noPath::select).getMessage().contains("has no <path>"));
  }

  private static GitopsCredentials credentials(String serverId) {
    return new GitopsCredentials(serverId, "GITOPS_TOKEN", "x-access-token", null, null, null, null, true);
  }

  private static ServerSettings servers(ServerSettings.Server... servers) {
    return id -> java.util.Arrays.stream(servers).filter(s -> s.id().equals(id)).findFirst();
  }

  @Test
  void httpsCredentialsComeFromTheServerElseTheTokenVariable() throws Exception {
    ServerSettings settings = servers(new ServerSettings.Server("gitops", "bot", "s3cret", null, null));
    assertEquals(Optional.of(new Credential("bot", "s3cret")), credentials("gitops").https(settings, Map.of("GITOPS_TOKEN", "ignored"), Reporter.SILENT));
    assertEquals(Optional.of(new Credential("x-access-token", "tok")), credentials(null).https(settings, Map.of("GITOPS_TOKEN", " tok "), Reporter.SILENT));
    assertEquals(Optional.empty(), credentials(" ").https(settings, Map.of(), Reporter.SILENT));
    GitopsException missing = assertThrows(GitopsException.class, () -> credentials("other").https(settings, Map.of(), Reporter.SILENT));
    assertTrue(missing.getMessage().contains("no <server> with id 'other'"), missing.getMessage());
    assertTrue(missing.suggestion().contains("$GITOPS_TOKEN"), missing.suggestion());
    ServerSettings undecryptable = id -> {
      throw new IllegalStateException("Cannot decrypt the password of server 'gitops' in settings.xml: bad master password");
    };
    GitopsException e = assertThrows(GitopsException.class, () -> credentials("gitops").https(undecryptable, Map.of(), Reporter.SILENT));
    assertTrue(e.getMessage().contains("Cannot decrypt"), e.getMessage());
  }

  @Test
  void theSshKeyComesFromTheFileElseTheVariableElseTheServer() throws Exception {
    ServerSettings settings = servers(new ServerSettings.Server("gitops", null, null, "keys/deploy", "server-pass"));
    Map<String, String> env = Map.of(GitopsCredentials.DEFAULT_SSH_KEY_ENV, "-----BEGIN OPENSSH PRIVATE KEY-----",
        GitopsCredentials.DEFAULT_SSH_PASSPHRASE_ENV, "env-pass");
    GitopsCredentials withFile = new GitopsCredentials("gitops", null, null, "ci/key", null, null, "hosts", false);
    SshOptions file = withFile.ssh(settings, env, BASE);
    assertEquals(Optional.of(BASE.resolve("ci/key")), file.keyFile());
    assertTrue(file.keyText().isEmpty());
    assertEquals(Optional.of("server-pass"), file.passphrase(), "the server's passphrase wins over the variable");
    assertEquals(BASE.resolve("hosts"), file.knownHosts());
    assertFalse(file.strictHostKeyChecking());

    SshOptions text = credentials("gitops").ssh(settings, env, BASE);
    assertTrue(text.keyFile().isEmpty());
    assertTrue(text.keyText().isPresent());
    assertEquals("$" + GitopsCredentials.DEFAULT_SSH_KEY_ENV + " (imagegate.gitops.sshKeyEnv)", text.keySource());

    SshOptions server = credentials("gitops").ssh(settings, Map.of(GitopsCredentials.DEFAULT_SSH_PASSPHRASE_ENV, "env-pass"), BASE);
    assertEquals(Optional.of(BASE.resolve("keys/deploy")), server.keyFile());
    assertTrue(server.passphraseSource().contains("settings.xml server gitops"), server.passphraseSource());

    SshOptions none = credentials(null).ssh(ServerSettings.NONE, Map.of(GitopsCredentials.DEFAULT_SSH_PASSPHRASE_ENV, "env-pass"), BASE);
    assertTrue(none.keyFile().isEmpty() && none.keyText().isEmpty(), "~/.ssh/id_* then");
    assertEquals(Optional.of("env-pass"), none.passphrase());
    assertEquals(SshOptions.defaultKnownHosts(), none.knownHosts());
    assertFalse(none.toString().contains("env-pass"));

    GitopsException missing = assertThrows(GitopsException.class, () -> credentials("nope").ssh(settings, env, BASE));
    assertTrue(missing.getMessage().contains("no <server> with id 'nope' for the GitOps repository's SSH key"), missing.getMessage());
  }
}
