package dev.imagegate.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.Ports;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * {@link ContainerSettings}, checked before anything is built and then applied to a jib build: each value that jib
 * would reject, or that would give an image other than the one asked for, fails here naming the parameter and the fix.
 */
public final class JibSettings {
  private static final String EXTRA = "<extraDirectories>";

  private final ContainerSettings settings;
  private final Set<Port> ports;
  private final Set<AbsoluteUnixPath> volumes;
  private final Optional<AbsoluteUnixPath> workingDirectory;
  private final List<ExtraLayer> extraLayers;

  /** The files of one extra directory, as the layer that holds them. */
  public record ExtraLayer(ContainerSettings.ExtraDirectory directory, FileEntriesLayer layer, int files) {}

  private JibSettings(
      ContainerSettings settings,
      Set<Port> ports,
      Set<AbsoluteUnixPath> volumes,
      Optional<AbsoluteUnixPath> workingDirectory,
      List<ExtraLayer> extraLayers) {
    this.settings = settings;
    this.ports = ports;
    this.volumes = volumes;
    this.workingDirectory = workingDirectory;
    this.extraLayers = extraLayers;
  }

  /** Checks every setting and reads the extra directories. */
  public static JibSettings check(ContainerSettings settings) throws BuildException {
    checkEntrypoint(settings.entrypoint());
    checkNames(settings.environment(), "environment", "an environment variable", "<environment><JAVA_TOOL_OPTIONS>-Xss512k</JAVA_TOOL_OPTIONS></environment>");
    checkNames(settings.labels(), "labels", "a label", "<labels><team>payments</team></labels>");
    Optional<AbsoluteUnixPath> workingDirectory = Optional.empty();
    if (settings.workingDirectory().isPresent()) {
      workingDirectory = Optional.of(absolute(settings.workingDirectory().get(), "<workingDirectory>",
          "Set <workingDirectory> to an absolute path in the image, e.g. <workingDirectory>/app</workingDirectory>."));
    }
    Set<AbsoluteUnixPath> volumes = new LinkedHashSet<>();
    for (String volume : settings.volumes()) {
      volumes.add(absolute(volume, "<volumes>",
          "Write each <volume> as an absolute path in the image, e.g. <volumes><volume>/tmp</volume></volumes>."));
    }
    List<PermissionRule> rules = new ArrayList<>();
    for (ContainerSettings.Permission permission : settings.permissions()) {
      rules.add(PermissionRule.of(permission));
    }
    List<ExtraLayer> layers = new ArrayList<>();
    for (ContainerSettings.ExtraDirectory directory : settings.extraDirectories()) {
      extraLayer(directory, rules).ifPresent(layers::add);
    }
    for (PermissionRule rule : rules) {
      if (!rule.used) {
        throw new BuildException(
            "The permission for '" + rule.permission.file() + "' in " + EXTRA + " matches no file of the extra directories"
                + " (" + layers.stream().map(l -> l.directory().from() + " -> " + l.directory().into()).toList() + ").",
            "Give <file> as the path the file has in the image (the <into> directory plus its path under <from>), e.g."
                + " <file>/app/bin/start.sh</file>, or a glob such as <file>/app/bin/*.sh</file>; or remove the"
                + " <permission>.");
      }
    }
    return new JibSettings(settings, ports(settings.ports()), volumes, workingDirectory, List.copyOf(layers));
  }

  /** The extra directories' layers, in the configured order (a missing default {@code src/main/jib} has none). */
  public List<ExtraLayer> extraLayers() {
    return extraLayers;
  }

