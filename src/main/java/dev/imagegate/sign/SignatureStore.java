package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import java.util.Optional;

/**
 * One repository of one registry, as far as signatures need it. {@link RegistrySignatureStore} implements it on the
 * plugin's OCI client.
 */
public interface SignatureStore {

  /** {@code registry/repository} */
  String name();

  /** The manifest at a tag, or empty when the registry says 404. */
  Optional<byte[]> manifest(String tag) throws ImagegateException;

  byte[] blob(String digest) throws ImagegateException;

  /** Uploads a small blob unless the repository has it. */
  void putBlob(byte[] content) throws ImagegateException;

  /**
   * Uploads a blob without asking first whether the repository has it (one round trip less than {@link #putBlob}):
   * for blobs that are new, like a DSSE envelope around a fresh signature. Uploading one that is there is harmless.
   */
  default void uploadBlob(byte[] content) throws ImagegateException {
    putBlob(content);
  }

  /** PUTs a manifest under a tag; returns its digest. */
  String putManifest(String tag, byte[] manifest, String mediaType) throws ImagegateException;
}
