package dev.imagegate.registry;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Loads the registry client's HTTP and TLS stack in a background thread, without any network traffic, so that a goal
 * whose JVM has not talked to a registry yet ({@code mvn imagegate:sign} alone) finds it loaded when it does.
 *
 * <p>Why: in a fresh JVM the first {@link RegistryClient} builds the shared {@code java.net.http.HttpClient}, which
 * initialises the JDK's default {@link SSLContext} (about 400 TLS classes and the {@code cacerts} trust store), and
 * its first HTTPS probe builds a ClientHello (key shares, extensions). Measured with {@code scripts/bench/sign}'s
 * fresh-JVM run (2 cores): on the sign goal's critical path, after the SBOM is read and before the registries are,
 * that was the second largest step after reading the SBOM with a cold Jackson.
 *
 * <p>What it does: initialises {@link RegistryClient} (its shared HTTP client), builds a request, and has an
 * {@link SSLEngine} of the default context wrap a ClientHello into a buffer that is thrown away. No connection is
 * opened. It starts at most once per JVM, in a daemon thread; any failure is ignored (the first real request then
 * pays the cost itself).
 */
public final class HttpWarmUp {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private HttpWarmUp() {}

  /**
   * Starts the warm-up unless it has already started in this JVM.
   *
   * @return whether this call started it
   */
  public static boolean start() {
    if (!STARTED.compareAndSet(false, true)) {
      return false;
    }
    Thread t = new Thread(HttpWarmUp::run, "imagegate-http-warm-up");
    t.setDaemon(true);
    t.start();
    return true;
  }

  /** The warm-up itself, on the calling thread; never throws. */
  static void run() {
    try {
      RegistryClient.sharedHttp();
      RegistryTransport.userAgent(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1/v2/"))).GET().build();
      SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
      engine.setUseClientMode(true);
      ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(ByteBuffer.allocate(0), out);
      engine.closeOutbound();
    } catch (Exception | LinkageError e) {
      // only a head start: whatever fails here fails again, and is reported, where a registry is called
    }
  }
}
