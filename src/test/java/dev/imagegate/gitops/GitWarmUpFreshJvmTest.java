package dev.imagegate.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collection;
import org.eclipse.jgit.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * The warm-up in a JGit that nothing has initialised yet (its own class loader, as in {@code mvn imagegate:gitops-update}):
 * it must leave every transport registered. Initialising {@code TransportHttp} before {@code Transport} made
 * {@code Transport}'s static registration see a half-initialised {@code TransportHttp} and drop http(s): "URI not
 * supported: http://…" in every fetch afterwards.
 */
class GitWarmUpFreshJvmTest {

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  @Test
  void afterTheWarmUpHttpIsStillATransport() throws Exception {
    URL[] urls = {location(GitWarmUp.class), location(Transport.class), location(org.slf4j.Logger.class),
        location(com.googlecode.javaewah.EWAHCompressedBitmap.class)};
    try (URLClassLoader fresh = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      Class<?> warmUp = Class.forName(GitWarmUp.class.getName(), true, fresh);
      Method run = warmUp.getDeclaredMethod("run");
      run.setAccessible(true);
      assertEquals(Boolean.TRUE, run.invoke(null));
      Class<?> transport = Class.forName(Transport.class.getName(), true, fresh);
      Collection<?> protocols = (Collection<?>) transport.getMethod("getTransportProtocols").invoke(null);
      Class<?> uriish = Class.forName("org.eclipse.jgit.transport.URIish", true, fresh);
      Object http = uriish.getConstructor(String.class).newInstance("http://127.0.0.1:1/repo.git");
      Object https = uriish.getConstructor(String.class).newInstance("https://127.0.0.1:1/repo.git");
      boolean httpOk = false;
      boolean httpsOk = false;
      for (Object p : protocols) {
        Method canHandle = p.getClass().getMethod("canHandle", uriish);
        canHandle.setAccessible(true);
        httpOk |= p != null && (Boolean) canHandle.invoke(p, http);
        httpsOk |= p != null && (Boolean) canHandle.invoke(p, https);
      }
      assertTrue(httpOk, "http is no longer a JGit transport after the warm-up: " + protocols);
      assertTrue(httpsOk, "https is no longer a JGit transport after the warm-up: " + protocols);
    }
  }
}
