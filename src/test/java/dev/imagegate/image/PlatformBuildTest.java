package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.json.UnlistedPlatformInManifestListException;
import dev.imagegate.oci.Platform;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the build says when the base image cannot give a platform of {@code <platforms>}. */
class PlatformBuildTest {
  private static final String BASE = "127.0.0.1:5000/imagegate/java-base@sha256:" + "5a".repeat(32);

  @Test
  void aPlatformTheBaseIndexDoesNotListIsRefusedNamingItAndTheFix() throws Exception {
    // the exception jib-core 0.28 throws (its own message) when the base's manifest list has no such platform
    var jib = new UnlistedPlatformInManifestListException("Unable to find a manifest for platform: The base image " + BASE
        + " is a manifest list, but the list does not contain an image for architecture=s390x, os=linux. If your intention"
        + " was to specify a platform for your image, see https://github.com/GoogleContainerTools/jib/blob/master/docs/faq.md");
    BuildException e = ImageBuilder.translate(BASE, Path.of("cache"), ImageReference.parse(BASE), false, Platform.parse("linux/s390x"), jib);
    assertTrue(e.getMessage().contains("The base image " + BASE + " has no linux/s390x image"), e.getMessage());
    assertTrue(e.suggestion().contains("skopeo inspect --raw docker://" + BASE), e.suggestion());
    assertTrue(e.suggestion().contains("leave linux/s390x out of <platforms> (imagegate.build.platforms)"), e.suggestion());
    assertFalse(e.suggestion().contains("Check that the reference"), "the reference exists: " + e.suggestion());
  }

  @Test
  void aVariantIsRefusedBeforeBuildingAsJibChoosesBaseImagesByOsAndArchitectureOnly() {
    BuildException e = assertThrows(BuildException.class, () -> ImageBuilder.checkPlatforms(Platform.parseList("linux/amd64,linux/arm64/v8")));
    assertTrue(e.getMessage().contains("linux/arm64/v8"), e.getMessage());
    assertTrue(e.suggestion().contains("linux/arm64"), e.suggestion());
    assertDoesNotThrow(() -> ImageBuilder.checkPlatforms(Platform.parseList("linux/amd64,linux/arm64")));
  }
}
