package dev.imagegate.scan.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.imagegate.AtomicWrite;
import dev.imagegate.github.SourceLocation;
import dev.imagegate.github.SourceLocations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scan.sarif}: SARIF 2.1.0 as GitHub code scanning accepts it: one rule per vulnerability (id, short and full
 * description, help, {@code security-severity}), one result per finding with a message, one location in the repository
 * that GitHub can show (the {@code pom.xml} line declaring a Maven package, the base image line for an operating-system
 * package, the source file of a file of the image; {@code uriBaseId} {@code %SRCROOT%}) and the package's path in the
 * image as a related location ({@code ROOTPATH}).
 */
public final class SarifWriter {
  public static final String FILE_NAME = "scan.sarif";
  /** jackson-core only: the report is streamed, no data binding (whose first use in a fresh JVM costs more than the report). */
  private static final JsonFactory JSON = new JsonFactory();

  private SarifWriter() {}

  /** Writes scan.sarif with every result located at line 1 of {@code pom.xml}. */
  public static void write(Path directory, ScanReport report, String toolVersion) throws IOException {
    write(directory, report, toolVersion, SourceLocations.NONE);
  }

  /**
   * Writes scan.sarif, streamed (a large scan's findings are never held as a JSON tree): the rules first, then the
   * results, in the order of the report's findings and then its blocking secrets.
   *
   * @param sources the repository lines the results point at
   */
  public static void write(Path directory, ScanReport report, String toolVersion, SourceLocations sources) throws IOException {
    AtomicWrite.replace(directory.resolve(FILE_NAME), out -> {
      try (JsonGenerator g = JSON.createGenerator(out)) {
        g.useDefaultPrettyPrinter();
        write(g, report, toolVersion, sources);
      }
    });
  }

  private static void write(JsonGenerator g, ScanReport report, String toolVersion, SourceLocations sources) throws IOException {
    g.writeStartObject();
    g.writeStringField("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    g.writeStringField("version", "2.1.0");
    g.writeArrayFieldStart("runs");
    g.writeStartObject();
    g.writeObjectFieldStart("tool");
    g.writeObjectFieldStart("driver");
    g.writeStringField("name", "imagegate");
    g.writeStringField("fullName", "imagegate-maven-plugin scan");
    g.writeStringField("version", toolVersion);
    g.writeStringField("informationUri", "https://imagegate.dev/scan.html");
    g.writeArrayFieldStart("rules");
    Map<String, Integer> ruleIndex = new HashMap<>();
    List<ScanReport.SecretEntry> secrets = blockingSecrets(report);
    for (ScanReport.FindingEntry f : report.findings()) {
      if (ruleIndex.putIfAbsent(f.id(), ruleIndex.size()) == null) {
        writeRule(g, f);
      }
    }
    for (ScanReport.SecretEntry s : secrets) {
      String id = secretRuleId(s);
      if (ruleIndex.putIfAbsent(id, ruleIndex.size()) == null) {
        writeSecretRule(g, id, s);
      }
    }
    g.writeEndArray();
    g.writeEndObject(); // driver
    g.writeEndObject(); // tool
    g.writeArrayFieldStart("results");
    for (ScanReport.FindingEntry f : report.findings()) {
      g.writeStartObject();
      g.writeStringField("ruleId", f.id());
      g.writeNumberField("ruleIndex", ruleIndex.get(f.id()));
      g.writeStringField("level", level(f.severity()));
      // concatenated, not String.format: one message per finding, and formatting parses its pattern every time
      writeText(g, "message", "Package: " + f.packageName() + "\nInstalled Version: " + f.installed() + "\nVulnerability " + f.id()
          + "\nSeverity: " + f.severity() + "\nFixed Version: " + (f.fixed() == null ? "none" : f.fixed()) + "\nImage: " + report.digest());
      String path = f.paths() == null || f.paths().isEmpty() ? "image" : f.paths().get(0).replace('!', '/');
      locate(g, sources.ofPackage(f.ecosystem(), f.packageName()), path, 1, f.packageName() + " " + f.installed() + " in the image");
      g.writeEndObject();
    }
    for (ScanReport.SecretEntry s : secrets) {
      String id = secretRuleId(s);
      g.writeStartObject();
      g.writeStringField("ruleId", id);
      g.writeNumberField("ruleIndex", ruleIndex.get(id));
      g.writeStringField("level", "error");
      writeText(g, "message", String.format(Locale.ROOT,
          "Secret: %s\nPath: %s\nLine: %d\nLayer: %s\nHashed secret (SHA-1): %s\nImage: %s",
          s.type(), s.path(), s.line(), s.layer(), s.hashedSecret(), report.digest()));
      g.writeObjectFieldStart("partialFingerprints");
      g.writeStringField("hashedSecret/v1", s.hashedSecret());
      g.writeEndObject();
      locate(g, sources.ofImageFile(s.path(), s.line()).orElse(sources.build()), s.path().startsWith("/") ? s.path().substring(1) : s.path(),
          s.line(), "the file in the image");
      g.writeEndObject();
    }
    g.writeEndArray(); // results
    g.writeObjectFieldStart("originalUriBaseIds");
    g.writeObjectFieldStart("ROOTPATH");
    g.writeStringField("uri", "file:///");
    g.writeEndObject();
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeStringField("imageDigest", report.digest());
    g.writeEndObject();
    g.writeEndObject(); // the run
    g.writeEndArray(); // runs
    g.writeEndObject();
  }

  /** One rule per vulnerability: its id, descriptions, help and {@code security-severity}. */
  private static void writeRule(JsonGenerator g, ScanReport.FindingEntry f) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", f.id());
    g.writeStringField("name", f.ecosystem().startsWith("Debian") ? "OsPackageVulnerability" : "LanguageSpecificPackageVulnerability");
    String title = f.title() == null || f.title().isBlank() ? f.id() : f.title();
    writeText(g, "shortDescription", f.id() + ": " + title);
    writeText(g, "fullDescription", title);
    g.writeStringField("helpUri", "https://osv.dev/vulnerability/" + f.id());
    String help = "Vulnerability " + f.id() + "\nSeverity: " + f.severity() + "\nPackage: " + f.packageName()
        + "\nFixed version: " + (f.fixed() == null ? "none" : f.fixed()) + "\nLink: https://osv.dev/vulnerability/" + f.id();
    writeHelp(g, help, help.replace("\n", "  \n"));
    writeProperties(g, securitySeverity(f), "vulnerability", f.severity());
    g.writeObjectFieldStart("defaultConfiguration");
    g.writeStringField("level", level(f.severity()));
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * One rule per secret type ({@code secret/aws-access-key}…); its results are the secrets that block (allowed ones
   * are left out, as suppressed vulnerabilities are), located at their path in the image and line. Never the secret.
   */
  private static void writeSecretRule(JsonGenerator g, String id, ScanReport.SecretEntry s) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("name", "Secret");
    writeText(g, "shortDescription", "Secret in the image: " + s.type());
    writeText(g, "fullDescription", "A " + s.type() + " is stored in a file of the image.");
    g.writeStringField("helpUri", "https://imagegate.dev/scan.html#secrets");
    String help = "Remove the secret from the files the image is built from and rotate it. If it is not a secret, allow it with"
        + " imagegate.scan.allowedSecrets (<path>:<hashedSecret>) or a 'pragma: allowlist secret' comment on its line.";
    writeHelp(g, help, help);
    writeProperties(g, "9.5", "secret", "CRITICAL");
    g.writeObjectFieldStart("defaultConfiguration");
    g.writeStringField("level", "error");
    g.writeEndObject();
    g.writeEndObject();
  }