  /**
   * Sets the entrypoint, program arguments, environment, labels ({@code ociLabels} first, the configured ones over
   * them), ports, volumes and working directory, and adds the extra directories' layers.
   */
  public void applyTo(JibContainerBuilder builder, Map<String, String> ociLabels) {
    if (settings.customEntrypoint()) {
      builder.setEntrypoint(settings.inheritsEntrypoint() ? null : settings.entrypoint());
    }
    builder.setProgramArguments(settings.args().isEmpty() ? null : settings.args());
    Map<String, String> labels = new LinkedHashMap<>(ociLabels);
    labels.putAll(settings.labels());
    builder
        .setEnvironment(settings.environment())
        .setLabels(labels)
        .setExposedPorts(ports)
        .setVolumes(volumes);
    workingDirectory.ifPresent(builder::setWorkingDirectory);
    for (ExtraLayer extra : extraLayers) {
      builder.addFileEntriesLayer(extra.layer());
    }
  }

  private static void checkEntrypoint(List<String> entrypoint) throws BuildException {
    for (String part : entrypoint) {
      if (part == null || part.isBlank()) {
        throw new BuildException(
            "The <entrypoint> has an empty <entry>.",
            "Give each <entry> of <entrypoint> a value, e.g. <entrypoint><entry>/app/bin/start.sh</entry></entrypoint>,"
                + " or remove <entrypoint> to start the main class.");
      }
    }
    if (entrypoint.size() > 1 && entrypoint.contains(ContainerSettings.INHERIT)) {
      throw new BuildException(
          "The <entrypoint> " + entrypoint + " mixes INHERIT with other entries.",
          "Write <entrypoint>INHERIT</entrypoint> alone to keep the base image's entrypoint, or list the command"
              + " without INHERIT.");
    }
  }

  private static void checkNames(Map<String, String> map, String parameter, String what, String example)
      throws BuildException {
    for (String name : map.keySet()) {
      if (name == null || name.isBlank() || name.contains("=")) {
        throw new BuildException(
            "The name '" + name + "' in <" + parameter + "> is not valid for " + what + ".",
            "Write each entry as an element named after it, e.g. " + example + ".");
      }
    }
  }

  private static AbsoluteUnixPath absolute(String path, String parameter, String fix) throws BuildException {
    String p = path == null ? "" : path.trim();
    if (!p.startsWith("/")) {
      throw new BuildException("The path '" + path + "' in " + parameter + " is not an absolute path in the image.", fix);
    }
    try {
      return AbsoluteUnixPath.get(p);
    } catch (IllegalArgumentException e) {
      throw new BuildException("The path '" + path + "' in " + parameter + " is not valid: " + e.getMessage(), fix, e);
    }
  }

  /** Ports as jib reads them ({@code 8080}, {@code 8080/udp}, {@code 9000-9002/tcp}), in a fixed order. */
  static Set<Port> ports(List<String> ports) throws BuildException {
    Set<Port> result = new TreeSet<>(Comparator.comparingInt(Port::getPort).thenComparing(Port::getProtocol));
    for (String p : ports) {
      try {
        result.addAll(Ports.parse(List.of(p == null ? "" : p.trim())));
      } catch (NumberFormatException e) {
        throw new BuildException(
            "The port '" + p + "' in <ports> is not valid: " + e.getMessage(),
            "Write each <port> as a number from 1 to 65535 or a range, optionally with /tcp or /udp, e.g."
                + " <ports><port>8080</port><port>8125/udp</port><port>9000-9002</port></ports>.",
            e);
      }
    }
    return new LinkedHashSet<>(result);
  }

