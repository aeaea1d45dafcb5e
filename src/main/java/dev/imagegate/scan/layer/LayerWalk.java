package dev.imagegate.scan.layer;

import dev.imagegate.CountingInputStream;
import dev.imagegate.Reporter;
import dev.imagegate.oci.BlobDigestException;
import dev.imagegate.oci.BlobStream;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.oci.OciArchiveException;
import dev.imagegate.scan.error.ScanException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams every layer of an OCI archive once (gunzip + untar in memory), hands regular files to the analyzers and
 * records what the union filesystem needs: per layer, the paths written, the symlinks and the whiteouts. After the
 * walk, {@link #visible(int, String)} says whether a file of a layer is still there in the final image.
 */
public final class LayerWalk {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final long MAX_SHARED_FILE = 64L << 20;

  private final List<LayerState> layers = new ArrayList<>();
  private final LayerLimits limits;
  private LayerVerification verification = LayerVerification.none();
  /** Uncompressed bytes of all the layers read so far. */
  private long inflated;

  private LayerWalk(LayerLimits limits) {
    this.limits = limits;
  }

  /** What one layer does to the filesystem. */
  public static final class LayerState {
    final String digest;
    final Set<String> written = new HashSet<>();
    final Set<String> whiteouts = new HashSet<>();
    final Set<String> opaqueDirs = new HashSet<>();
    final Map<String, String> symlinks = new HashMap<>();
    volatile boolean verified;

    LayerState(String digest) {
      this.digest = digest;
    }

    /** Whether the layer's stored bytes matched its digest (only then may facts about it be cached). */
    public boolean verified() {
      return verified;
    }

    public String digest() {
      return digest;
    }

    public Map<String, String> symlinks() {
      return symlinks;
    }
  }

  /**
   * Walks the layers. {@code readLayer} says which layer indexes must be read (the others, e.g. served by the layer
   * cache, are only recorded by digest and must be {@link #restoreLayer restored} by the caller).
   *
   * <p>Every layer's stored bytes are checked against its digest as they stream (a layer that is not read is still
   * hashed, without inflating it): a layer that does not match fails the walk, and {@link LayerState#verified} is
   * true only for layers that matched. The uncompressed bytes are counted against {@code limits}.
   */
  public static LayerWalk walk(
      OciArchive archive, List<LayerFileAnalyzer> analyzers, IntPredicate readLayer, LayerLimits limits, Reporter reporter)
      throws ScanException {
    LayerWalk walk = walk(archive, analyzers, readLayer, limits, reporter, Runnable::run);
    walk.verification().await();
    return walk;
  }

  /**
   * Walks the layers as {@link #walk(OciArchive, List, IntPredicate, LayerLimits, Reporter)} does, but hashes the layers
   * that are not read on {@code verifier} (other threads), in parallel with each other and with whatever the caller
   * does next: the walk returns before they are checked, and {@link #verification()} is the gate the caller must pass
   * before it reports anything about the image. The layers that are read are checked as they stream, before this returns.
   */
  public static LayerWalk walk(
      OciArchive archive, List<LayerFileAnalyzer> analyzers, IntPredicate readLayer, LayerLimits limits, Reporter reporter, Executor verifier)
      throws ScanException {
    return walk(archive, analyzers, readLayer, limits, reporter, verifier, Map.of());
  }

  /**
   * Starts checking layer {@code index}'s bytes against its digest on {@code verifier}, before the walk: for a layer
   * whose facts the layer cache is expected to serve, so that hashing it overlaps reading the cache. Give the check to
   * {@link #walk(OciArchive, List, IntPredicate, LayerLimits, Reporter, Executor, Map) walk}, which makes it part of
   * its {@link #verification()} whether the layer is then read or not.
   */
  public static CompletableFuture<Void> startCheck(OciArchive archive, int index, Executor verifier) {
    List<Descriptor> descriptors = archive.layers();
    Descriptor layer = descriptors.get(index);
    return CompletableFuture.runAsync(() -> {
      try {
        verify(archive, descriptors.size(), index, layer);
      } catch (ScanException e) {
        throw new CompletionException(e);
      }
    }, verifier);
  }

  /**
   * {@link #walk(OciArchive, List, IntPredicate, LayerLimits, Reporter, Executor) walk}, with the checks
   * {@link #startCheck} already started for some layers (by index): those layers are not hashed again when not read.
   */
  public static LayerWalk walk(OciArchive archive, List<LayerFileAnalyzer> analyzers, IntPredicate readLayer, LayerLimits limits, Reporter reporter,
      Executor verifier, Map<Integer, CompletableFuture<Void>> started) throws ScanException {
    LayerWalk walk = new LayerWalk(limits);
    List<Descriptor> descriptors = archive.layers();
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    for (int i = 0; i < descriptors.size(); i++) {
      Descriptor layer = descriptors.get(i);
      LayerState state = new LayerState(layer.digest());
      walk.layers.add(state);
      CompletableFuture<Void> early = started.get(i);
      if (!readLayer.test(i)) {
        checks.add((early != null ? early : startCheck(archive, i, verifier)).thenRun(() -> state.verified = true));
        continue;
      }
      if (early != null) {
        checks.add(early); // started for a cache entry that was then not usable: the layer is also checked as it streams, below
      }
      String which = "layer " + (i + 1) + " (" + layer.digest() + ")";
      try (BlobStream blob = archive.openVerified(layer)) {
        try {
          walk.readLayer(i, state, walk.decompress(layer, blob, which), analyzers, reporter);
        } catch (IOException | RuntimeException e) {
          blob.verifyToEnd(); // a tampered layer often breaks the parser first: then its digest is the error to report
          throw e;
        }
        blob.verifyToEnd();
        state.verified = true;
      } catch (IOException | RuntimeException | OciArchiveException e) {
        throw failure(archive, descriptors.size(), i, layer, e);
      }
    }
    walk.verification = new LayerVerification(checks);
    return walk;
  }

  /** Hashes a layer that is not read: every stored byte against its digest. */
  private static void verify(OciArchive archive, int layers, int index, Descriptor layer) throws ScanException {
    try (BlobStream blob = archive.openVerified(layer)) {
      blob.verifyToEnd();
    } catch (IOException | RuntimeException | OciArchiveException e) {
      throw failure(archive, layers, index, layer, e);
    }
  }

  /** What a layer that could not be read or checked fails the scan with. */
  private static ScanException failure(OciArchive archive, int layers, int index, Descriptor layer, Exception e) {
    if (e instanceof BlobDigestException d) {
      return new ScanException(
          "Layer " + (index + 1) + " of " + layers + " (" + layer.digest() + ") in " + archive.path() + " does not match its digest: "
              + d.details() + ". The archive changed after the build: what it holds is not the image that was built, and is not scanned.",
          BlobDigestException.suggestion(),
          d);
    }
    if (e instanceof LayerLimitException l) {
      return new ScanException(l.getMessage(), l.suggestion(), l);
    }
    if (e instanceof OciArchiveException o) {
      return new ScanException(o.getMessage(), o.suggestion(), o);
    }
    return new ScanException(
        "Cannot read layer " + layer.digest() + " of " + archive.path() + ": " + e.getMessage(),
        "The image archive is damaged: run the build goal again (mvn package) to recreate it.",
        e);
  }

  /**
   * The digest checks of the layers that were not read; already passed when the walk ran them on the calling thread.
   * A caller that passed an executor must {@link LayerVerification#await await} it before reporting anything.
   */
  public LayerVerification verification() {
    return verification;
  }

  /** Records paths/whiteouts/symlinks of a layer that was not read (its facts come from the layer cache). */
  public void restoreLayer(int index, Set<String> written, Set<String> whiteouts, Set<String> opaque, Map<String, String> symlinks) {
    LayerState s = layers.get(index);
    s.written.addAll(written);
    s.whiteouts.addAll(whiteouts);
    s.opaqueDirs.addAll(opaque);
    s.symlinks.putAll(symlinks);
  }

  public Set<String> written(int index) {
    return layers.get(index).written;
  }

  public Set<String> whiteouts(int index) {
    return layers.get(index).whiteouts;
  }

  public Set<String> opaqueDirs(int index) {
    return layers.get(index).opaqueDirs;
  }

  public LayerState layer(int index) {
    return layers.get(index);
  }

  public int layerCount() {
    return layers.size();
  }

  private InputStream decompress(Descriptor layer, InputStream blob, String which) throws IOException {
    InputStream in = new BufferedInputStream(blob, 1 << 16);
    String mt = layer.mediaType() == null ? "" : layer.mediaType();
    if (mt.endsWith("+zstd")) {
      throw new IOException("zstd-compressed layers are not supported (media type " + mt + ")");
    }
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new BufferedInputStream(new Uncompressed(new GZIPInputStream(in, 1 << 16), which), 1 << 16);
    }
    return new Uncompressed(in, which);
  }

  private void readLayer(int index, LayerState state, InputStream in, List<LayerFileAnalyzer> analyzers, Reporter reporter)
      throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    TarArchiveEntry entry;
    byte[] drain = new byte[1 << 16];
    while ((entry = next(tar, drain)) != null) {
      String path = normalize(entry.getName());
      if (path == null) {
        if (entry.getName().replace("/", "").replace(".", "").isEmpty() && !entry.getName().contains("..")) {
          continue; // the root directory itself ("./", "/")
        }
        reporter.warn("Layer " + state.digest + " holds an entry with an unsafe path (" + entry.getName() + "): ignored.");
        continue;
      }
      int slash = path.lastIndexOf('/');
      String dir = slash < 0 ? "" : path.substring(0, slash + 1);
      String base = path.substring(slash + 1);
      if (base.equals(OPAQUE)) {
        state.opaqueDirs.add(dir);
        continue;
      }
      if (base.startsWith(WHITEOUT)) {
        state.whiteouts.add(dir + base.substring(WHITEOUT.length()));
        continue;
      }
      if (entry.isSymbolicLink()) {
        state.symlinks.put(path, entry.getLinkName());
        state.written.add(path);
        continue;
      }
      if (entry.isLink()) {
        // a hard link: same content as its target in this layer; record the path, content is not re-read
        state.written.add(path);
        continue;
      }
      if (!entry.isFile()) {
        continue;
      }
      state.written.add(path);
      long size = entry.getSize();
      LayerFileAnalyzer.LayerFile file = new LayerFileAnalyzer.LayerFile(state.digest, index, path, size);
      List<LayerFileAnalyzer> takers = new ArrayList<>(2);
      for (LayerFileAnalyzer analyzer : analyzers) {
        if (analyzer.accepts(path, size)) {
          takers.add(analyzer);
        }
      }
      if (takers.size() == 1) {
        takers.get(0).analyze(file, new NonClosing(tar));
      } else if (takers.size() > 1) {
        // several analyzers want the same file: read it once into memory (bounded), give each its own stream
        if (size > MAX_SHARED_FILE) {
          reporter.warn("File " + path + " (" + size + " bytes) is too large to share between analyzers: only the first reads it.");
          takers.get(0).analyze(file, new NonClosing(tar));
          continue;
        }
        byte[] bytes = tar.readNBytes((int) size);
        for (LayerFileAnalyzer analyzer : takers) {
          analyzer.analyze(file, new java.io.ByteArrayInputStream(bytes));
        }
      }
    }
  }

  /**
   * The next entry, after reading what is left of the current one through {@code drain}: the tar reader would skip it
   * through a fresh buffer per 8 KiB (commons-io's skip), a gigabyte of garbage per gigabyte of files no analyzer reads.
   */
  private static TarArchiveEntry next(TarArchiveInputStream tar, byte[] drain) throws IOException {
    if (tar.getCurrentEntry() != null) {
      while (tar.read(drain, 0, drain.length) >= 0) {
        // inflated (and hashed by the blob stream underneath), not kept
      }
    }
    return tar.getNextEntry();
  }

  /**
   * Normalizes a tar path to {@code a/b/c}; null when it escapes the root ({@code ..}) or is empty.
   */
  public static String normalize(String name) {
    String n = name.replace('\\', '/');
    List<String> parts = new ArrayList<>();
    for (String p : n.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        return null;
      }
      parts.add(p);
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /** Whether the file {@code path} written by layer {@code index} is still present in the final image. */
  public boolean visible(int index, String path) {
    for (int i = index + 1; i < layers.size(); i++) {
      LayerState s = layers.get(i);
      if (s.written.contains(path) || s.whiteouts.contains(path)) {
        return false;
      }
      for (String dir : parents(path)) {
        if (s.whiteouts.contains(dir) || s.opaqueDirs.contains(dir + "/")) {
          return false;
        }
      }
    }
    return true;
  }

  /** Resolves symlinks (absolute or relative, across layers) to the final path of a regular file; null on a loop. */
  public String resolve(String path) {
    String p = path;
    for (int hops = 0; hops < 40; hops++) {
      String target = null;
      for (int i = layers.size() - 1; i >= 0 && target == null; i--) {
        LayerState s = layers.get(i);
        if (s.symlinks.containsKey(p) && visible(i, p)) {
          target = s.symlinks.get(p);
        } else if (s.written.contains(p)) {
          return p;
        }
      }
      if (target == null) {
        return p;
      }
      String resolved = target.startsWith("/") ? target : (p.contains("/") ? p.substring(0, p.lastIndexOf('/') + 1) : "") + target;
      p = normalize(resolved);
      if (p == null) {
        return null;
      }
    }
    return null;
  }

  private static List<String> parents(String path) {
    List<String> out = new ArrayList<>();
    int i = path.indexOf('/');
    while (i > 0) {
      out.add(path.substring(0, i));
      i = path.indexOf('/', i + 1);
    }
    return out;
  }

  /**
   * The uncompressed bytes of one layer, counted against the layer's and the image's limit as they come out of the
   * decompressor (skipped bytes are inflated too, and counted). One addition per buffer.
   */
  private final class Uncompressed extends CountingInputStream {
    private final String which;
    private long count;

    Uncompressed(InputStream in, String which) {
      super(in);
      this.which = which;
    }

    @Override
    protected void counted(long n) throws LayerLimitException {
      count += n;
      inflated += n;
      if (count > limits.maxLayerBytes()) {
        throw new LayerLimitException(
            "The " + which + " inflates to more than " + LayerLimits.mib(limits.maxLayerBytes()) + ", the most one layer may have: the scan"
                + " stopped reading it (a compression bomb?), so the image is not checked.",
            "If the layer is genuine, raise " + LayerLimits.LAYER_PARAMETER + "; otherwise build from a base image you trust.");
      }
      if (inflated > limits.maxImageBytes()) {
        throw new LayerLimitException(
            "The layers of the image inflate to more than " + LayerLimits.mib(limits.maxImageBytes()) + ", the most one image may have; the scan"
                + " stopped in the " + which + ", so the image is not checked.",
            "If the image is genuinely that large, raise " + LayerLimits.IMAGE_PARAMETER + "; otherwise build from a base image you trust.");
      }
    }
  }

  /** Shields the tar stream from an analyzer's close(). */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