  /** {@code "name": {"text": text}}: SARIF's message and description objects. */
  private static void writeText(JsonGenerator g, String name, String text) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  private static void writeHelp(JsonGenerator g, String text, String markdown) throws IOException {
    g.writeObjectFieldStart("help");
    g.writeStringField("text", text);
    g.writeStringField("markdown", markdown);
    g.writeEndObject();
  }

  private static void writeProperties(JsonGenerator g, String securitySeverity, String kind, String severity) throws IOException {
    g.writeObjectFieldStart("properties");
    g.writeStringField("security-severity", securitySeverity);
    g.writeArrayFieldStart("tags");
    g.writeString(kind);
    g.writeString("security");
    g.writeString(severity);
    g.writeEndArray();
    g.writeEndObject();
  }

  private static List<ScanReport.SecretEntry> blockingSecrets(ScanReport report) {
    List<ScanReport.SecretEntry> blocking = new ArrayList<>();
    if (report.secrets() != null) {
      for (ScanReport.SecretEntry s : report.secrets()) {
        if (s.blocking()) {
          blocking.add(s);
        }
      }
    }
    return blocking;
  }

  private static String secretRuleId(ScanReport.SecretEntry s) {
    return "secret/" + s.type().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  /** The result's location in the repository ({@code %SRCROOT%}), and where it is in the image as a related location. */
  private static void locate(JsonGenerator g, SourceLocation at, String imagePath, int imageLine, String imageText) throws IOException {
    g.writeArrayFieldStart("locations");
    g.writeStartObject();
    g.writeObjectFieldStart("physicalLocation");
    writeArtifact(g, at.file(), "%SRCROOT%", at.line());
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
    g.writeArrayFieldStart("relatedLocations");
    g.writeStartObject();
    g.writeNumberField("id", 1);
    g.writeObjectFieldStart("physicalLocation");
    writeArtifact(g, imagePath, "ROOTPATH", imageLine);
    g.writeEndObject();
    writeText(g, "message", imageText);
    g.writeEndObject();
    g.writeEndArray();
  }

  private static void writeArtifact(JsonGenerator g, String uri, String uriBaseId, int line) throws IOException {
    g.writeObjectFieldStart("artifactLocation");
    g.writeStringField("uri", uri);
    g.writeStringField("uriBaseId", uriBaseId);
    g.writeEndObject();
    g.writeObjectFieldStart("region");
    g.writeNumberField("startLine", line);
    g.writeEndObject();
  }

  private static String securitySeverity(ScanReport.FindingEntry f) {
    if (f.cvssScore() > 0) {
      return String.format(Locale.ROOT, "%.1f", f.cvssScore());
    }
    return switch (f.severity()) {
      case "CRITICAL" -> "9.5";
      case "HIGH" -> "8.0";
      case "MEDIUM" -> "5.5";
      case "LOW" -> "2.0";
      default -> "0.1";
    };
  }

  private static String level(String severity) {
    return switch (severity) {
      case "CRITICAL", "HIGH" -> "error";
      case "MEDIUM" -> "warning";
      default -> "note";
    };
  }
}
