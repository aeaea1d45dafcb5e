package dev.imagegate.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.ImagegateException;
import dev.imagegate.WarningsReporter;
import dev.imagegate.ServerSettings;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.oci.OciManifest;
import dev.imagegate.registry.RegistryException;
import dev.imagegate.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PushRun's refusals and its order (checks before any registry is asked anything), without Maven and without a registry. */
class PushRunTest {
  private static final String SHA = "c".repeat(40);
  /** Nothing listens on port 9 of loopback (discard): a registry that is asked anything fails the test's assertions. */
  private static final RegistryAuth.Target UNREACHABLE = new RegistryAuth.Target("127.0.0.1:9", null, null, null, "anonymous", null, null);

  @TempDir Path out;

  private final WarningsReporter reporter = new WarningsReporter();
  private final List<String> warnings = reporter.warnings();

  private void image(boolean dirty) throws Exception {
    new ImageDescriptor(1, "myapp", "sha-" + SHA, "sha256:" + "b".repeat(64), OciManifest.OCI_MANIFEST, "sha256:" + "d".repeat(64),
        "image.tar", new ImageDescriptor.BaseImage("r/base:1@sha256:" + "e".repeat(64), "sha256:" + "e".repeat(64)),
        List.of(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "f".repeat(64), 42)),
        "65532", "2026-03-01T12:00:00Z", SHA, dirty, "0.1.0").write(out);
  }

  private PushRun.Request request(List<RegistryAuth.Target> targets, List<String> tags, boolean allowMutable, boolean checkLaterGoals,
      PushRun.LaterGoals laterGoals, RegistryAuth auth) {
    return new PushRun.Request(out, targets, tags, allowMutable, false, PushRun.EcrRepositories.DEFAULTS, 1,
        RegistryOptions.DEFAULTS.withAllowInsecure(true), auth, checkLaterGoals, laterGoals);
  }

  private static RegistryAuth anonymous() {
    return RegistryAuth.of(ServerSettings.NONE, Map.of(), null);
  }

  @Test
  void anImageFromADirtyTreeIsRefusedBeforeAnythingElse() throws Exception {
    image(true);
    List<String> asked = new ArrayList<>();
    RegistryException e = assertThrows(RegistryException.class, () -> PushRun.execute(
        request(List.of(UNREACHABLE), List.of(), false, true, (i, r) -> asked.add("later goals"), anonymous()), reporter));
    assertTrue(e.getMessage().contains("uncommitted changes"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.push.allowDirty"), e.suggestion());
    assertTrue(asked.isEmpty(), "the later goals are not checked for an image that will not be pushed");
  }

  @Test
  void aMutableTagNeedsTheOptIn() throws Exception {
    image(false);
    RegistryException e = assertThrows(RegistryException.class, () -> PushRun.execute(
        request(List.of(UNREACHABLE), List.of("latest"), false, true, PushRun.LaterGoals.NONE, anonymous()), reporter));
    assertTrue(e.getMessage().contains("Tag 'latest' is mutable"), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate.push.allowMutableTags"), e.suggestion());
  }

  @Test
  void noTargetsSaysWhatToConfigure() throws Exception {
    image(false);
    RegistryException e = assertThrows(RegistryException.class, () -> PushRun.execute(
        request(List.of(), List.of(), false, true, PushRun.LaterGoals.NONE, anonymous()), reporter));
    assertEquals("No push targets are configured.", e.getMessage());
    assertTrue(e.suggestion().contains("<repository>myapp</repository>"), e.suggestion());
  }

  @Test
  void theLaterGoalsAreCheckedBeforeAnyRegistryIsAsked() throws Exception {
    image(false);
    ImagegateException failing = new ImagegateException("the audit bucket does not exist", "create it");
    List<ImageDescriptor> checked = new ArrayList<>();
    ImagegateException e = assertThrows(ImagegateException.class, () -> PushRun.execute(
        request(List.of(UNREACHABLE), List.of(), false, true, (image, r) -> {
          checked.add(image);
          throw failing;
        }, anonymous()), reporter));
    assertSame(failing, e, "the later goals' failure, not a connection failure to the target");
    assertEquals(1, checked.size());
    assertEquals("sha256:" + "b".repeat(64), checked.get(0).digest(), "the check is given the image about to be pushed");
    assertFalse(Files.exists(out.resolve("push.json")));
  }

  @Test
  void turningTheCheckOffIsLoggedAndSkipsIt() throws Exception {
    image(false);
    List<String> asked = new ArrayList<>();
    // an unknown <auth> fails while the targets are resolved, before any registry is asked anything
    RegistryAuth.Target bogus = new RegistryAuth.Target("127.0.0.1:9", null, null, null, "bogus", null, null);
    RegistryException e = assertThrows(RegistryException.class, () -> PushRun.execute(
        request(List.of(bogus), List.of(), false, false, (i, r) -> asked.add("later goals"), anonymous()), reporter));
    assertTrue(e.getMessage().contains("Unknown <auth> 'bogus' for target 127.0.0.1:9/myapp"), e.getMessage());
    assertTrue(asked.isEmpty());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("imagegate.push.checkLaterGoals=false"), warnings.get(0));
  }
}
