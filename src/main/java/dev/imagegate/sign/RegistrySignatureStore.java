package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import dev.imagegate.registry.BlobSource;
import dev.imagegate.registry.ManifestResponse;
import dev.imagegate.registry.ProgressListener;
import dev.imagegate.registry.RegistryClient;
import java.util.Optional;

/** {@link SignatureStore} on {@link RegistryClient}. */
public final class RegistrySignatureStore implements SignatureStore {
  private final RegistryClient client;

  public RegistrySignatureStore(RegistryClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return client.name();
  }

  @Override
  public Optional<byte[]> manifest(String tag) throws ImagegateException {
    return client.getManifest(tag).map(ManifestResponse::bytes);
  }

  @Override
  public byte[] blob(String digest) throws ImagegateException {
    return client.getBlob(digest);
  }

  @Override
  public void putBlob(byte[] content) throws ImagegateException {
    client.putBlob(content);
  }

  @Override
  public void uploadBlob(byte[] content) throws ImagegateException {
    client.uploadBlob(BlobSource.of(content), ProgressListener.NONE);
  }

  @Override
  public String putManifest(String tag, byte[] manifest, String mediaType) throws ImagegateException {
    return client.putManifest(tag, manifest, mediaType);
  }
}
