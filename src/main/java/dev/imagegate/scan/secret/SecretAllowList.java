package dev.imagegate.scan.secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The secrets found in an image that the team accepts ({@code imagegate.scan.allowedSecrets}). Each entry is either
 * a hashed secret (40 hex digits, the {@code hashedSecret} of {@code scan.json}): that secret anywhere in the image; or
 * {@code <path in the image>:<hashed secret>}: that secret in that file only (a leading {@code /} is optional).
 * The hash is the secret's identity, so an entry keeps matching when lines move, and stops matching when the value
 * changes.
 */
public final class SecretAllowList {
  private final List<Entry> entries;

  /** One entry: {@code path} is null for "anywhere". */
  public record Entry(String path, String hashedSecret, String text) {}

  /** A finding and the entry that allowed it, or null when it blocks. */
  public record Decision(ImageSecret secret, Entry allowedBy) {
    public boolean allowed() {
      return allowedBy != null;
    }
  }

  private SecretAllowList(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static SecretAllowList empty() {
    return new SecretAllowList(List.of());
  }

  /**
   * Parses the entries (blank ones are ignored).
   *
   * @throws IllegalArgumentException naming an entry that is not {@code [path:]<40 hex>}
   */
  public static SecretAllowList parse(List<String> values) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : values) {
      String v = raw == null ? "" : raw.trim();
      if (v.isEmpty()) {
        continue;
      }
      int colon = v.lastIndexOf(':');
      String path = colon < 0 ? null : normalize(v.substring(0, colon));
      String hash = (colon < 0 ? v : v.substring(colon + 1)).trim().toLowerCase(Locale.ROOT);
      if (!hash.matches("[0-9a-f]{40}") || (path != null && path.equals("/"))) {
        throw new IllegalArgumentException("'" + v + "' is not an allowed secret: write <hashedSecret> or <path in the image>:<hashedSecret>"
            + " with the 40-hex hashedSecret from target/imagegate/scan.json");
      }
      entries.add(new Entry(path, hash, v));
    }
    return new SecretAllowList(entries);
  }

  private static String normalize(String path) {
    String p = path.trim().replace('\\', '/');
    return p.startsWith("/") ? p : "/" + p;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Each secret with the entry that allows it (or none). */
  public List<Decision> apply(List<ImageSecret> secrets) {
    List<Decision> out = new ArrayList<>();
    for (ImageSecret s : secrets) {
      out.add(new Decision(s, match(s).orElse(null)));
    }
    return out;
  }

  private Optional<Entry> match(ImageSecret s) {
    return entries.stream()
        .filter(e -> e.hashedSecret().equals(s.hashedSecret()) && (e.path() == null || e.path().equals(s.path())))
        .findFirst();
  }
}
