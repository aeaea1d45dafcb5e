package dev.imagegate.secrets;

import java.util.Locale;

/** Which contents {@code detect-secrets} reads. */
public enum SecretsSource {
  /** Every file git tracks or would add (not ignored), as it is in the working tree: what a build is about to use. */
  WORKTREE,
  /**
   * Only the files the next commit changes (added, modified, renamed, copied, mode changed), as they are in the index
   * (the staged blobs, not the working tree): what a pre-commit hook must judge.
   */
  STAGED;

  /** {@code worktree} or {@code staged}, any case. */
  public static SecretsSource parse(String value) throws SecretsException {
    for (SecretsSource s : values()) {
      if (s.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return s;
      }
    }
    throw new SecretsException(
        "Unknown secrets mode '" + value + "'.",
        "Set imagegate.secrets.mode to worktree (the default: the working tree) or staged (the index, for a pre-commit"
            + " hook).",
        (Throwable) null);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
