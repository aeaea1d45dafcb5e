package dev.imagegate.gitops;

/**
 * The seam for refusing to roll out an unsigned image: called once, before anything is cloned, with the digest and
 * repository about to be written. {@link VerifiedSignatureGate} fills it (the {@code verify-signature} check against
 * every copy in push.json); {@link #NONE} when no key is configured or the check is turned off.
 */
@FunctionalInterface
public interface SignatureGate {

  /** No check (no key configured). */
  SignatureGate NONE = release -> {};

  /**
   * @throws GitopsException when the digest has no valid signature; the message says which key was expected
   */
  void check(ImageRelease release) throws GitopsException;
}
