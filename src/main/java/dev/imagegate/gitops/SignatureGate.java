package dev.imagegate.gitops;

/**
 * The seam for refusing to roll out an unsigned image: called once, before anything is cloned, with the digest and
 * repository about to be written. {@link VerifiedSignatureGate} fills it (the {@code verify-signature} check against
 * every copy in push.json); {@link #NONE} only in tests of the updater itself (gitops-update always has a gate, see {@link SignatureGates}).
 */
@FunctionalInterface
public interface SignatureGate {

  /** No check: for tests of the updater only. */
  SignatureGate NONE = release -> {};

  /**
   * @throws GitopsException when the digest has no valid signature; the message says which key was expected
   */
  void check(ImageRelease release) throws GitopsException;
}
