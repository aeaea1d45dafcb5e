package dev.imagegate.scan.layer;

import java.io.IOException;
import java.io.InputStream;

/**
 * How much work hostile image bytes may cause: the uncompressed bytes of one layer and of all the layers a scan
 * inflates, and the size of one metadata file (dpkg status, md5sums, os-release, apk {@code installed}…) that an
 * analyzer reads whole. Past a limit the scan fails, naming the layer and the parameter that raises the limit: what
 * was not read was not checked.
 *
 * @param maxLayerBytes uncompressed bytes of one layer (the tar stream)
 * @param maxImageBytes uncompressed bytes of all the layers one scan reads (layers served by the layer cache are not
 *     inflated and do not count)
 * @param maxMetadataFileBytes size of one metadata file read whole
 */
public record LayerLimits(long maxLayerBytes, long maxImageBytes, long maxMetadataFileBytes) {
  private static final long MIB = 1L << 20;

  /** 4 GiB per layer, 16 GiB per image, 16 MiB per metadata file: far above a Java service image. */
  public static final LayerLimits DEFAULT = ofMegabytes(4096, 16384, 16);

  /** The parameters and properties that raise each limit, for the error messages. */
  public static final String LAYER_PARAMETER = "<maxLayerMegabytes> (imagegate.scan.maxLayerMegabytes)";

  public static final String IMAGE_PARAMETER = "<maxImageMegabytes> (imagegate.scan.maxImageMegabytes)";

  public static final String METADATA_PARAMETER = "<maxMetadataFileMegabytes> (imagegate.scan.maxMetadataFileMegabytes)";

  public LayerLimits {
    if (maxLayerBytes <= 0 || maxImageBytes <= 0 || maxMetadataFileBytes <= 0) {
      throw new IllegalArgumentException("scan limits must be positive: " + maxLayerBytes + ", " + maxImageBytes + ", " + maxMetadataFileBytes);
    }
  }

  /** The limits in MiB, as the scan goal's parameters give them. */
  public static LayerLimits ofMegabytes(long layer, long image, long metadataFile) {
    return new LayerLimits(layer * MIB, image * MIB, metadataFile * MIB);
  }

  /**
   * Reads a metadata file of a layer whole, after checking its size (the tar header's, which bounds the stream)
   * against {@link #maxMetadataFileBytes}: nothing of an oversized file is read.
   *
   * @throws LayerLimitException when the file is over the limit (the walk turns it into a scan failure)
   */
  public byte[] readMetadata(LayerFileAnalyzer.LayerFile file, InputStream content) throws IOException {
    if (file.size() > maxMetadataFileBytes) {
      throw new LayerLimitException(
          "/" + file.path() + " in layer " + (file.layerIndex() + 1) + " (" + file.layerDigest() + ") is " + mib(file.size())
              + ", over the " + mib(maxMetadataFileBytes) + " a metadata file may have: it was not read, so its packages are not checked.",
          "If the file is genuine, raise " + METADATA_PARAMETER + "; otherwise build from a base image you trust.");
    }
    return content.readNBytes((int) file.size());
  }

  /** A size for people: {@code 60.0 MiB (62914560 bytes)}. */
  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB (%d bytes)", bytes / (double) MIB, bytes);
  }
}
