package dev.imagegate.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.HandoverFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A handover file as JSON, when it is there, readable, and about the image {@code image.json} names. */
final class HandoverJson {
  private HandoverJson() {}

  static Optional<JsonNode> read(Path outputDirectory, HandoverFile file) {
    Optional<JsonNode> node = tree(outputDirectory, file);
    if (file == HandoverFile.IMAGE || node.isEmpty()) {
      return node;
    }
    String digest = tree(outputDirectory, HandoverFile.IMAGE).map(i -> i.path("digest").asText(null)).orElse(null);
    boolean other = digest != null && node.get().hasNonNull("digest") && !digest.equals(node.get().path("digest").asText());
    return other ? Optional.empty() : node;
  }

  private static Optional<JsonNode> tree(Path outputDirectory, HandoverFile file) {
    Path path = file.in(outputDirectory);
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    try {
      return Optional.of(HandoverFile.json().readTree(path.toFile()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The strings of a JSON array. */
  static java.util.List<String> texts(JsonNode array) {
    java.util.List<String> list = new java.util.ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
