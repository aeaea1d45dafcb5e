package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.HandoverException;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.oci.OciManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDescriptorTest {
  @TempDir Path dir;

  @Test
  void roundTripsThroughImageJson() throws Exception {
    String digest = "sha256:" + "b".repeat(64);
    ImageDescriptor d =
        new ImageDescriptor(
            1, "myapp", "sha-" + "c".repeat(40), digest, OciManifest.OCI_MANIFEST, "sha256:" + "d".repeat(64),
            "image.tar", new ImageDescriptor.BaseImage("r/base:1@sha256:" + "e".repeat(64), "sha256:" + "e".repeat(64)),
            List.of(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "f".repeat(64), 42)),
            "65532", "2026-03-01T12:00:00Z", "c".repeat(40), true, "0.1.0");
    d.write(dir);
    assertEquals(d, ImageDescriptor.read(dir));
    String json = Files.readString(dir.resolve("image.json"));
    assertTrue(json.contains("\"dirty\" : true"), json);
    assertEquals(dir.resolve("image.tar"), d.archivePath(dir));
  }

  @Test
  void aMissingImageJsonNamesTheGoalToRun() {
    HandoverException e = assertThrows(HandoverException.class, () -> ImageDescriptor.read(dir));
    assertTrue(e.getMessage().contains("No image has been built"), e.getMessage());
    assertTrue(e.suggestion().contains("mvn package"), e.suggestion());
  }

  @Test
  void aCorruptImageJsonIsRefused() throws Exception {
    Files.writeString(dir.resolve("image.json"), "{\"digest\":\"md5:x\"}");
    assertThrows(HandoverException.class, () -> ImageDescriptor.read(dir));
  }
}
