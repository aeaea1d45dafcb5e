package dev.imagegate.scan.layer;

import java.io.IOException;
import java.io.InputStream;

/**
 * A plug-in of the layer walk: it sees each regular file of each layer once, as the layer is streamed (nothing is
 * extracted to disk). The inventory analyzers implement it; a secrets detector can be plugged in the same way.
 *
 * <p>Paths are relative to the image root, normalized, without a leading slash ({@code app/libs/x.jar}). Files are
 * seen per layer, lowest layer first; a file overridden or deleted by a later layer is still seen in its own layer
 * (an analyzer that cares asks {@link LayerWalk#visible} after the walk).
 */
public interface LayerFileAnalyzer {

  /** Whether this analyzer wants the content of this file; only then is {@link #analyze} called. Must be cheap. */
  boolean accepts(String path, long size);

  /**
   * Reads one file. The stream is positioned on the file's content and must not be closed by the analyzer; it may be
   * read partially. Throwing {@link IOException} aborts the walk (use it only for unreadable layers). A metadata file
   * read whole goes through {@link LayerLimits#readMetadata}, which fails the scan for a file over the limit.
   */
  void analyze(LayerFile file, InputStream content) throws IOException;

  /**
   * Whether this analyzer needs the files of the layer with this index (0 = lowest). A layer no analyzer needs may be
   * served from the inventory's layer cache instead of being read. Default: every layer.
   */
  default boolean needsLayer(int layerIndex) {
    return true;
  }

  /** A regular file in a layer. */
  record LayerFile(String layerDigest, int layerIndex, String path, long size) {}
}
