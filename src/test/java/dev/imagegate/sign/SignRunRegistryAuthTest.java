package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.HandoverException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.AwsException;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.registry.CredentialProvider;
import dev.imagegate.registry.PushRecord;
import dev.imagegate.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SignRun} resolves the registries' credentials (for ECR: AWS access, a token per region, the tag policy) on
 * another thread while it reads the SBOM and the scan result, and stays fail-closed: a failure on either side fails
 * the goal before anything is written, the handover file's own failure first (as before), and no resolution is left
 * running against AWS when the goal returns (the caller closes the AWS clients next).
 */
class SignRunRegistryAuthTest {
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String EARLIER = "sha256:" + "b".repeat(64);
  static final String ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

  @TempDir Path dir;

  private Path handover() throws Exception {
    Path out = Files.createDirectories(dir.resolve("imagegate"));
    new ImageDescriptor(1, "myapp", "sha-" + SHA, DIGEST, "application/vnd.oci.image.manifest.v1+json", "sha256:" + "c".repeat(64),
        "image.tar", null, List.of(), "65532", "2026-03-01T12:00:00Z", SHA, false, "test").write(out);
    new PushRecord(1, DIGEST, "sha-" + SHA, SHA, "2026-03-01T12:05:00Z", "anonymous", List.of(
        new PushRecord.Target(ECR_HOST, "myapp", "us-east-1", true, ECR_HOST + "/myapp@" + DIGEST, List.of("sha-" + SHA), 0, 0))).write(out);
    return out;
  }

  private Signer signer() throws Exception {
    return Tools.jdkKeySigner(dir);
  }

  @Test
  void aRefusedScanFailsWithItsOwnMessageAndNoResolutionIsLeftRunning() throws Exception {
    Path out = handover();
    Files.writeString(out.resolve("scan.json"), "{\"schemaVersion\":1,\"digest\":\"" + EARLIER + "\",\"scannedAt\":\"2026-03-01T12:02:00Z\",\"findings\":[]}");
    CountDownLatch sbomLooked = new CountDownLatch(1);
    AtomicReference<Thread> resolver = new AtomicReference<>();
    Reporter reporter = new Reporter() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {
        if (message.startsWith("No SBOM at ")) {
          sbomLooked.countDown();
        }
      }
    };
    RegistryAuth.EcrOpener opener = () -> {
      resolver.set(Thread.currentThread());
      try {
        // still resolving while the other thread reads the handover files, and for a while after they failed
        assertTrue(sbomLooked.await(60, TimeUnit.SECONDS), "the SBOM was read while the credentials were being resolved");
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new AwsException("no AWS here", "none");
    };
    try (RegistryAuth auth = new RegistryAuth(CredentialProvider.NONE, CredentialProvider.NONE, opener)) {
      SignRun.Request request = new SignRun.Request(out, signer(), auth, RegistryOptions.DEFAULTS, Map.of(), true, true, "test", "p");
      HandoverException e = assertThrows(HandoverException.class, () -> SignRun.execute(request, reporter));
      assertTrue(e.getMessage().contains("is about image " + EARLIER), e.getMessage());
      // before closing the RegistryAuth (whose close waits for an ECR access still being opened)
      assertNotSame(Thread.currentThread(), resolver.get(), "the credentials are resolved on another thread");
      assertFalse(resolver.get().isAlive(), "the goal returned while its credential resolution was still running");
    }
    assertFalse(Files.exists(out.resolve("sign.json")));
  }

  @Test
  void aCredentialFailureFailsTheGoalBeforeAnythingIsWritten() throws Exception {
    Path out = handover();
    try (RegistryAuth auth = new RegistryAuth(CredentialProvider.NONE, CredentialProvider.NONE, () -> {
      throw new AwsException("No AWS credentials for the ECR token.", "Configure AWS access.");
    })) {
      SignRun.Request request = new SignRun.Request(out, signer(), auth, RegistryOptions.DEFAULTS, Map.of(), false, false, "test", "p");
      AwsException e = assertThrows(AwsException.class, () -> SignRun.execute(request, Reporter.SILENT));
      assertEquals("No AWS credentials for the ECR token.", e.getMessage());
    }
    assertFalse(Files.exists(out.resolve("sign.json")));
    assertFalse(Files.exists(out.resolve("kyverno-policy.yaml")));
  }
}
