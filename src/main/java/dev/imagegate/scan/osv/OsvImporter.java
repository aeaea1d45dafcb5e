package dev.imagegate.scan.osv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.Reporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Imports OSV {@code all.zip} files into an {@link OsvIndex}: each record's {@code affected[]} entries for the
 * ecosystems scanned ({@code Debian:<release>}, {@code Ubuntu:<release>}, {@code Alpine:v<release>} and {@code Maven}) go under {@code <ecosystem>/<package>}; every
 * record's severity (CVSS vectors, GHSA severity) goes under {@code sev/<id>} for each of its ids and aliases, so a
 * record without a score can borrow one from another source about the same CVE. Withdrawn records are skipped.
 * NVD feeds add each CVE's NVD CVSS vectors under {@code nvd/<CVE>}. A malformed record is counted per source and
 * reported; whether the counts make a plausible database is the caller's decision ({@link UpdatePlausibility}).
 */
public final class OsvImporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_RECORD_BYTES = 8L << 20;

  /** What an import did. */
  public record Result(int records, int skippedMalformed, int keys) {}

  /** What one source (an ecosystem's {@code all.zip}, an NVD feed) held: records read and records that did not parse. */
  public record SourceCount(String source, int records, int unparsable) {}

  private final Map<String, List<byte[]>> byKey = new HashMap<>();
  private final Map<String, Sev> sev = new HashMap<>();
  private final Map<String, NvdCvss> nvd = new HashMap<>();
  /** The CVE ids the imported advisories are about: the only ones whose NVD vectors are kept. */
  private final Set<String> referencedCves = new HashSet<>();
  /** One copy of each distinct vector string (a few thousand distinct vectors rate hundreds of thousands of CVEs). */
  private final Map<String, String> vectors = new HashMap<>();
  private int records;
  private int malformed;
  private final Reporter reporter;

  public OsvImporter(Reporter reporter) {
    this.reporter = reporter;
  }

  /** Severity known for an id, from any source. */
  public record Sev(List<String> cvss, String ghsa) {}

  /** Adds every record of a zip, within the default limits. */
  public void addZip(Path zip) throws IOException {
    addZip(zip, zip.getFileName().toString(), new InflationGuard(UpdateLimits.DEFAULT));
  }

  /** Adds every record of the zip of {@code source}; every inflated byte counts against {@code guard}. */
  SourceCount addZip(Path zip, String source, InflationGuard guard) throws IOException {
    int recordsBefore = records;
    int malformedBefore = malformed;
    InflationGuard.Archive archive = guard.archive(source + "/all.zip", Files.size(zip));
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zf.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        guard.checkTime("reading " + archive.name());
        if (entry.isDirectory() || !entry.getName().endsWith(".json")) {
          continue;
        }
        try (InputStream in = archive.wrap(zf.getInputStream(entry))) {
          byte[] data = in.readNBytes((int) MAX_RECORD_BYTES + 1);
          if (data.length > MAX_RECORD_BYTES) {
            malformed(entry.getName(), "larger than " + MAX_RECORD_BYTES + " bytes");
            continue;
          }
          addRecord(entry.getName(), data);
        }
      }
    }
    return new SourceCount(source, records - recordsBefore, malformed - malformedBefore);
  }

  /**
   * Adds the CVSS vectors of a gzipped NVD JSON 2.0 feed, counted as source {@code source}; only the vectors of CVEs the
   * advisories already added are about are kept, so add the OSV zips first.
   */
  SourceCount addNvdFeed(Path gz, String source, InflationGuard guard) throws IOException {
    InflationGuard.Archive archive = guard.archive(gz.getFileName().toString(), Files.size(gz));
    try (InputStream in = archive.wrap(new GZIPInputStream(Files.newInputStream(gz), 1 << 16))) {
      NvdFeedReader.Counts c = NvdFeedReader.read(in, (id, cvss) -> {
        if (referencedCves.contains(id)) {
          nvd.put(id, new NvdCvss(shared(cvss.v3()), shared(cvss.v2())));
        }
      });
      if (c.unparsable() > 0) {
        reporter.warn("Skipped " + c.unparsable() + " NVD records without a CVE id in " + gz.getFileName());
      }
      return new SourceCount(source, c.records(), c.unparsable());
    }
  }

  /** Adds one record (its JSON bytes). */
  public void addRecord(String where, byte[] json) {
    JsonNode r;
    try {
      r = JSON.readTree(json);
    } catch (IOException e) {
      malformed(where, "not JSON: " + e.getMessage());
      return;
    }
    if (r == null || !r.isObject() || !r.path("id").isTextual()) {
      malformed(where, "no id");
      return;
    }
    if (r.hasNonNull("withdrawn")) {
      return;
    }
    records++;
    String id = r.path("id").asText();
    Set<String> aliases = new LinkedHashSet<>();
    r.path("aliases").forEach(a -> aliases.add(a.asText()));
    r.path("upstream").forEach(a -> aliases.add(a.asText()));
    aliases.remove(id);
    List<String> cvss = new ArrayList<>();
    r.path("severity").forEach(s -> {
      if (s.path("type").asText("").startsWith("CVSS_V") && s.path("score").isTextual()) {
        cvss.add(s.path("score").asText());
      }
    });
    String ghsa = r.path("database_specific").path("severity").isTextual() ? r.path("database_specific").path("severity").asText() : null;
    String summary = r.path("summary").asText("");
    if (summary.isEmpty()) {
      summary = r.path("details").asText("").lines().findFirst().orElse("");
    }
    if (summary.length() > 200) {
      summary = summary.substring(0, 200);
    }
    if (!cvss.isEmpty() || ghsa != null) {
      for (String k : concat(id, aliases)) {
        sev.merge(k, new Sev(cvss, ghsa), (a, b) -> {
          List<String> v = new ArrayList<>(a.cvss());
          b.cvss().stream().filter(x -> !v.contains(x)).forEach(v::add);
          return new Sev(v, a.ghsa() != null ? a.ghsa() : b.ghsa());
        });
      }
    }
    JsonNode affected = r.path("affected");
    if (!affected.isArray()) {
      return;
    }
    for (JsonNode a : affected) {
      String eco = a.path("package").path("ecosystem").asText("");
      String name = a.path("package").path("name").asText("");
      if (name.isEmpty() || !scanned(eco)) {
        continue;
      }
      List<Advisory.Range> ranges = new ArrayList<>();
      for (JsonNode range : a.path("ranges")) {
        String type = range.path("type").asText("");
        if (!type.equals("ECOSYSTEM") && !type.equals("SEMVER")) {
          continue;
        }
        List<Advisory.Event> events = new ArrayList<>();
        for (JsonNode ev : range.path("events")) {
          for (String kind : List.of("introduced", "fixed", "last_affected")) {
            if (ev.path(kind).isTextual()) {
              events.add(new Advisory.Event(kind, ev.path(kind).asText()));
            }
          }
        }
        ranges.add(new Advisory.Range(type, events));
      }
      List<String> versions = new ArrayList<>();
      a.path("versions").forEach(v -> versions.add(v.asText()));
      String vendor = ghsa;
      if (eco.startsWith("Debian:")) {
        JsonNode urgency = a.path("ecosystem_specific").path("urgency");
        vendor = urgency.isTextual() ? urgency.asText() : null;
      } else if (eco.startsWith("Ubuntu:")) {
        vendor = ubuntuPriority(r, a);
      } else if (eco.startsWith("Alpine:")) {
        vendor = null; // Alpine's secdb rates nothing: the CVSS vectors decide
      }
      Advisory adv = new Advisory(id, new ArrayList<>(aliases), summary, cvss, vendor, ranges, versions);
      referencedCves.add(adv.primaryId());
      try {
        byKey.computeIfAbsent(eco + "/" + name, k -> new ArrayList<>()).add(JSON.writeValueAsBytes(adv));
      } catch (JsonProcessingException e) {
        malformed(where, e.getMessage());
      }
    }
  }

  private String shared(String vector) {
    return vector == null ? null : vectors.computeIfAbsent(vector, v -> v);
  }

  /**
   * The ecosystems whose records are kept: {@code Maven}, {@code Debian:<release>}, {@code Ubuntu:<release>[:LTS]} (not
   * the {@code Ubuntu:Pro:…} ones, which need a subscription's packages) and {@code Alpine:v<release>}.
   */
  static boolean scanned(String ecosystem) {
    return ecosystem.equals("Maven") || ecosystem.startsWith("Debian:") || ecosystem.startsWith("Alpine:")
        || (ecosystem.startsWith("Ubuntu:") && !ecosystem.startsWith("Ubuntu:Pro:"));
  }

  /** Ubuntu's priority: {@code ecosystem_specific.ubuntu_priority}, else the record's {@code severity[type=Ubuntu]}. */
  private static String ubuntuPriority(JsonNode record, JsonNode affected) {
    JsonNode p = affected.path("ecosystem_specific").path("ubuntu_priority");
    if (p.isTextual()) {
      return p.asText();
    }
    for (JsonNode s : record.path("severity")) {
      if (s.path("type").asText("").equals("Ubuntu") && s.path("score").isTextual()) {
        return s.path("score").asText();
      }
    }
    return null;
  }

  private static List<String> concat(String id, Set<String> aliases) {
    List<String> out = new ArrayList<>();
    out.add(id);
    out.addAll(aliases);
    return out;
  }

  private void malformed(String where, String why) {
    malformed++;
    if (malformed <= 5) {
      reporter.warn("Skipping malformed OSV record " + where + ": " + why);
    }
  }

  /** Writes the index into {@code dir} (which must be empty or absent). */
  public Result write(Path dir, Map<String, String> meta) throws IOException {
    TreeMap<String, byte[]> entries = new TreeMap<>();
    for (Map.Entry<String, List<byte[]>> e : byKey.entrySet()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write('[');
      boolean first = true;
      for (byte[] b : e.getValue()) {
        if (!first) {
          out.write(',');
        }
        out.write(b);
        first = false;
      }
      out.write(']');
      entries.put(e.getKey(), out.toByteArray());
    }
    for (Map.Entry<String, Sev> e : sev.entrySet()) {
      entries.put("sev/" + e.getKey(), JSON.writeValueAsBytes(e.getValue()));
    }
    for (Map.Entry<String, NvdCvss> e : nvd.entrySet()) {
      entries.put("nvd/" + e.getKey(), JSON.writeValueAsBytes(e.getValue()));
    }
    if (malformed > 5) {
      reporter.warn("Skipped " + malformed + " malformed OSV records in all.");
    }
    OsvIndex.write(dir, entries, meta);
    return new Result(records, malformed, byKey.size());
  }
}
