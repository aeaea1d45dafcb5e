package dev.imagegate.scan.secret;

import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.secrets.SecretFinding;
import dev.imagegate.secrets.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * <p>Used by one layer walk at a time (the walk is sequential); not thread-safe.
 */
public final class ImageSecretAnalyzer implements LayerFileAnalyzer {
  /** Extensions of formats that are binary (or compressed) by construction. */
  private static final Set<String> BINARY_EXTENSIONS = Set.of(
      "jar", "war", "ear", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "class", "so", "a", "o", "dll", "exe", "bin",
      "png", "jpg", "jpeg", "gif", "ico", "webp", "pdf", "woff", "woff2", "ttf", "otf", "jsa", "jmod", "deb", "pyc", "mo");

  private final SecretScanner scanner;
  private final IntPredicate layerSelected;
  private final List<ImageSecret> findings = new ArrayList<>();
  private int filesScanned;
  private int filesSkipped;
  private final List<String> tooLarge = new ArrayList<>();

  /**
   * @param scanner the detectors
   * @param layerSelected which layer indexes to scan
   */
  public ImageSecretAnalyzer(SecretScanner scanner, IntPredicate layerSelected) {
    this.scanner = scanner;
    this.layerSelected = layerSelected;
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
    if (file.size() > scanner.maxFileSize()) {
      tooLarge.add("/" + file.path());
      return;
    }
    byte[] bytes = content.readNBytes((int) Math.min(file.size(), scanner.maxFileSize()));
    if (scanner.skipReason(bytes, bytes.length).isPresent()) {
      filesSkipped++;
      return;
    }
    filesScanned++;
    for (SecretFinding f : scanner.scan(file.path(), bytes)) {
      findings.add(new ImageSecret(file.layerDigest(), file.layerIndex(), "/" + file.path(), f.line(), f.type().label(), f.hashedSecret()));
    }
  }

  static boolean binaryByName(String path) {
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') && BINARY_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** What was found, in walk order (layer, then tar order, then line). */
  public List<ImageSecret> findings() {
    return List.copyOf(findings);
  }

  public int filesScanned() {
    return filesScanned;
  }

  /** Content longer than this many bytes is not searched. */
  public long maxFileSize() {
    return scanner.maxFileSize();
  }

  /** Files of the selected layers not searched because they are over the scanner's size limit: their paths in the image. */
  public List<String> tooLarge() {
    return List.copyOf(tooLarge);
  }

  /** Files of the selected layers not scanned because their content is binary. */
  public int filesSkipped() {
    return filesSkipped;
  }
}
