package dev.imagegate.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An image platform as an OCI image index states it, written {@code os/architecture[/variant]}, e.g.
 * {@code linux/arm64}.
 *
 * @param os the operating system, e.g. {@code linux}
 * @param architecture the CPU architecture in Go's naming, e.g. {@code amd64}, {@code arm64}
 * @param variant the CPU variant, e.g. {@code v8}, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(String os, String architecture, String variant) {
  private static final String PART = "[a-z0-9_]+";

  /** The platform of a build that names none: the image of today. */
  public static final Platform DEFAULT = new Platform("linux", "amd64", null);

  /**
   * Parses {@code os/architecture[/variant]}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Platform parse(String text) {
    String t = text == null ? "" : text.trim();
    String[] parts = t.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || !List.of(parts).stream().allMatch(p -> p.matches(PART))) {
      throw new IllegalArgumentException("'" + t + "' is not a platform (os/architecture[/variant], e.g. linux/arm64)");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /**
   * Parses a comma-separated list, in order; blank means none.
   *
   * @throws IllegalArgumentException on an invalid or repeated platform
   */
  public static List<Platform> parseList(String text) {
    List<Platform> result = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return result;
    }
    Set<Platform> seen = new LinkedHashSet<>();
    for (String item : text.split(",")) {
      Platform p = parse(item);
      if (!seen.add(p)) {
        throw new IllegalArgumentException("the platform " + p + " is listed twice");
      }
      result.add(p);
    }
    return result;
  }

  /** Whether an image configuration's {@code os}, {@code architecture} and {@code variant} are this platform. */
  public boolean matchesConfig(String configOs, String configArchitecture, String configVariant) {
    return os.equals(configOs) && architecture.equals(configArchitecture) && (variant == null || variant.equals(configVariant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
