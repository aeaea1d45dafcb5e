package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.image.ImageBuilder;
import dev.imagegate.registry.PushRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handover files: every one is known, refused when about another image, and removed before a new image. */
class HandoverFileTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String EARLIER = "sha256:" + "b".repeat(64);

  @TempDir Path out;

  @Test
  void everyFileAGoalWritesIsKnown() {
    List<String> names = java.util.Arrays.stream(HandoverFile.values()).map(HandoverFile::fileName).toList();
    assertEquals(List.of("image.json", ImageBuilder.ARCHIVE_NAME, "scan.json", "scan.sarif", "sbom.cdx.json", "push.json", "sign.json",
        "kyverno-policy.yaml", "audit.json", "gitops.json"), names);
  }

  @Test
  void aFileOfAnotherImageIsRefusedNamingBothDigestsAndTheGoalToRerun() throws Exception {
    new PushRecord(1, EARLIER, "sha-x", null, null, "anonymous", List.of(new PushRecord.Target("r", "app", null, false, "r/app@" + EARLIER, List.of(), 0, 0))).write(out);
    HandoverException e = assertThrows(HandoverException.class, () -> PushRecord.read(out, DIGEST));
    assertEquals(out.resolve("push.json") + " is about image " + EARLIER + ", but this build's image is " + DIGEST
        + ": it was left by an earlier image and says nothing about this one.", e.getMessage());
    assertEquals("Run imagegate:push again for this image (mvn deploy), or start over with mvn clean deploy.", e.suggestion());
    assertEquals(EARLIER, PushRecord.read(out, EARLIER).digest());
  }

  @Test
  void aMissingFileNamesTheGoalThatWritesIt() {
    HandoverException e = assertThrows(HandoverException.class, () -> PushRecord.read(out, DIGEST));
    assertTrue(e.getMessage().startsWith("Nothing has been pushed: "), e.getMessage());
    assertTrue(e.suggestion().contains("imagegate:push") && e.suggestion().contains("imagegate.outputDirectory"), e.suggestion());
  }

  @Test
  void aFileWithoutADigestIsRefused() throws Exception {
    Files.writeString(out.resolve("scan.json"), "{\"schemaVersion\":1}");
    HandoverException e = assertThrows(HandoverException.class, () -> dev.imagegate.scan.report.ScanReport.read(out, DIGEST));
    assertTrue(e.getMessage().contains("names no image digest"), e.getMessage());
  }

  @Test
  void buildRemovesEveryFileAnEarlierImageLeft() throws Exception {
    for (HandoverFile f : HandoverFile.values()) {
      Files.writeString(f.in(out), "{}");
    }
    Files.writeString(out.resolve("unrelated.txt"), "kept");
    List<HandoverFile> removed = HandoverFile.IMAGE.removeFromHereOn(out);
    assertEquals(List.of(HandoverFile.values()), removed);
    for (HandoverFile f : HandoverFile.values()) {
      assertFalse(Files.exists(f.in(out)), f.fileName());
    }
    assertTrue(Files.exists(out.resolve("unrelated.txt")));
  }
}
