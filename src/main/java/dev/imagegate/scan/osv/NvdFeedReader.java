package dev.imagegate.scan.osv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiConsumer;

/**
 * Reads an NVD CVE JSON 2.0 feed ({@code nvdcve-2.0-<year>.json}, the schema of NVD's CVE API 2.0) one
 * {@code vulnerabilities[]} element at a time, and hands each CVE's {@link NvdCvss} on; nothing else of a record is kept.
 */
final class NvdFeedReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NVD = "nvd@nist.gov";

  /** Counts of one feed. */
  record Counts(int records, int unparsable) {}

  private NvdFeedReader() {}

  /** Reads the feed; {@code sink} gets each CVE id with its vectors (records without a CVSS metric are counted, not passed on). */
  static Counts read(InputStream in, BiConsumer<String, NvdCvss> sink) throws IOException {
    int records = 0;
    int unparsable = 0;
    try (JsonParser p = new JsonFactory(JSON).createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an NVD JSON feed (no top-level object)");
      }
      boolean sawList = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("vulnerabilities") || value != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        sawList = true;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          JsonNode item = p.readValueAsTree();
          JsonNode cve = item.path("cve");
          String id = cve.path("id").asText("");
          if (!id.startsWith("CVE-")) {
            unparsable++;
            continue;
          }
          records++;
          JsonNode metrics = cve.path("metrics");
          String v3 = vector(metrics, "cvssMetricV31", "cvssMetricV30");
          String v2 = vector(metrics, "cvssMetricV2");
          if (v3 != null || v2 != null) {
            sink.accept(id, new NvdCvss(v3, v2));
          }
        }
      }
      if (!sawList) {
        throw new IOException("not an NVD JSON 2.0 feed (no vulnerabilities[])");
      }
    }
    return new Counts(records, unparsable);
  }

  /** NVD's own vector in the metric lists (in this order), else the first one listed. */
  private static String vector(JsonNode metrics, String... lists) {
    String first = null;
    for (String list : lists) {
      for (JsonNode m : metrics.path(list)) {
        String v = m.path("cvssData").path("vectorString").asText(null);
        if (v == null) {
          continue;
        }
        if (NVD.equals(m.path("source").asText())) {
          return v;
        }
        if (first == null) {
          first = v;
        }
      }
    }
    return first;
  }
}
