package dev.imagegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** jib's JVM-wide switch for credentials over plain HTTP is set only for the one build that needs it. */
class ImageBuilderTest {

  @AfterEach
  void clear() {
    System.clearProperty(ImageBuilder.SEND_CREDENTIALS_OVER_HTTP);
  }

  @Test
  void theSwitchIsOnDuringTheCallAndClearedAfter() throws Exception {
    String during = ImageBuilder.sendingCredentialsOverHttp(() -> System.getProperty(ImageBuilder.SEND_CREDENTIALS_OVER_HTTP));
    assertEquals("true", during);
    assertNull(System.getProperty(ImageBuilder.SEND_CREDENTIALS_OVER_HTTP), "other plugins of the build do not see it");
  }

  @Test
  void aValueFromBeforeIsRestoredEvenWhenTheBuildFails() {
    System.setProperty(ImageBuilder.SEND_CREDENTIALS_OVER_HTTP, "false");
    assertThrows(IOException.class, () -> ImageBuilder.sendingCredentialsOverHttp(() -> {
      assertEquals("true", System.getProperty(ImageBuilder.SEND_CREDENTIALS_OVER_HTTP));
      throw new IOException("registry went away");
    }));
    assertEquals("false", System.getProperty(ImageBuilder.SEND_CREDENTIALS_OVER_HTTP));
  }
}
