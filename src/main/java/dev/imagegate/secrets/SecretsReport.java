package dev.imagegate.secrets;

import java.nio.file.Path;
import java.util.List;

/**
 * What a check found.
 *
 * @param root the working tree's root; finding paths are relative to it
 * @param baseline the baseline file used (it may not exist)
 * @param filesScanned files read and scanned
 * @param filesSkipped binary or oversized files
 * @param newFindings findings no baseline entry accepts
 * @param accepted findings the baseline accepts
 * @param baselineWritten whether the baseline was (re)written
 */
public record SecretsReport(
    Path root,
    Path baseline,
    int filesScanned,
    int filesSkipped,
    List<SecretFinding> newFindings,
    List<SecretFinding> accepted,
    boolean baselineWritten) {}
