package dev.imagegate.scan.osv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether an imported update may replace the database in use: every source asked for (each OSV ecosystem, each
 * NVD feed) has records; no more than a small share of a source's records failed to parse; and no source shrank below
 * the allowed share of what the database in use holds for it. The counts are kept in the index's {@code meta.json}
 * ({@code records.<source>}) so the next update can be compared with this one.
 */
final class UpdatePlausibility {
  static final String RECORDS = "records.";

  private UpdatePlausibility() {}

  /** Throws with every reason the update is not plausible; {@code inUse} is the meta of the database in use, or empty. */
  static void check(List<OsvImporter.SourceCount> update, Map<String, String> inUse, UpdateLimits limits) throws ImplausibleUpdateException {
    List<String> reasons = new ArrayList<>();
    for (OsvImporter.SourceCount c : update) {
      int seen = c.records() + c.unparsable();
      if (c.unparsable() > 0 && c.unparsable() > seen * limits.maxUnparsableShare()) {
        reasons.add(String.format(Locale.ROOT, "%d of %d %s records could not be parsed (at most %s%% may fail)", c.unparsable(), seen, c.source(),
            percent(limits.maxUnparsableShare())));
      } else if (c.records() == 0) {
        reasons.add(c.source() + " has no records");
      }
      String before = inUse.get(RECORDS + c.source());
      if (before != null && c.records() > 0) {
        long old = Long.parseLong(before);
        if (c.records() < old * limits.minRecordShare()) {
          reasons.add(String.format(Locale.ROOT, "%s has %d records, fewer than %s%% of the %d in the database in use (imagegate.scan.minRecordPercent)",
              c.source(), c.records(), percent(limits.minRecordShare()), old));
        }
      }
    }
    if (!reasons.isEmpty()) {
      throw new ImplausibleUpdateException(String.join("; ", reasons));
    }
  }

  /** The counts as {@code meta.json} entries. */
  static Map<String, String> meta(List<OsvImporter.SourceCount> update) {
    Map<String, String> m = new LinkedHashMap<>();
    for (OsvImporter.SourceCount c : update) {
      m.put(RECORDS + c.source(), Integer.toString(c.records()));
    }
    return m;
  }

  /** The record counts {@code meta.json} holds, by source (empty for a database written before they were kept). */
  static Map<String, Integer> counts(Map<String, String> meta) {
    Map<String, Integer> m = new LinkedHashMap<>();
    meta.forEach((k, v) -> {
      if (k.startsWith(RECORDS)) {
        m.put(k.substring(RECORDS.length()), Integer.valueOf(v));
      }
    });
    return m;
  }

  private static String percent(double share) {
    double p = share * 100;
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }
}
