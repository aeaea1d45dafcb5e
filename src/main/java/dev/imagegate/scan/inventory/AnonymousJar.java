package dev.imagegate.scan.inventory;

/**
 * A jar (or a jar nested in one) that does not name itself: no {@code pom.properties} of its own. The project's
 * resolved artifact that is the same file gives its identity; failing that, its MANIFEST is a guess.
 *
 * @param path where it is in the image ({@code app/libs/x.jar}, {@code app/app.jar!BOOT-INF/lib/x.jar} when nested)
 * @param size its size in bytes
 * @param sha1 the SHA-1 of its bytes, 40 lower-case hex digits
 */
public record AnonymousJar(String path, long size, String sha1) {

  /** The jar's own file name, the last segment of its path. */
  public String fileName() {
    return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('!')) + 1);
  }

  /** The file that holds it in the image (the outer jar for a nested one). */
  public String outerPath() {
    int bang = path.indexOf('!');
    return bang < 0 ? path : path.substring(0, bang);
  }
}
