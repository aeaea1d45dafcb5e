package dev.imagegate.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {
  @Test
  void parsesOsArchitectureAndVariant() {
    assertEquals(new Platform("linux", "arm64", null), Platform.parse("linux/arm64"));
    assertEquals(new Platform("linux", "arm", "v7"), Platform.parse(" linux/arm/v7 "));
    assertEquals("linux/arm/v7", Platform.parse("linux/arm/v7").toString());
    assertEquals("linux/amd64", Platform.DEFAULT.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "linux", "linux/", "/amd64", "linux/amd64/v8/x", "Linux/AMD64", "linux amd64", "linux/arm64/"})
  void refusesWhatIsNotAPlatformNamingItAndTheForm(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.parse(text));
    assertTrue(e.getMessage().startsWith("'" + text.trim() + "' is not a platform"), e.getMessage());
    assertTrue(e.getMessage().contains("os/architecture[/variant], e.g. linux/arm64"), e.getMessage());
  }

  @Test
  void aNullIsRefusedAsAnEmptyPlatform() {
    assertThrows(IllegalArgumentException.class, () -> Platform.parse(null));
  }

  @Test
  void parsesAListInOrder() {
    assertEquals(
        List.of(new Platform("linux", "arm64", null), new Platform("linux", "amd64", null), new Platform("linux", "arm", "v7")),
        Platform.parseList("linux/arm64, linux/amd64,linux/arm/v7"));
    assertEquals(List.of(), Platform.parseList(null));
    assertEquals(List.of(), Platform.parseList("  "));
  }

  @Test
  void aPlatformListedTwiceIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.parseList("linux/amd64,linux/arm64, linux/amd64"));
    assertEquals("the platform linux/amd64 is listed twice", e.getMessage());
  }

  @Test
  void variantsAreDistinctPlatforms() {
    assertEquals(2, Platform.parseList("linux/arm/v6,linux/arm/v7").size());
  }

  @Test
  void anEmptyItemInAListIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.parseList("linux/amd64,,linux/arm64"));
    assertTrue(e.getMessage().contains("is not a platform"), e.getMessage());
  }

  @Test
  void matchesAConfigurationByOsArchitectureAndVariantWhenOneIsAsked() {
    assertTrue(Platform.parse("linux/arm64").matchesConfig("linux", "arm64", null));
    assertTrue(Platform.parse("linux/arm64").matchesConfig("linux", "arm64", "v8"));
    assertTrue(Platform.parse("linux/arm64/v8").matchesConfig("linux", "arm64", "v8"));
    assertFalse(Platform.parse("linux/arm64/v8").matchesConfig("linux", "arm64", null));
    assertFalse(Platform.parse("linux/arm64").matchesConfig("linux", "amd64", null));
    assertFalse(Platform.parse("linux/amd64").matchesConfig("windows", "amd64", null));
  }

  @Test
  void theVariantIsAbsentUnlessGiven() {
    assertNull(Platform.parse("linux/amd64").variant());
  }
}
