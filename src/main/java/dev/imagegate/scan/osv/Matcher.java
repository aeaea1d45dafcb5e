package dev.imagegate.scan.osv;

import dev.imagegate.Reporter;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.version.VersionScheme;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import us.springett.cvss.Cvss;

/**
 * Matches an inventory against the index with OSV range semantics, collapses aliases to one finding per CVE and
 * package, and decides each finding's severity.
 */
public final class Matcher {
  private final OsvIndex index;
  private final SeveritySource severitySource;
  private final Reporter reporter;
  private final Map<String, Double> scoreCache = new HashMap<>();
  private boolean warnedV4;

  public Matcher(OsvIndex index, SeveritySource severitySource, Reporter reporter) {
    this.index = index;
    this.severitySource = severitySource;
    this.reporter = reporter;
  }

  public List<Finding> match(ImageInventory inventory) throws ScanException {
    Map<String, Finding> findings = new LinkedHashMap<>();
    String os = inventory.osEcosystem();
    try {
      for (InstalledPackage p : inventory.packages()) {
        String ecosystem;
        if (p.osPackage()) {
          // only the OS's own packages (dpkg of Debian/Ubuntu, apk of Alpine); the others are the inventory's
          // "unscanned", which fails the scan unless allowed
          if (os == null || !os.startsWith(p.ecosystem() + ":")) {
            continue;
          }
          ecosystem = os;
        } else {
          ecosystem = "Maven";
        }
        VersionScheme scheme = VersionScheme.forEcosystem(ecosystem);
        for (Advisory a : index.advisories(ecosystem, p.advisoryName())) {
          Hit hit = evaluate(scheme, p.advisoryVersion(), a);
          if (!hit.affected) {
            continue;
          }
          String key = a.primaryId() + "|" + ecosystem + "|" + p.name() + "|" + p.version();
          Finding existing = findings.get(key);
          Finding f = toFinding(a, p, ecosystem, hit.fixed, scheme);
          findings.put(key, existing == null ? f : merge(existing, f, scheme));
        }
      }
    } catch (IOException e) {
      throw new ScanException("Cannot read the vulnerability index: " + e.getMessage(),
          "Delete the database cache (imagegate.scan.cacheDirectory) and run the scan online to rebuild it.", e);
    }
    List<Finding> out = new ArrayList<>(findings.values());
    out.sort(Comparator.comparing((Finding f) -> f.severity()).reversed().thenComparing(Finding::pkg).thenComparing(Finding::id));
    return out;
  }

  record Hit(boolean affected, String fixed) {}

  /** OSV evaluation: listed in versions, or inside a range (sorted events; introduced sets, fixed/last_affected clear). */
  static Hit evaluate(VersionScheme scheme, String version, Advisory a) {
    boolean listed = a.versions().contains(version);
    boolean inRange = false;
    String fixed = null;
    for (Advisory.Range r : a.ranges()) {
      List<Advisory.Event> events = new ArrayList<>(r.events());
      events.sort((x, y) -> {
        boolean x0 = x.kind().equals("introduced") && x.value().equals("0");
        boolean y0 = y.kind().equals("introduced") && y.value().equals("0");
        if (x0 || y0) {
          return x0 == y0 ? 0 : (x0 ? -1 : 1);
        }
        return scheme.compare(x.value(), y.value());
      });
      boolean affected = false;
      for (Advisory.Event e : events) {
        switch (e.kind()) {
          case "introduced" -> {
            if (e.value().equals("0") || scheme.compare(version, e.value()) >= 0) {
              affected = true;
            }
          }
          case "fixed" -> {
            if (scheme.compare(version, e.value()) >= 0) {
              affected = false;
            }
          }
          case "last_affected" -> {
            if (scheme.compare(version, e.value()) > 0) {
              affected = false;
            }
          }
          default -> {}
        }
      }
      if (affected) {
        inRange = true;
        for (Advisory.Event e : events) {
          if (e.kind().equals("fixed") && scheme.compare(e.value(), version) > 0) {
            if (fixed == null || scheme.compare(e.value(), fixed) < 0) {
              fixed = e.value();
            }
            break;
          }
        }
      }
    }
    return new Hit(listed || inRange, fixed);
  }