  private static Optional<ExtraLayer> extraLayer(ContainerSettings.ExtraDirectory directory, List<PermissionRule> rules)
      throws BuildException {
    Path from = directory.from();
    if (!Files.isDirectory(from)) {
      if (!directory.required() && !Files.exists(from)) {
        return Optional.empty();
      }
      throw new BuildException(
          "The extra directory " + from + " in " + EXTRA + " " + (Files.exists(from) ? "is not a directory." : "does not exist."),
          "Create it, or correct <from> (relative paths are resolved against the project directory), or remove the <path>.");
    }
    AbsoluteUnixPath into = absolute(directory.into(), EXTRA + " <into>",
        "Set <into> to an absolute path in the image, e.g. <into>/app/config</into>.");
    List<PathMatcher> includes = globs(directory.includes(), "<includes>");
    List<PathMatcher> excludes = globs(directory.excludes(), "<excludes>");
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("extra files");
    int files = 0;
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(from)) {
      paths = walk.filter(p -> !p.equals(from)).sorted().toList();
    } catch (IOException e) {
      throw new BuildException("Cannot read the extra directory " + from + ": " + e.getMessage(), "Check its permissions.", e);
    }
    for (Path local : paths) {
      Path relative = from.relativize(local);
      if (excludes.stream().anyMatch(m -> m.matches(relative))
          || (!includes.isEmpty() && includes.stream().noneMatch(m -> m.matches(relative)))) {
        continue;
      }
      AbsoluteUnixPath target = into.resolve(relative.toString().replace(local.getFileSystem().getSeparator(), "/"));
      Optional<FilePermissions> mode = Optional.empty();
      for (PermissionRule rule : rules) {
        if (rule.matches(target)) {
          rule.used = true;
          mode = Optional.of(rule.mode);
          break;
        }
      }
      if (mode.isPresent()) {
        layer.addEntry(local, target, mode.get());
      } else {
        layer.addEntry(local, target);
      }
      if (!Files.isDirectory(local)) {
        files++;
      }
    }
    return Optional.of(new ExtraLayer(directory, layer.build(), files));
  }

  private static List<PathMatcher> globs(List<String> patterns, String parameter) throws BuildException {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String pattern : patterns) {
      try {
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.trim()));
      } catch (IllegalArgumentException e) {
        throw new BuildException(
            "The pattern '" + pattern + "' in " + EXTRA + " " + parameter + " is not a valid glob: " + e.getMessage(),
            "Write it as a glob relative to <from>, e.g. **/*.properties.", e);
      }
    }
    return matchers;
  }

  /** A {@code <permission>}: which container paths, which mode, and whether any file took it. */
  private static final class PermissionRule {
    private final ContainerSettings.Permission permission;
    private final PathMatcher glob;
    private final FilePermissions mode;
    private boolean used;

    private PermissionRule(ContainerSettings.Permission permission, PathMatcher glob, FilePermissions mode) {
      this.permission = permission;
      this.glob = glob;
      this.mode = mode;
    }

    static PermissionRule of(ContainerSettings.Permission permission) throws BuildException {
      String file = permission.file() == null ? "" : permission.file().trim();
      String mode = permission.mode() == null ? "" : permission.mode().trim();
      if (!file.startsWith("/")) {
        throw new BuildException(
            "The <file> '" + permission.file() + "' of a <permission> in " + EXTRA + " is not an absolute path in the image.",
            "Give the path the file has in the image, e.g. <file>/app/bin/start.sh</file> or a glob such as"
                + " <file>/app/bin/*.sh</file>.");
      }
      if (!mode.matches("[0-7]{3}")) {
        throw new BuildException(
            "The <mode> '" + permission.mode() + "' for " + file + " in " + EXTRA + " is not three octal digits.",
            "Write the mode as chmod does, three digits 0-7, e.g. <mode>755</mode> for an executable, <mode>644</mode>"
                + " for a readable file.");
      }
      try {
        return new PermissionRule(
            permission, FileSystems.getDefault().getPathMatcher("glob:" + file), FilePermissions.fromOctalString(mode));
      } catch (PatternSyntaxException e) {
        throw new BuildException(
            "The <file> '" + file + "' of a <permission> in " + EXTRA + " is not a valid glob: " + e.getMessage(),
            "Write it as a path or a glob over paths in the image, e.g. /app/bin/*.sh.", e);
      }
    }

    boolean matches(AbsoluteUnixPath target) {
      return permission.file().trim().equals(target.toString()) || glob.matches(Path.of(target.toString()));
    }
  }
}
