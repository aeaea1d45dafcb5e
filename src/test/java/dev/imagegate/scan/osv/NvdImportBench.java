package dev.imagegate.scan.osv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How fast an NVD JSON 2.0 feed is read (no network here, so the real feeds cannot be timed): builds a feed of N
 * records shaped like the shipped real one ({@code src/test/resources/nvd}), each renumbered and padded with a
 * description and references of typical length (about 2 KB a record, as full NVD records carry), gzips it, and times
 * inflating and reading it. Run: {@code java -cp target/classes:target/test-classes:<deps> dev.imagegate.scan.osv.NvdImportBench 40000}.
 */
public final class NvdImportBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    ObjectMapper json = new ObjectMapper();
    ObjectNode template = (ObjectNode) json.readTree(Path.of("src/test/resources/nvd/nvdcve-2.0-2023.json").toFile()).path("vulnerabilities").get(0);
    Path gz = Files.createTempFile("nvd-bench", ".json.gz");
    try {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
        out.write("{\"format\":\"NVD_CVE\",\"version\":\"2.0\",\"vulnerabilities\":[".getBytes());
        for (int i = 0; i < n; i++) {
          ObjectNode v = template.deepCopy();
          ObjectNode cve = (ObjectNode) v.path("cve");
          cve.put("id", "CVE-2099-" + (10000 + i));
          cve.putArray("descriptions").addObject().put("lang", "en").put("value", ("padding text " + i + " ").repeat(60));
          ArrayNode refs = cve.putArray("references");
          for (int r = 0; r < 8; r++) {
            refs.addObject().put("url", "https://example.invalid/advisory/" + i + "/" + r).put("source", "cve@mitre.org");
          }
          if (i > 0) {
            out.write(',');
          }
          out.write(json.writeValueAsBytes(v));
        }
        out.write("]}".getBytes());
      }
      long inflated = 0;
      long t0 = System.nanoTime();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = in.read(buf)) > 0) {
          inflated += r;
        }
      }
      long t1 = System.nanoTime();
      AtomicInteger scored = new AtomicInteger();
      NvdFeedReader.Counts c;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
        c = NvdFeedReader.read(in, (id, cvss) -> scored.incrementAndGet());
      }
      long t2 = System.nanoTime();
      System.out.printf(Locale.ROOT, "records=%d scored=%d gz=%.1f MB json=%.1f MB gunzip=%.2f s read(gunzip+parse)=%.2f s (%.0f MB/s of JSON)%n",
          c.records(), scored.get(), Files.size(gz) / 1e6, inflated / 1e6, (t1 - t0) / 1e9, (t2 - t1) / 1e9, inflated / 1e6 / ((t2 - t1) / 1e9));
    } finally {
      Files.deleteIfExists(gz);
    }
  }
}
