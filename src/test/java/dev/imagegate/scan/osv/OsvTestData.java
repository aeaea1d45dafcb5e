package dev.imagegate.scan.osv;

import dev.imagegate.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The shipped real OSV records (src/test/resources/osv) and their zips (src/test/resources/osv-zips). */
public final class OsvTestData {
  public static final Path JSON_DIR = Path.of("src/test/resources/osv");
  public static final Path ZIP_DIR = Path.of("src/test/resources/osv-zips");

  private OsvTestData() {}

  /** An index of every shipped record, built from the JSON sources. */
  public static OsvIndex index(Path dir) throws IOException {
    OsvImporter importer = new OsvImporter(Reporter.SILENT);
    for (String eco : List.of("Maven", "Debian", "GIT", "Ubuntu", "Alpine")) {
      try (Stream<Path> s = Files.list(JSON_DIR.resolve(eco))) {
        for (Path p : s.sorted().toList()) {
          importer.addRecord(p.toString(), Files.readAllBytes(p));
        }
      }
    }
    importer.write(dir, Map.of("updatedAt", "2026-01-01T00:00:00Z", "source", "test"));
    return OsvIndex.open(dir);
  }
}
