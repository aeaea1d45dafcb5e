package dev.imagegate.scan.secret;

import dev.imagegate.scan.layer.CachedLayerAnalyzer;
import dev.imagegate.secrets.SecretFinding;
import dev.imagegate.secrets.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The secret detectors of {@code detect-secrets} ({@link SecretScanner}) as a plug-in of the scan's layer walk: every
 * regular file of the selected layers is read once as it streams by and scanned; findings keep the layer, the path in
 * the image, the line, the type and the secret's SHA-1, never the secret.
 *
 * <p>Skipped: files of layers not selected, archives and other formats known to be binary (by extension, so the bytes
 * are not even read), and binary content (the scanner's test: UTF-16 text and text after NUL padding are read). Files of
 * the selected layers larger than the scanner's limit (5 MiB) are not read either, but listed ({@link #tooLarge()}) for
 * the scan to name. Jars are not opened: Trivy does not look inside them either.
 *
 * <p>What a layer yields ({@link LayerSecrets}) is kept in the layer cache under the layer's digest and the
 * {@link #cacheVariant() rule set}: a warm scan of an unchanged layer reads none of its bytes again and reports the same
 * findings. The allow-list is not part of it (it is applied to the findings on every scan).
 *
 * <p>Used by one layer walk at a time (the walk is sequential); not thread-safe.
 */
public final class ImageSecretAnalyzer implements CachedLayerAnalyzer<LayerSecrets> {
  /** Extensions of formats that are binary (or compressed) by construction. */
  private static final Set<String> BINARY_EXTENSIONS = Set.of(
      "jar", "war", "ear", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "class", "so", "a", "o", "dll", "exe", "bin",
      "png", "jpg", "jpeg", "gif", "ico", "webp", "pdf", "woff", "woff2", "ttf", "otf", "jsa", "jmod", "deb", "pyc", "mo");

  /** The detectors, made when the first file is read (a scan whose layers the cache serves never loads them). */
  private SecretScanner scanner;
  private final long maxFileSize;
  private final IntPredicate layerSelected;
  /** Per layer index, what was found: read in this walk or restored from the layer cache. */
  private final Map<Integer, Layer> layers = new TreeMap<>();
  private int filesRead;

  /** What one layer yields, as it is being read. */
  private static final class Layer {
    final List<ImageSecret> findings = new ArrayList<>();
    final List<String> tooLarge = new ArrayList<>();
    int filesScanned;
    int filesSkipped;
  }

  /**
   * @param scanner the detectors
   * @param layerSelected which layer indexes to scan
   */
  public ImageSecretAnalyzer(SecretScanner scanner, IntPredicate layerSelected) {
    this.scanner = scanner;
    this.maxFileSize = scanner.maxFileSize();
    this.layerSelected = layerSelected;
  }

  /**
   * The default detectors ({@link SecretScanner#SecretScanner()}) over the selected layers, loaded only when a file is
   * read: their patterns take ~20 ms to load and compile, which a warm scan of cached layers does not need.
   */
  public static ImageSecretAnalyzer withDefaultDetectors(IntPredicate layerSelected) {
    return new ImageSecretAnalyzer(SecretScanner.DEFAULT_MAX_FILE_SIZE, layerSelected);
  }

  private ImageSecretAnalyzer(long maxFileSize, IntPredicate layerSelected) {
    this.maxFileSize = maxFileSize;
    this.layerSelected = layerSelected;
  }

  /**
   * Computes the rule set's fingerprint ({@link #cacheVariant()}) now, e.g. on a spare thread at a scan's start; a
   * scan that asks for it meanwhile waits for this computation instead of repeating it.
   */
  public static void warmUp() {
    SecretRules.fingerprint();
  }

  @Override
  public boolean accepts(String path, long size) {
    if (size <= 0) {
      return false;
    }
    // the layer index is not known here: analyze() drops files of unselected layers and lists files over the size
    // limit without reading them
    return !binaryByName(path);
  }

  @Override
  public boolean needsLayer(int layerIndex) {
    return layerSelected.test(layerIndex);
  }

  @Override
  public void analyze(LayerFile file, InputStream content) throws IOException {
    if (!layerSelected.test(file.layerIndex())) {
      return;
    }
    Layer layer = layers.computeIfAbsent(file.layerIndex(), i -> new Layer());
    if (file.size() > maxFileSize) {
      layer.tooLarge.add("/" + file.path());
      return;
    }
    filesRead++;
    byte[] bytes = content.readNBytes((int) Math.min(file.size(), maxFileSize));
    if (scanner == null) {
      scanner = new SecretScanner(maxFileSize);
    }
    SecretScanner.Outcome outcome = scanner.examine(file.path(), bytes); // probed once, as detect-secrets does
    if (outcome.skipped().isPresent()) {
      layer.filesSkipped++;
      return;
    }
    layer.filesScanned++;
    for (SecretFinding f : outcome.findings()) {
      layer.findings.add(new ImageSecret(file.layerDigest(), file.layerIndex(), "/" + file.path(), f.line(), f.type().label(), f.hashedSecret()));
    }
  }

  /**
   * {@code secrets-<rule set>-<size limit>}: the rule set is {@link SecretRules#fingerprint() the fingerprint of the
   * detectors' code}, so entries written by other detectors are never read; null (nothing cached) when it is unknown.
   */
  @Override
  public String cacheVariant() {
    return SecretRules.fingerprint().map(f -> "secrets-" + f + "-" + maxFileSize).orElse(null);
  }

  @Override
  public Class<LayerSecrets> resultType() {
    return LayerSecrets.class;
  }

  @Override
  public LayerSecrets layerResult(int layerIndex, String layerDigest) {
    Layer l = layers.getOrDefault(layerIndex, new Layer());
    return new LayerSecrets(layerDigest, List.copyOf(l.findings), l.filesScanned, l.filesSkipped, List.copyOf(l.tooLarge));
  }

  @Override
  public boolean complete(LayerSecrets result, String layerDigest) {
    return layerDigest.equals(result.digest()) && result.findings() != null && result.tooLarge() != null && !result.tooLarge().contains(null)
        && result.findings().stream().allMatch(s -> s != null && s.path() != null && s.type() != null && s.hashedSecret() != null)
        && result.filesScanned() >= 0 && result.filesSkipped() >= 0;
  }

  @Override
  public void restore(int layerIndex, String layerDigest, LayerSecrets result) {
    Layer l = new Layer();
    l.findings.addAll(result.at(layerDigest, layerIndex));
    l.tooLarge.addAll(result.tooLarge());
    l.filesScanned = result.filesScanned();
    l.filesSkipped = result.filesSkipped();
    layers.put(layerIndex, l);
  }

  static boolean binaryByName(String path) {
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') && BINARY_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** What was found, in walk order (layer, then tar order, then line). */
  public List<ImageSecret> findings() {
    return layers.values().stream().flatMap(l -> l.findings.stream()).toList();
  }

  /** Text files searched (in this walk or, for layers served by the layer cache, when the entry was written). */
  public int filesScanned() {
    return layers.values().stream().mapToInt(l -> l.filesScanned).sum();
  }

  /** Files whose content this walk read (layers served by the layer cache add none). */
  public int filesRead() {
    return filesRead;
  }

  /** Content longer than this many bytes is not searched. */
  public long maxFileSize() {
    return maxFileSize;
  }

  /** Files of the selected layers not searched because they are over the scanner's size limit: their paths in the image. */
  public List<String> tooLarge() {
    return layers.values().stream().flatMap(l -> l.tooLarge.stream()).toList();
  }

  /** Files of the selected layers not scanned because their content is binary. */
  public int filesSkipped() {
    return layers.values().stream().mapToInt(l -> l.filesSkipped).sum();
  }
}
