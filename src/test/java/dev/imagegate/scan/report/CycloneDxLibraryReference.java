package dev.imagegate.scan.report;

import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.vulnerability.Vulnerability;

/**
 * The SBOM writer as it was before it streamed (the cyclonedx-core-java model and generator; kept verbatim, only
 * renamed), so that {@code CycloneDxStreamingTest} proves the streamed {@code sbom.cdx.json} is byte for byte the
 * document the CycloneDX library writes for the same scan.
 */
public final class CycloneDxLibraryReference {
  private CycloneDxLibraryReference() {}

  public static String render(ScanReport report, ImageInventory inventory, String toolVersion) throws IOException {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(report.digest().getBytes(StandardCharsets.UTF_8)));
    Metadata meta = new Metadata();
    meta.setTimestamp(Date.from(java.time.Instant.parse(report.scannedAt())));
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    image.setName(report.image() == null ? "image" : report.image());
    image.setVersion(report.digest());
    image.setBomRef(report.digest());
    meta.setComponent(image);
    Property tool = new Property();
    tool.setName("imagegate:scanner");
    tool.setValue("imagegate-maven-plugin " + toolVersion);
    meta.setProperties(List.of(tool));
    bom.setMetadata(meta);
    Map<String, Component> byRef = new LinkedHashMap<>();
    for (InstalledPackage p : inventory.packages()) {
      String purl = p.purl(inventory.osRelease());
      if (byRef.containsKey(purl)) {
        continue;
      }
      Component c = new Component();
      c.setType(Component.Type.LIBRARY);
      if (InstalledPackage.MAVEN.equals(p.ecosystem())) {
        c.setGroup(p.name().substring(0, p.name().indexOf(':')));
        c.setName(p.name().substring(p.name().indexOf(':') + 1));
      } else {
        c.setName(p.name());
      }
      c.setVersion(p.version());
      c.setPurl(purl);
      c.setBomRef(purl);
      Property path = new Property();
      path.setName("imagegate:path");
      path.setValue(p.path());
      Property by = new Property();
      by.setName("imagegate:identifiedBy");
      by.setValue(p.identifiedBy());
      List<Property> properties = new ArrayList<>(List.of(path));
      if (p.identifiedBy() != null) {
        properties.add(by);
      }
      if (p.guessed()) {
        // a MANIFEST.MF identity: the group id there is often not the Maven one, so advisories may be missed
        Property guess = new Property();
        guess.setName("imagegate:identityGuessed");
        guess.setValue("true");
        properties.add(guess);
      }
      c.setProperties(properties);
      byRef.put(purl, c);
    }
    bom.setComponents(new ArrayList<>(byRef.values()));
    // the components of each package name and version, so that a finding finds its own without looking through all
    Map<String, List<String>> refsByPackage = new HashMap<>();
    for (Component c : byRef.values()) {
      String cname = c.getGroup() == null ? c.getName() : c.getGroup() + ":" + c.getName();
      refsByPackage.computeIfAbsent(packageKey(cname, c.getVersion()), k -> new ArrayList<>()).add(c.getBomRef());
    }
    List<Vulnerability> vulns = new ArrayList<>();
    int n = 0;
    for (ScanReport.FindingEntry f : report.findings()) {
      Vulnerability v = new Vulnerability();
      v.setBomRef("vuln-" + (++n));
      v.setId(f.id());
      Vulnerability.Source src = new Vulnerability.Source();
      src.setName("OSV");
      src.setUrl("https://osv.dev/vulnerability/" + f.id());
      v.setSource(src);
      Vulnerability.Rating rating = new Vulnerability.Rating();
      rating.setSeverity(Vulnerability.Rating.Severity.fromString(f.severity().toLowerCase(java.util.Locale.ROOT)));
      if (f.cvssScore() > 0) {
        rating.setScore(f.cvssScore());
        rating.setMethod(Vulnerability.Rating.Method.CVSSV31);
      }
      Vulnerability.Source rsrc = new Vulnerability.Source();
      rsrc.setName(f.severitySource());
      rating.setSource(rsrc);
      v.setRatings(List.of(rating));
      if (f.title() != null && !f.title().isBlank()) {
        v.setDescription(f.title());
      }
      if (f.fixed() != null) {
        v.setRecommendation("Upgrade " + f.packageName() + " to " + f.fixed() + " or later.");
      }
      List<Vulnerability.Affect> affects = new ArrayList<>();
      for (String ref : refsByPackage.getOrDefault(packageKey(f.packageName(), f.installed()), List.of())) {
        Vulnerability.Affect a = new Vulnerability.Affect();
        a.setRef(ref);
        affects.add(a);
      }
      v.setAffects(affects);
      vulns.add(v);
    }
    bom.setVulnerabilities(vulns);
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    } catch (GeneratorException e) {
      throw new IOException("cannot render the CycloneDX SBOM: " + e.getMessage(), e);
    }
  }

  private static String packageKey(String name, String version) {
    return name + '\0' + version;
  }

}
