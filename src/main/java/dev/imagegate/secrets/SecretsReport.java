package dev.imagegate.secrets;

import java.nio.file.Path;
import java.util.List;

/**
 * What a check found.
 *
 * @param root the working tree's root; finding paths are relative to it
 * @param baseline the baseline file used (it may not exist)
 * @param filesScanned files read and scanned
 * @param filesSkipped files not searched: binary, over the size limit, or unreadable
 * @param newFindings findings no baseline entry accepts
 * @param accepted findings the baseline accepts
 * @param baselineWritten whether the baseline was (re)written
 * @param binary the skipped files that are binary
 * @param tooLarge the files not searched because they are over the size limit, repository-relative, sorted
 */
public record SecretsReport(
    Path root,
    Path baseline,
    int filesScanned,
    int filesSkipped,
    List<SecretFinding> newFindings,
    List<SecretFinding> accepted,
    boolean baselineWritten,
    int binary,
    List<String> tooLarge) {

  public SecretsReport {
    tooLarge = List.copyOf(tooLarge);
  }
}
