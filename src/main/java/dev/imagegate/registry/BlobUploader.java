package dev.imagegate.registry;

import static dev.imagegate.registry.RegistryTransport.contains;
import static dev.imagegate.registry.RegistryTransport.describe;
import static dev.imagegate.registry.RegistryTransport.enc;
import static dev.imagegate.registry.RegistryTransport.retryAfter;
import static dev.imagegate.registry.RegistryTransport.retryable;
import static dev.imagegate.registry.RegistryTransport.sleep;

import dev.imagegate.CountingInputStream;
import dev.imagegate.registry.transport.TransferTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The blob upload of a {@link RegistryClient} (Jib's {@code BlobPusher}): a cross-repository mount, or an upload
 * session (POST) written in one monolithic PUT or in PATCH chunks and committed with the digest the registry checks. A
 * failed attempt restarts from a fresh session after a backoff; before restarting it checks whether the blob arrived.
 */
final class BlobUploader {
  /** Whether the repository already holds a blob (the client's HEAD). */
  @FunctionalInterface
  interface BlobCheck {
    boolean has(String digest) throws RegistryException;
  }

  private final RegistryTransport transport;
  private final BlobCheck check;
  private final String registry;

  BlobUploader(RegistryTransport transport, BlobCheck check) {
    this.transport = transport;
    this.check = check;
    this.registry = transport.registry();
  }

  /**
   * Tries a cross-repository mount of a blob from another repository of the same registry.
   *
   * @return true when the registry mounted it (201); false when it did not (the upload session it opened instead is
   *     cancelled)
   */
  boolean mount(String digest, String fromRepository) throws RegistryException {
    transport.authenticator().addScope("repository:" + fromRepository + ":pull");
    String query = "?mount=" + enc(digest) + "&from=" + enc(fromRepository);
    HttpResponse<Void> r =
        transport.send("mount blob " + digest + " from " + fromRepository, () -> transport.request(transport.path("blobs/uploads/" + query)).POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 201, 202);
    if (r.statusCode() == 201) {
      return true;
    }
    r.headers().firstValue("Location").ifPresent(loc -> {
      try {
        URI u = r.uri().resolve(loc);
        transport.send("cancel upload", () -> transport.request(u).DELETE(), HttpResponse.BodyHandlers.discarding(), 204, 200, 404);
      } catch (RegistryException e) {
        transport.reporter().debug("could not cancel an unused upload session on " + registry + ": " + e.getMessage());
      }
    });
    return false;
  }

  /**
   * Uploads a blob (monolithic PUT, or PATCH chunks when {@link RegistryOptions#chunkSize()} is set) and lets the
   * registry check its digest, restarting failed attempts up to {@link RegistryOptions#maxAttempts()}.
   *
   * @return the bytes sent, over all attempts
   */
  long upload(BlobSource source, ProgressListener progress) throws RegistryException {
    RegistryOptions options = transport.options();
    AtomicLong sentTotal = new AtomicLong();
    RegistryException last = null;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      try {
        uploadOnce(source, progress, sentTotal);
        return sentTotal.get();
      } catch (RetryableUploadException e) {
        last = e.failure;
        if (attempt == options.maxAttempts()) {
          break;
        }
        transport.reporter().warn("Upload of " + source.digest() + " to " + transport.name() + " failed (" + e.failure.getMessage() + "); retrying (" + (attempt + 1) + "/" + options.maxAttempts() + ").");
        sleep(transport.backoff(attempt, e.retryAfter));
        try {
          if (check.has(source.digest())) {
            return sentTotal.get();
          }
        } catch (RegistryException ignored) {
          // the next attempt reports it
        }
      }
    }
    throw new RegistryException(
        "Upload of blob " + source.digest() + " (" + source.size() + " bytes) to " + transport.name() + " failed after " + options.maxAttempts() + " attempts: " + last.getMessage(),
        "Check the network to " + registry + " and the registry's health, then run the goal again (blobs already uploaded are skipped).",
        last.status(),
        last);
  }

  private static final class RetryableUploadException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient RegistryException failure;
    final Duration retryAfter;

    RetryableUploadException(RegistryException failure, Duration retryAfter) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
      this.retryAfter = retryAfter;
    }
  }

  private void uploadOnce(BlobSource source, ProgressListener progress, AtomicLong sentTotal)
      throws RegistryException, RetryableUploadException {
    HttpResponse<Void> start =
        transport.send("start upload of " + source.digest(), () -> transport.request(transport.path("blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), 202);
    URI location = start.uri().resolve(start.headers().firstValue("Location").orElseThrow(() -> new RegistryException(transport.name() + " started an upload without a Location header.", "Use an OCI distribution compliant registry.")));
    long chunkSize = transport.options().chunkSize();
    if (chunkSize > 0 && source.size() > chunkSize) {
      uploadChunked(source, progress, sentTotal, location, chunkSize);
    } else {
      uploadMonolithic(source, progress, sentTotal, location);
    }
  }

  /** PATCH chunks of {@code chunkSize} bytes, then the committing PUT with the digest. */
  private void uploadChunked(BlobSource source, ProgressListener progress, AtomicLong sentTotal, URI location, long chunkSize)
      throws RegistryException, RetryableUploadException {
    long size = source.size();
    long offset = 0;
    try (InputStream in = source.open()) {
      while (offset < size) {
        int n = (int) Math.min(chunkSize, size - offset);
        byte[] chunk = in.readNBytes(n);
        if (chunk.length != n) {
          throw new RegistryException("The content of blob " + source.digest() + " ended early.", "Run the build goal again to recreate the image archive.");
        }
        long from = offset;
        URI loc = location;
        HttpResponse<byte[]> r =
            sendOnce("PATCH chunk of " + source.digest(), transport.request(loc)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", from + "-" + (from + n - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)), 202);
        offset += n;
        sentTotal.addAndGet(n);
        progress.progress(registry, source.digest(), offset, size);
        location = r.uri().resolve(r.headers().firstValue("Location").orElse(loc.toString()));
      }
    } catch (IOException e) {
      throw new RegistryException("Cannot read blob " + source.digest() + ": " + e.getMessage(), "Run the build goal again to recreate the image archive.", 0, e);
    }
    sendOnce("PUT blob " + source.digest(), transport.request(withDigest(location, source.digest())).PUT(HttpRequest.BodyPublishers.noBody()), 201);
  }

  /** One PUT with the whole blob and its digest (from the mapped buffer when there is one). */
  private void uploadMonolithic(BlobSource source, ProgressListener progress, AtomicLong sentTotal, URI location)
      throws RegistryException, RetryableUploadException {
    long size = source.size();
    AtomicLong sent = new AtomicLong();
    Optional<ByteBuffer> buffer = source.buffer();
    HttpRequest.BodyPublisher body = buffer.isPresent()
        ? HttpRequest.BodyPublishers.fromPublisher(new BufferPublisher(buffer.get(), n -> {
            sentTotal.addAndGet(n);
            progress.progress(registry, source.digest(), sent.addAndGet(n), size);
          }), size)
        : HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> {
              try {
                return counting(source.open(), sent, sentTotal, source, progress);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
            size);
    sendOnce("PUT blob " + source.digest(), transport.request(withDigest(location, source.digest())).header("Content-Type", "application/octet-stream").PUT(body), 201);
  }

  private InputStream counting(InputStream in, AtomicLong sent, AtomicLong total, BlobSource source, ProgressListener progress) {
    return new CountingInputStream(in) {
      @Override
      protected void counted(long n) {
        total.addAndGet(n);
        progress.progress(registry, source.digest(), sent.addAndGet(n), source.size());
      }
    };
  }

  /** One request, no retry here: a retryable failure is signalled for the caller to restart the whole upload. */
  private HttpResponse<byte[]> sendOnce(String what, HttpRequest.Builder builder, int... ok)
      throws RegistryException, RetryableUploadException {
    HttpResponse<byte[]> r;
    try {
      r = transport.exchange(transport.authenticator().authorize(builder).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (TransferTimeoutException e) {
      throw transport.timedOut(what, e);
    } catch (IOException e) {
      throw new RetryableUploadException(new RegistryException(what + " to " + transport.name() + ": " + describe(e), "", 0, e), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(what + " to " + transport.name() + " was interrupted.", "", 0, e);
    }
    if (contains(ok, r.statusCode())) {
      return r;
    }
    RegistryException failure = transport.failure(what, r.statusCode(), r.body());
    if (retryable(r.statusCode()) || r.statusCode() == 401) {
      if (r.statusCode() == 401) {
        transport.authenticator().reauthenticate(r.headers().firstValue("WWW-Authenticate").orElse(null));
      }
      throw new RetryableUploadException(failure, retryAfter(r));
    }
    throw failure;
  }

  private static URI withDigest(URI location, String digest) {
    String s = location.toString();
    return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + enc(digest));
  }
}
