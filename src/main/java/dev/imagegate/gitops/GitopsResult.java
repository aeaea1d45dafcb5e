package dev.imagegate.gitops;

import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code target/imagegate/gitops.json}: what {@code gitops-update} did.
 *
 * @param schemaVersion 1
 * @param repository the repository URL (never with credentials)
 * @param branch the branch pushed to (or that was already up to date)
 * @param baseBranch the branch the change was made on top of
 * @param commit the commit now at the tip of {@code branch}: the new commit, or the existing one when nothing changed
 * @param changed whether a commit was pushed
 * @param files the files whose content changed
 * @param attempts how many fetch-edit-push rounds it took (more than 1 after a race)
 * @param tag the tag written
 * @param digest the digest of the image
 * @param changes every value set, with file, path, line, old and new value
 */
public record GitopsResult(
    int schemaVersion,
    String repository,
    String branch,
    String baseBranch,
    String commit,
    boolean changed,
    List<String> files,
    int attempts,
    String tag,
    String digest,
    List<FileChange> changes) implements HandoverRecord {

  public static final HandoverFile FILE = HandoverFile.GITOPS;
  public static final String FILE_NAME = "gitops.json";

  public GitopsResult {
    files = List.copyOf(files);
    changes = List.copyOf(changes);
  }

  /** One value set in one file. */
  public record FileChange(String file, String path, int document, int line, String oldValue, String newValue) {}

  /** Writes gitops.json atomically. */
  public Path write(Path outputDirectory) throws HandoverException {
    return FILE.write(outputDirectory, this);
  }
}
