package dev.imagegate.scan.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code sbom.cdx.json} as a later goal reads it: the CycloneDX document {@link CycloneDxWriter} wrote, and the image
 * it describes (its metadata component's {@code bom-ref}, the image digest).
 *
 * @param digest the image digest the SBOM is about
 * @param document the whole CycloneDX JSON document
 */
public record Sbom(String digest, JsonNode document) implements HandoverRecord {
  public static final HandoverFile FILE = HandoverFile.SBOM;

  /** Reads sbom.cdx.json of the image {@code digest} when there is one; one of another image is refused. */
  public static Optional<Sbom> readIfPresent(Path outputDirectory, String digest) throws HandoverException {
    return FILE.readIfPresent(outputDirectory, digest, Sbom::parse);
  }

  static Sbom parse(byte[] content) throws java.io.IOException {
    JsonNode document = HandoverFile.json().readTree(content);
    JsonNode component = document.path("metadata").path("component");
    String digest = component.path("bom-ref").asText(component.path("version").asText(""));
    return new Sbom(digest, document);
  }
}
