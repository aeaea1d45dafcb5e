package dev.imagegate.gitops;

/**
 * The seam for refusing to roll out an unsigned image: called once, before anything is cloned, with the digest and
 * repository about to be written. The {@code verify-signature} goal's verifier (being built in the {@code sign}
 * package) is meant to fill it; until then the mojo passes {@link #NONE}.
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
