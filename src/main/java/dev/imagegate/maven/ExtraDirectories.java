package dev.imagegate.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Files copied into the image ({@code <extraDirectories>} in the build goal's configuration), written as jib-maven-plugin
 * writes them:
 *
 * <pre>{@code
 * <extraDirectories>
 *   <paths>
 *     <path>src/main/jib</path>                          <!-- shorthand: into / -->
 *     <path><from>src/main/scripts</from><into>/app/bin</into></path>
 *   </paths>
 *   <permissions>
 *     <permission><file>/app/bin/*.sh</file><mode>755</mode></permission>
 *   </permissions>
 * </extraDirectories>
 * }</pre>
 */
public class ExtraDirectories {
  /** The directories; by default {@code src/main/jib} into {@code /} when it exists. */
  List<Path> paths = new ArrayList<>();

  /** File modes by container path or glob; files not named get 644, directories 755. */
  List<Permission> permissions = new ArrayList<>();

  public ExtraDirectories() {}

  /** One directory: {@code <path><from>…</from><into>…</into></path>}, or {@code <path>dir</path>} into {@code /}. */
  public static class Path {
    /** The directory on the build machine, absolute or relative to the project directory. */
    File from;

    /** The absolute path in the image its contents are copied into. */
    String into = "/";

    /** Glob patterns (relative to {@code from}) of the files to copy; all by default. */
    List<String> includes = new ArrayList<>();

    /** Glob patterns (relative to {@code from}) of files to leave out. */
    List<String> excludes = new ArrayList<>();

    public Path() {}

    /** The shorthand {@code <path>src/main/extra</path>}: that directory into {@code /}. */
    public void set(File directory) {
      this.from = directory;
      this.into = "/";
    }
  }

  /** {@code <permission><file>/app/bin/start.sh</file><mode>755</mode></permission>}. */
  public static class Permission {
    /** An absolute path in the image, or a glob over such paths. */
    String file;

    /** Three octal digits, e.g. {@code 755}. */
    String mode;

    public Permission() {}
  }
}
