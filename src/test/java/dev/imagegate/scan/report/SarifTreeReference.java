package dev.imagegate.scan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegate.github.SourceLocation;
import dev.imagegate.github.SourceLocations;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The SARIF writer as it was before it streamed (kept verbatim, only renamed and returning the bytes it wrote), so that
 * {@code SarifStreamingTest} proves the streamed {@code scan.sarif} is byte for byte the same document.
 *
 * <p>{@code scan.sarif}: SARIF 2.1.0 as GitHub code scanning accepts it: one rule per vulnerability (id, short and full
 * description, help, {@code security-severity}), one result per finding with a message, one location in the repository
 * that GitHub can show (the {@code pom.xml} line declaring a Maven package, the base image line for an operating-system
 * package, the source file of a file of the image; {@code uriBaseId} {@code %SRCROOT%}) and the package's path in the
 * image as a related location ({@code ROOTPATH}).
 */
public final class SarifTreeReference {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SarifTreeReference() {}

  /**
   * Writes scan.sarif.
   *
   * @param sources the repository lines the results point at
   */
  public static byte[] render(ScanReport report, String toolVersion, SourceLocations sources) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "imagegate");
    driver.put("fullName", "imagegate-maven-plugin scan");
    driver.put("version", toolVersion);
    driver.put("informationUri", "https://imagegate.dev/scan.html");
    ArrayNode rules = driver.putArray("rules");
    ArrayNode results = run.putArray("results");
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    for (ScanReport.FindingEntry f : report.findings()) {
      Integer idx = ruleIndex.get(f.id());
      if (idx == null) {
        idx = ruleIndex.size();
        ruleIndex.put(f.id(), idx);
        ObjectNode rule = rules.addObject();
        rule.put("id", f.id());
        rule.put("name", "OsPackageVulnerability".replace("OsPackage", f.ecosystem().startsWith("Debian") ? "OsPackage" : "LanguageSpecificPackage"));
        String title = f.title() == null || f.title().isBlank() ? f.id() : f.title();
        rule.putObject("shortDescription").put("text", f.id() + ": " + title);
        rule.putObject("fullDescription").put("text", title);
        rule.put("helpUri", "https://osv.dev/vulnerability/" + f.id());
        String help = "Vulnerability " + f.id() + "\nSeverity: " + f.severity() + "\nPackage: " + f.packageName()
            + "\nFixed version: " + (f.fixed() == null ? "none" : f.fixed()) + "\nLink: https://osv.dev/vulnerability/" + f.id();
        rule.putObject("help").put("text", help).put("markdown", help.replace("\n", "  \n"));
        ObjectNode props = rule.putObject("properties");
        props.put("security-severity", securitySeverity(f));
        props.putArray("tags").add("vulnerability").add("security").add(f.severity());
        ObjectNode config = rule.putObject("defaultConfiguration");
        config.put("level", level(f.severity()));
      }
      ObjectNode result = results.addObject();
      result.put("ruleId", f.id());
      result.put("ruleIndex", idx);
      result.put("level", level(f.severity()));
      result.putObject("message").put("text", String.format(Locale.ROOT,
          "Package: %s\nInstalled Version: %s\nVulnerability %s\nSeverity: %s\nFixed Version: %s\nImage: %s",
          f.packageName(), f.installed(), f.id(), f.severity(), f.fixed() == null ? "none" : f.fixed(), report.digest()));
      String path = f.paths() == null || f.paths().isEmpty() ? "image" : f.paths().get(0).replace('!', '/');
      locate(result, sources.ofPackage(f.ecosystem(), f.packageName()), path, 1, f.packageName() + " " + f.installed() + " in the image");
    }
    writeSecrets(report, rules, results, ruleIndex, sources);
    run.putObject("originalUriBaseIds").putObject("ROOTPATH").put("uri", "file:///");
    run.putObject("properties").put("imageDigest", report.digest());
    return JSON.writeValueAsBytes(root);
  }

  /**
   * One rule per secret type ({@code secret/aws-access-key}…), one result per secret that blocks (allowed ones are
   * left out, as suppressed vulnerabilities are), located at its path in the image and its line. Never the secret.
   */
  private static void writeSecrets(ScanReport report, ArrayNode rules, ArrayNode results, Map<String, Integer> ruleIndex, SourceLocations sources) {
    if (report.secrets() == null) {
      return;
    }
    for (ScanReport.SecretEntry s : report.secrets()) {
      if (!s.blocking()) {
        continue;
      }
      String id = "secret/" + s.type().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
      Integer idx = ruleIndex.get(id);
      if (idx == null) {
        idx = ruleIndex.size();
        ruleIndex.put(id, idx);
        ObjectNode rule = rules.addObject();
        rule.put("id", id);
        rule.put("name", "Secret");
        rule.putObject("shortDescription").put("text", "Secret in the image: " + s.type());
        rule.putObject("fullDescription").put("text", "A " + s.type() + " is stored in a file of the image.");
        rule.put("helpUri", "https://imagegate.dev/scan.html#secrets");
        String help = "Remove the secret from the files the image is built from and rotate it. If it is not a secret, allow it with"
            + " imagegate.scan.allowedSecrets (<path>:<hashedSecret>) or a 'pragma: allowlist secret' comment on its line.";
        rule.putObject("help").put("text", help).put("markdown", help);
        ObjectNode props = rule.putObject("properties");
        props.put("security-severity", "9.5");
        props.putArray("tags").add("secret").add("security").add("CRITICAL");
        rule.putObject("defaultConfiguration").put("level", "error");
      }
      ObjectNode result = results.addObject();
      result.put("ruleId", id);
      result.put("ruleIndex", idx);
      result.put("level", "error");
      result.putObject("message").put("text", String.format(Locale.ROOT,
          "Secret: %s\nPath: %s\nLine: %d\nLayer: %s\nHashed secret (SHA-1): %s\nImage: %s",
          s.type(), s.path(), s.line(), s.layer(), s.hashedSecret(), report.digest()));
      result.putObject("partialFingerprints").put("hashedSecret/v1", s.hashedSecret());
      locate(result, sources.ofImageFile(s.path(), s.line()).orElse(sources.build()), s.path().startsWith("/") ? s.path().substring(1) : s.path(),
          s.line(), "the file in the image");
    }
  }

  /** The result's location in the repository ({@code %SRCROOT%}), and where it is in the image as a related location. */
  private static void locate(ObjectNode result, SourceLocation at, String imagePath, int imageLine, String imageText) {
    ObjectNode loc = result.putArray("locations").addObject().putObject("physicalLocation");
    loc.putObject("artifactLocation").put("uri", at.file()).put("uriBaseId", "%SRCROOT%");
    loc.putObject("region").put("startLine", at.line());
    ObjectNode related = result.putArray("relatedLocations").addObject();
    related.put("id", 1);
    ObjectNode image = related.putObject("physicalLocation");
    image.putObject("artifactLocation").put("uri", imagePath).put("uriBaseId", "ROOTPATH");
    image.putObject("region").put("startLine", imageLine);
    related.putObject("message").put("text", imageText);
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
