package dev.imagegate.scan.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads apk's installed database ({@code lib/apk/db/installed}): one package per block of {@code K:value} lines,
 * blocks separated by a blank line; {@code P} the package, {@code V} its version, {@code o} its origin (the source
 * package Alpine's advisories are keyed by). Other keys (files, checksums, dependencies) are skipped.
 */
public final class ApkDatabase {
  public static final String PATH = "lib/apk/db/installed";

  private ApkDatabase() {}

  /** The installed packages, as {@link InstalledPackage#ALPINE} packages found in {@code path} of {@code layer}. */
  public static List<InstalledPackage> parse(String path, String layer, String text, Consumer<String> warnings) {
    List<InstalledPackage> out = new ArrayList<>();
    String name = null;
    String version = null;
    String origin = null;
    int lineNo = 0;
    for (String line : (text + "\n\n").split("\r?\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        if (name != null || version != null) {
          if (name == null || version == null || name.isBlank() || version.isBlank()) {
            warnings.accept(path + ": a package without P: or V: before line " + lineNo + "; skipped");
          } else {
            out.add(new InstalledPackage(InstalledPackage.ALPINE, name, version, origin == null || origin.isBlank() ? name : origin, version,
                path, layer, "apk"));
          }
        }
        name = null;
        version = null;
        origin = null;
        continue;
      }
      if (line.length() < 2 || line.charAt(1) != ':') {
        warnings.accept(path + ": line " + lineNo + " is not a 'K:value' line");
        continue;
      }
      String value = line.substring(2).trim();
      switch (line.charAt(0)) {
        case 'P' -> name = value;
        case 'V' -> version = value;
        case 'o' -> origin = value;
        default -> {}
      }
    }
    return out;
  }
}
