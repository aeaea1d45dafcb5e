package dev.imagegate.scan.layer;

/**
 * A {@link LayerFileAnalyzer} whose findings in a layer depend only on that layer's bytes and on the analyzer's own
 * settings: what it found in a layer is kept in the {@link LayerCache} under the layer's digest, and a later scan of the
 * same layer takes it from there instead of reading the layer again.
 *
 * <p>The scan stores a layer's result only when the analyzer {@link #needsLayer needed} the layer, read it whole, and
 * the layer's bytes matched their digest. A stored result that is damaged, of another {@link #cacheVariant variant} or
 * not {@link #complete complete} is never used: the layer is read again.
 *
 * @param <R> what one layer yields, as a JSON-serializable record
 */
public interface CachedLayerAnalyzer<R> extends LayerFileAnalyzer {

  /**
   * Everything the findings depend on besides the layer's bytes (the rule set, the limits), as a file-name-safe prefix
   * of the cache entries ({@code [A-Za-z0-9-]}); entries of another variant are never read. Null: nothing is cached.
   */
  String cacheVariant();

  /** The type of a layer's result, to read stored results back. */
  Class<R> resultType();

  /** What this analyzer found in the layer with this index and digest, which it read in this walk (the result names the digest). */
  R layerResult(int layerIndex, String layerDigest);

  /**
   * Whether a result read back is this layer's (it names the digest) and has every part (an entry cut short or written
   * by hand may parse yet lack some).
   */
  boolean complete(R result, String layerDigest);

  /** Takes the stored result of a layer that is not read in this walk, as if the layer had been read. */
  void restore(int layerIndex, String layerDigest, R result);
}
