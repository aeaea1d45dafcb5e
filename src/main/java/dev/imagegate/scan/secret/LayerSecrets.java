package dev.imagegate.scan.secret;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the secret detectors found in one layer: the unit the layer cache keeps per layer digest and rule set, so that a
 * warm scan of an unchanged layer reads none of its bytes again. Allow-listing is not part of it: it is applied to the
 * findings on every scan.
 *
 * @param digest the layer's digest (an entry names the layer it describes)
 * @param findings the secrets, in tar order then line (hashed, never the secret itself)
 * @param filesScanned text files searched
 * @param filesSkipped files not searched because their content is binary
 * @param tooLarge paths in the image of files over the size limit, not searched
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LayerSecrets(String digest, List<ImageSecret> findings, int filesScanned, int filesSkipped, List<String> tooLarge) {

  /** This layer's findings placed at a layer index of the image being scanned (the same layer may sit elsewhere in another image). */
  List<ImageSecret> at(String layerDigest, int layerIndex) {
    return findings.stream().map(s -> new ImageSecret(layerDigest, layerIndex, s.path(), s.line(), s.type(), s.hashedSecret())).toList();
  }
}
