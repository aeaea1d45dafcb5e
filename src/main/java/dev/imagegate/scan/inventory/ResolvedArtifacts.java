package dev.imagegate.scan.inventory;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The project's resolved artifacts, looked up by the file a jar in the image is: the file name and the size first
 * (free), then the SHA-1 of the resolved file to confirm (read once, only for a candidate, and not again by later scans
 * while the file is unchanged: {@link FileSha1Cache}). A jar that only shares the name is not taken for the artifact:
 * its bytes are not the ones Maven resolved.
 */
final class ResolvedArtifacts {
  private final Map<String, List<ProjectArtifact>> byName = new HashMap<>();
  private final Map<ProjectArtifact, Long> sizes = new HashMap<>();
  private final Map<ProjectArtifact, String> sha1s = new HashMap<>();
  private final Consumer<String> warnings;
  private final Supplier<FileSha1Cache> openDigests;
  private FileSha1Cache digests;

  /**
   * @param digests the SHA-1s remembered by earlier scans, opened only when a file must be compared
   */
  ResolvedArtifacts(List<ProjectArtifact> artifacts, Supplier<FileSha1Cache> digests, Consumer<String> warnings) {
    for (ProjectArtifact a : artifacts) {
      if (a.file() != null && Files.isRegularFile(a.file())) {
        byName.computeIfAbsent(a.fileName(), k -> new java.util.ArrayList<>()).add(a);
      }
    }
    this.warnings = warnings;
    this.openDigests = digests;
  }

  /** The resolved artifact that is the same file as this jar (name, size and SHA-1), if any. */
  Optional<ProjectArtifact> sameFile(AnonymousJar jar) {
    for (ProjectArtifact a : byName.getOrDefault(jar.fileName(), List.of())) {
      try {
        if (sizes.computeIfAbsent(a, k -> size(k)) == jar.size() && jar.sha1().equals(sha1(a))) {
          return Optional.of(a);
        }
      } catch (IOException e) {
        warnings.accept(a.file() + ": the resolved artifact " + a.gav() + " cannot be read (" + e.getMessage() + "); not compared with " + jar.path());
      }
    }
    return Optional.empty();
  }

  /** A resolved artifact with the jar's file name (whatever its bytes). */
  Optional<ProjectArtifact> sameName(AnonymousJar jar) {
    return byName.getOrDefault(jar.fileName(), List.of()).stream().findFirst();
  }

  private String sha1(ProjectArtifact a) throws IOException {
    String known = sha1s.get(a);
    if (known == null) {
      if (digests == null) {
        digests = openDigests.get();
      }
      known = digests.sha1(a.file());
      sha1s.put(a, known);
    }
    return known;
  }

  /** Stores the SHA-1s this lookup computed, for the next scan (see {@link FileSha1Cache#save}). */
  void save(Reporter reporter) {
    if (digests != null) {
      digests.save(reporter);
    }
  }

  private static long size(ProjectArtifact a) {
    try {
      return Files.size(a.file());
    } catch (IOException e) {
      return -1;
    }
  }
}
