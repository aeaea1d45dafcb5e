package dev.imagegate.registry;

/**
 * A manifest exactly as a registry stores it.
 *
 * @param bytes the manifest bytes, unchanged (their sha256 is the digest)
 * @param mediaType the Content-Type the registry served it with
 * @param digest {@code sha256:<hex>} of {@code bytes}, checked against the registry's {@code Docker-Content-Digest}
 */
public record ManifestResponse(byte[] bytes, String mediaType, String digest) {
  public ManifestResponse {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
