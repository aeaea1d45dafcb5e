package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What an attestation claims, apart from when it was made: a re-run of {@code mvn deploy} on the same commit scans
 * again and writes new timestamps into the SBOM and the scan result, but claims the same thing, so it must not add
 * another attestation. Two statements say the same when they are equal once these run-time fields are removed from
 * their predicates; any other difference (a new finding, another database) is new content and is attested.
 */
final class PredicateContent {
  /** JSON pointers, per predicate type, of fields that only say when the predicate was made. */
  private static final Map<String, List<String>> RUN_TIME_FIELDS = Map.of(
      InTotoStatement.CYCLONEDX, List.of("/metadata/timestamp"),
      InTotoStatement.VULN, List.of("/metadata/scanStartedOn", "/metadata/scanFinishedOn", "/scanner/result/scannedAt"));

  private PredicateContent() {}

  /** Whether two in-toto statements name the same predicate type, subjects and predicate content. */
  static boolean same(JsonNode statement, JsonNode other) {
    return comparable(statement).equals(comparable(other));
  }

  private static JsonNode comparable(JsonNode statement) {
    JsonNode copy = statement.deepCopy();
    JsonNode predicate = copy.path("predicate");
    for (String pointer : RUN_TIME_FIELDS.getOrDefault(copy.path("predicateType").asText(""), List.of())) {
      int slash = pointer.lastIndexOf('/');
      JsonNode parent = predicate.at(pointer.substring(0, slash));
      if (parent instanceof ObjectNode o) {
        o.remove(pointer.substring(slash + 1));
      }
    }
    return copy;
  }
}
