package dev.imagegate.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The OCI distribution-spec grammar for repository names and tags, checked before any network call: a name such as
 * {@code MyApp} or {@code ../evil} never reaches a registry (or ECR, which would answer with a misleading permission
 * error).
 *
 * <ul>
 *   <li>name: {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}, and at most 255
 *       characters together with the registry host and the {@code /} between them;</li>
 *   <li>tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}.</li>
 * </ul>
 */
public final class OciNames {
  /** The distribution-spec's {@code <name>} rule. */
  public static final String NAME_RULE = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*";
  /** The distribution-spec's tag rule. */
  public static final String TAG_RULE = "[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}";
  /** The longest {@code host/name} clients accept (distribution's reference package). */
  public static final int MAX_REFERENCE_NAME = 255;

  private static final Pattern NAME = Pattern.compile(NAME_RULE);
  private static final Pattern TAG = Pattern.compile(TAG_RULE);

  private OciNames() {}

  /** Whether {@code name} matches the name rule (length not checked). */
  public static boolean isRepository(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Whether {@code tag} matches the tag rule. */
  public static boolean isTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /**
   * Refuses a repository name outside the grammar, or one that makes {@code registry/name} longer than 255 characters.
   *
   * @param registry the registry host as configured (for the length rule and the message); may be null
   */
  public static void checkRepository(String registry, String name) throws RegistryException {
    String where = registry == null || registry.isBlank() ? "" : " (registry " + registry.trim() + ")";
    if (!isRepository(name)) {
      String suggested = suggestion(name);
      throw new RegistryException(
          "The repository name '" + name + "'" + where + " is not a valid OCI repository name: the distribution spec allows only"
              + " lower-case letters and digits, separated by '.', '_', '__' or '-' within a path component, and components"
              + " separated by single '/' (no leading, trailing or doubled separators, no '..', no upper case; rule "
              + NAME_RULE + ").",
          "Set <repository> to a valid name" + (suggested.isEmpty() ? "" : " such as '" + suggested + "'")
              + " (no registry host, no tag, no digest); registries (ECR included) refuse anything else.");
    }
    int length = (registry == null || registry.isBlank() ? 0 : registry.trim().length() + 1) + name.length();
    if (length > MAX_REFERENCE_NAME) {
      throw new RegistryException(
          "The repository name '" + name + "'" + where + " is too long: registry host, '/' and name together are " + length
              + " characters; the limit is " + MAX_REFERENCE_NAME + ".",
          "Choose a shorter <repository>.");
    }
  }

  /** Refuses a tag outside the grammar ({@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}). */
  public static void checkTag(String tag) throws RegistryException {
    if (!isTag(tag)) {
      boolean tooLong = tag != null && tag.length() > 128;
      throw new RegistryException(
          "The tag '" + tag + "' is not a valid OCI tag: " + (tooLong ? "it has " + tag.length() + " characters, at most 128 are allowed" : "a tag is a letter, digit or"
              + " '_' followed by up to 127 letters, digits, '.', '_' or '-'") + " (rule " + TAG_RULE + ").",
          "Remove or rename it in <tags>.");
    }
  }

  /** A valid name close to the given one, or "" when there is none (e.g. {@code MyApp} gives {@code myapp}). */
  static String suggestion(String name) {
    if (name == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String component : name.toLowerCase(Locale.ROOT).split("/")) {
      String c = component.replaceAll("[^a-z0-9._-]", "-").replaceAll("[._-]{2,}", "-").replaceAll("^[._-]+|[._-]+$", "");
      if (!c.isEmpty()) {
        out.append(out.length() == 0 ? "" : "/").append(c);
      }
    }
    return isRepository(out.toString()) ? out.toString() : "";
  }
}
