package dev.imagegate.image;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the image's config says about how it runs, with the names and meaning of jib-maven-plugin's {@code <container>}
 * and {@code <extraDirectories>} settings. Checked and applied to the jib build by {@link JibSettings}.
 *
 * @param entrypoint the command that starts the container; empty for jib's Java entrypoint
 *     ({@code java <jvmFlags> -cp <class path> <main class>}), {@code [INHERIT]} for the base image's entrypoint and
 *     command
 * @param args the program arguments (the image's {@code Cmd}); empty for none (or the base image's, with
 *     {@code INHERIT})
 * @param jvmFlags JVM flags put before the main class in jib's Java entrypoint (ignored with a custom entrypoint)
 * @param environment environment variables, added to the base image's (a value given here wins)
 * @param workingDirectory the working directory, an absolute path; empty for the base image's
 * @param labels labels, added to the base image's and to the {@link OciLabels} (a value given here wins)
 * @param extraDirectories directories whose files are copied into the image, one layer each
 * @param permissions the modes of files from the extra directories, by container path or glob; first match wins
 * @param volumes mount points, absolute paths
 * @param ports exposed ports ({@code 8080}, {@code 8080/udp}, {@code 9000-9002/tcp})
 * @param ociLabels the {@code org.opencontainers.image.*} labels taken from the project and its commit
 */
public record ContainerSettings(
    List<String> entrypoint,
    List<String> args,
    List<String> jvmFlags,
    Map<String, String> environment,
    Optional<String> workingDirectory,
    Map<String, String> labels,
    List<ExtraDirectory> extraDirectories,
    List<Permission> permissions,
    List<String> volumes,
    List<String> ports,
    OciLabels ociLabels) {

  /** The value of {@code entrypoint} that keeps the base image's entrypoint and command, as in jib. */
  public static final String INHERIT = "INHERIT";

  /** No settings: jib's Java entrypoint, nothing added to the base image's config, no OCI labels. */
  public static final ContainerSettings NONE =
      new ContainerSettings(
          List.of(), List.of(), List.of(), Map.of(), Optional.empty(), Map.of(), List.of(), List.of(), List.of(), List.of(),
          OciLabels.NONE);

  public ContainerSettings {
    entrypoint = List.copyOf(entrypoint);
    args = List.copyOf(args);
    jvmFlags = List.copyOf(jvmFlags);
    environment = ordered(environment);
    workingDirectory = workingDirectory.map(String::trim).filter(w -> !w.isEmpty());
    labels = ordered(labels);
    extraDirectories = List.copyOf(extraDirectories);
    permissions = List.copyOf(permissions);
    volumes = List.copyOf(volumes);
    ports = List.copyOf(ports);
  }

  /** Whether the entrypoint is configured (given, or inherited from the base image) rather than jib's Java one. */
  public boolean customEntrypoint() {
    return !entrypoint.isEmpty();
  }

  /** Whether the base image's entrypoint and command are kept. */
  public boolean inheritsEntrypoint() {
    return entrypoint.size() == 1 && INHERIT.equals(entrypoint.get(0));
  }

  /** The map in its given order, unmodifiable; a missing value (an empty element in the pom) is the empty string. */
  private static Map<String, String> ordered(Map<String, String> map) {
    Map<String, String> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, v == null ? "" : v));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A directory whose files go into the image, as jib's {@code <extraDirectories><paths><path>}.
   *
   * @param from the directory on the build machine (absolute)
   * @param into the absolute container path its contents are copied into
   * @param includes glob patterns, relative to {@code from}, of the files to take; empty for all
   * @param excludes glob patterns, relative to {@code from}, of the files to leave out
   * @param required whether a missing directory fails the build ({@code false} only for the default
   *     {@code src/main/jib}, as in jib)
   */
  public record ExtraDirectory(Path from, String into, List<String> includes, List<String> excludes, boolean required) {
    public ExtraDirectory {
      includes = List.copyOf(includes);
      excludes = List.copyOf(excludes);
    }
  }

  /**
   * The mode of files from the extra directories, as jib's {@code <permissions><permission>}.
   *
   * @param file an absolute container path or a glob over container paths ({@code /app/bin/*.sh})
   * @param mode three octal digits, e.g. {@code 755}
   */
  public record Permission(String file, String mode) {}
}
