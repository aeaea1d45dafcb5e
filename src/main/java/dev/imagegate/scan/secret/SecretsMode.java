package dev.imagegate.scan.secret;

import java.util.Locale;

/** Which layers of the image the secret detectors read ({@code imagegate.scan.secrets}). */
public enum SecretsMode {
  /** The layers the build added on top of the base image (the default). */
  APP,
  /** Every layer, the base image's too. */
  ALL,
  /** No secret scan. */
  NONE;

  /** Parses {@code app}, {@code all} or {@code none} (any case). */
  public static SecretsMode parse(String value) {
    String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    for (SecretsMode m : values()) {
      if (m.name().equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException("imagegate.scan.secrets must be app, all or none, not '" + value + "'");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