  private Finding toFinding(Advisory a, InstalledPackage p, String ecosystem, String fixed, VersionScheme scheme) throws IOException {
    Set<String> aliases = new LinkedHashSet<>();
    aliases.add(a.id());
    aliases.addAll(a.aliases());
    String id = a.primaryId();
    aliases.remove(id);
    boolean os = p.osPackage();
    Severity vendor = switch (p.ecosystem()) {
      case InstalledPackage.DEBIAN -> Severity.ofDebianUrgency(a.vendorSeverity());
      case InstalledPackage.UBUNTU -> Severity.ofUbuntuPriority(a.vendorSeverity());
      case InstalledPackage.ALPINE -> Severity.UNKNOWN;
      default -> Severity.ofGhsa(a.vendorSeverity());
    };
    double score = cvssScore(a.cvss());
    if (score == 0) {
      for (String other : ids(id, aliases)) {
        OsvImporter.Sev sev = index.severity(other);
        if (sev != null) {
          score = Math.max(score, cvssScore(sev.cvss()));
          if (!os && vendor == Severity.UNKNOWN) {
            vendor = Severity.ofGhsa(sev.ghsa());
          }
        }
      }
    }
    Severity fromScore = Severity.ofScore(score);
    NvdCvss nvd = id.startsWith("CVE-") ? index.nvd(id) : null;
    double nvdV3 = nvd == null || nvd.v3() == null ? 0 : cvssScore(List.of(nvd.v3()));
    Severity fromNvd = nvdV3 > 0 ? Severity.ofScore(nvdV3)
        : Severity.ofCvss2Score(nvd == null || nvd.v2() == null ? 0 : cvssScore(List.of(nvd.v2())));
    String vendorName = os ? p.ecosystem().toLowerCase(java.util.Locale.ROOT) : "ghsa";
    // candidates in the order the severity source tries them; the first known one decides (MAX: the highest)
    List<Severity> order;
    List<String> names;
    switch (severitySource) {
      case CVSS -> {
        order = List.of(fromNvd, fromScore, vendor);
        names = List.of("nvd", "cvss", vendorName);
      }
      default -> {
        order = List.of(vendor, fromNvd, fromScore);
        names = List.of(vendorName, "nvd", "cvss");
      }
    }
    Severity severity = Severity.UNKNOWN;
    String source = "none";
    for (int i = 0; i < order.size(); i++) {
      boolean better = severitySource == SeveritySource.MAX ? order.get(i).compareTo(severity) > 0 : severity == Severity.UNKNOWN && order.get(i) != Severity.UNKNOWN;
      if (better) {
        severity = order.get(i);
        source = names.get(i);
      }
    }
    score = Math.max(score, nvdV3);
    return new Finding(id, new ArrayList<>(aliases), p.name(), os ? p.sourceName() : null, ecosystem, p.version(), fixed,
        severity, source, score, a.summary(), List.of(p.path()));
  }

  private static List<String> ids(String id, Set<String> aliases) {
    List<String> out = new ArrayList<>();
    out.add(id);
    out.addAll(aliases);
    return out;
  }

  private static Finding merge(Finding a, Finding b, VersionScheme scheme) {
    Set<String> aliases = new LinkedHashSet<>(a.aliases());
    aliases.addAll(b.aliases());
    aliases.remove(a.id());
    String fixed = a.fixed() == null ? b.fixed() : b.fixed() == null ? a.fixed() : scheme.compare(a.fixed(), b.fixed()) <= 0 ? a.fixed() : b.fixed();
    Finding worse = b.severity().compareTo(a.severity()) > 0 ? b : a;
    Set<String> paths = new LinkedHashSet<>(a.paths());
    paths.addAll(b.paths());
    return new Finding(a.id(), new ArrayList<>(aliases), a.pkg(), a.source(), a.ecosystem(), a.installed(), fixed, worse.severity(),
        worse.severitySource(), Math.max(a.cvssScore(), b.cvssScore()), a.title().isEmpty() ? b.title() : a.title(), new ArrayList<>(paths));
  }

  private double cvssScore(List<String> vectors) {
    double best = 0;
    for (String v : vectors) {
      Double s = scoreCache.computeIfAbsent(v, this::score);
      best = Math.max(best, s);
    }
    return best;
  }

  private double score(String vector) {
    if (vector.startsWith("CVSS:4")) {
      if (!warnedV4) {
        reporter.debug("CVSS v4 vectors are not scored (cvss-calculator 1.4.3 has no v4); the v3 vector or vendor severity decides.");
        warnedV4 = true;
      }
      return 0.0;
    }
    try {
      Cvss cvss = Cvss.fromVector(vector);
      return cvss == null ? 0.0 : cvss.calculateScore().getBaseScore();
    } catch (RuntimeException e) {
      return 0.0;
    }
  }
}
