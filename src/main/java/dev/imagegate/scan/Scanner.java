package dev.imagegate.scan;

import dev.imagegate.DaemonThreads;
import dev.imagegate.HandoverException;
import dev.imagegate.Reporter;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.oci.Digests;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.oci.OciArchiveException;
import dev.imagegate.scan.error.ScanException;
import dev.imagegate.scan.inventory.ImageInventory;
import dev.imagegate.scan.inventory.InstalledPackage;
import dev.imagegate.scan.inventory.InventoryScanner;
import dev.imagegate.scan.osv.Finding;
import dev.imagegate.scan.osv.Matcher;
import dev.imagegate.scan.osv.OsvDatabase;
import dev.imagegate.scan.osv.OsvIndex;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.policy.IgnoreFile;
import dev.imagegate.scan.policy.IgnoreRule;
import dev.imagegate.scan.policy.Policy;
import dev.imagegate.scan.report.ConsoleTable;
import dev.imagegate.scan.report.CycloneDxWriter;
import dev.imagegate.scan.report.SarifWriter;
import dev.imagegate.scan.report.ScanReport;
import dev.imagegate.scan.secret.ApplicationLayers;
import dev.imagegate.scan.secret.ImageSecretAnalyzer;
import dev.imagegate.scan.secret.LayerSecrets;
import dev.imagegate.scan.secret.SecretAllowList;
import dev.imagegate.scan.secret.SecretsMode;
import dev.imagegate.scan.layer.LayerFileAnalyzer;
import dev.imagegate.scan.layer.LayerVerification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;

/**
 * The scan goal's core: inventories the archive {@code build} wrote, matches it against the OSV index, applies the
 * policy, writes {@code scan.json}, {@code scan.sarif} and {@code sbom.cdx.json}, and fails on blocking findings.
 */
public final class Scanner {
  /** The threads that hash the layers the layer cache serves (daemons: a failing build never waits for them). */
  private static final ThreadFactory VERIFIER_THREADS = DaemonThreads.named("imagegate-scan-verify");

  private final Reporter reporter;
  private final Clock clock;

  public Scanner(Reporter reporter, Clock clock) {
    this.reporter = reporter;
    this.clock = clock;
  }

  /**
   * What a scan found; reports are written before a policy failure is thrown. {@code secrets} are the secrets found in
   * the image's layers with the allow-list entry accepting each (or none: it blocks).
   */
  public record Result(ScanReport report, ImageInventory inventory, List<Finding> all, Policy.Outcome outcome, String digest, LocalDate today, Set<Severity> failOn,
      List<SecretAllowList.Decision> secrets) {
    public Result(ScanReport report, ImageInventory inventory, List<Finding> all, Policy.Outcome outcome, String digest, LocalDate today, Set<Severity> failOn) {
      this(report, inventory, all, outcome, digest, today, failOn, List.of());
    }

    /** The secrets that fail the gate. */
    public List<SecretAllowList.Decision> blockingSecrets() {
      return secrets.stream().filter(d -> !d.allowed()).toList();
    }
  }

  public Result scan(ScanRequest request) throws ScanException {
    // the first use of each JSON reader and writer is mostly class loading and cold code (Jackson's data binding): done
    // now on a spare thread, in the order this one needs them (the layer cache's entries, the database's records,
    // scan.json), while it reads image.json and the archive, not on its own path
    DaemonThreads.warmUp("imagegate-scan-warm-up", Thread.NORM_PRIORITY, Scanner::warmUp);
    Path out = request.outputDirectory();
    ImageDescriptor image;
    try {
      image = ImageDescriptor.read(out);
    } catch (HandoverException e) {
      throw new ScanException(e.getMessage(), e.suggestion(), e);
    }
    List<IgnoreRule> rules = new ArrayList<>();
    String ignoreFile = null;
    for (Path f : request.ignoreFiles()) {
      if (f != null && Files.isRegularFile(f)) {
        rules.addAll(IgnoreFile.read(f));
        ignoreFile = ignoreFile == null ? f.toString() : ignoreFile + "," + f;
      }
    }
    // one inventory per image: the archive's own, or each platform's of a multi-platform image (an index). The layers
    // the layer cache serves are hashed on other threads from the moment their entries are found, while the entries are
    // read and the inventory is matched; the archive stays open and no report is written until every one of them
    // matched its digest (LayerVerification.await).
    List<PlatformScan> scans = new ArrayList<>();
    List<LayerVerification> checks = new ArrayList<>();
    List<Map<Integer, CompletableFuture<Void>>> early = new ArrayList<>();
    ExecutorService verifier = Executors.newFixedThreadPool(2, VERIFIER_THREADS);
    Matched matched;
    ImageInventory inventory;
    try (OciArchive archive = OciArchive.open(image.archivePath(out))) {
      try {
        if (!archive.manifestDescriptor().digest().equals(image.digest())) {
          throw new ScanException(
              "The image archive " + archive.path() + " has digest " + archive.manifestDescriptor().digest() + " but image.json says " + image.digest() + ".",
              "Run the build goal again (mvn package): the scan must see exactly the image that will be pushed.");
        }
        // the layers the layer cache serves are hashed from here on (the largest one's hash is the scan's longest step),
        // while the secret analyzers are set up and the cache's entries are read
        for (OciArchive one : archive.images()) {
          early.add(InventoryScanner.startCachedChecks(request.layerCache(), request.limits(), one, verifier, reporter));
        }
        for (OciArchive one : archive.images()) {
          List<LayerFileAnalyzer> analyzers = new ArrayList<>(request.extraAnalyzers());
          ImageSecretAnalyzer secretAnalyzer = null;
          if (request.secrets() != null && request.secrets() != SecretsMode.NONE) {
            secretAnalyzer = secretAnalyzer(one, request.secrets());
            analyzers.add(secretAnalyzer);
          }
          if (one.platform().isPresent()) {
            reporter.info("Scanning the " + one.platform().get() + " image " + one.manifestDescriptor().digest());
          }
          InventoryScanner.Started started = new InventoryScanner(request.layerCache(), request.limits(), request.layerLimits(), analyzers, reporter)
              .start(one, request.project(), verifier, early.get(scans.size()));
          checks.add(started.verification());
          ImageInventory inv = started.inventory();
          for (String w : inv.warnings()) {
            reporter.warn(one.platform().map(p -> p + ": ").orElse("") + w);
          }
          // fail closed per platform: a platform whose OS packages cannot be checked fails the whole scan
          inv = checkOsCoverage(inv, request.allowUnscannedOs(), one.platform().map(p -> " (" + p + ")").orElse(""));
          scans.add(new PlatformScan(one.platform().map(Object::toString).orElse(null), one.manifestDescriptor().digest(), inv, secretAnalyzer));
        }
        inventory = union(scans);
        matched = match(request, scans, inventory);
      } catch (ScanException e) {
        early.forEach(started -> checks.add(LayerVerification.of(started.values()))); // a later platform's too
        LayerVerification.awaitAll(checks); // a layer that does not match its digest is the failure to report
        throw e;
      }
      LayerVerification.awaitAll(checks);
    } catch (OciArchiveException e) {
      throw new ScanException(e.getMessage(), e.suggestion(), e);
    } catch (IOException e) {
      throw new ScanException("Cannot close " + image.archivePath(out) + ": " + e.getMessage(), "Run the build goal again.", e);
    } finally {
      verifier.shutdownNow();
    }
    ImageSecretAnalyzer secretAnalyzer = scans.get(0).secrets();
    List<Finding> findings = matched.findings();
    Map<PlatformScan, List<Finding>> perPlatform = matched.perPlatform();
    ScanReport.Database dbInfo = matched.database();
    Policy policy = new Policy(request.failOn(), request.ignoreUnfixed(), rules);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    Policy.Outcome outcome = policy.apply(findings, today, reporter);
    List<SecretAllowList.Decision> secrets = secretAnalyzer == null ? List.of()
        : (request.allowedSecrets() == null ? SecretAllowList.empty() : request.allowedSecrets()).apply(secretFindings(scans));
    List<String> notSearched = secretAnalyzer == null ? null
        : scans.stream().flatMap(sc -> sc.secrets().tooLarge().stream()).distinct().toList();
    ScanReport report = report(request, image, inventory, dbInfo, outcome, ignoreFile, secrets, notSearched);
    if (image.multiPlatform()) {
      report = withPlatforms(report, perPlatform, outcome);
    }
    // scan.json and the SBOM are written on another thread while scan.sarif (the largest) is
    ScanReport written = report;
    FutureTask<Void> sbom = new FutureTask<>(() -> {
      written.write(out);
      CycloneDxWriter.write(out, written, inventory, request.pluginVersion());
      return null;
    });
    DaemonThreads.start("imagegate-scan-reports", sbom);
    try {
      SarifWriter.write(out, report, request.pluginVersion(), request.sources());
      sbom.get();
    } catch (IOException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new ScanException("Cannot write the scan reports to " + out + ": " + cause.getMessage(), "Check that " + out + " is writable.", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScanException("Interrupted while writing the scan reports to " + out + ".", "Run the scan again.", e);
    }
    Set<String> blockingKeys = outcome.blocking().stream().map(f -> f.id() + "|" + f.pkg()).collect(Collectors.toSet());
    for (String line : ConsoleTable.render(outcome.reported(), blockingKeys)) {
      reporter.info(line);
    }
    long unknown = outcome.reported().stream().filter(f -> f.severity() == Severity.UNKNOWN).count();
    if (unknown > 0 && !request.failOn().contains(Severity.UNKNOWN)) {
      reporter.warn(unknown + (unknown == 1 ? " finding has" : " findings have") + " no known severity (no vendor rating, no NVD or OSV CVSS vector):"
          + " shown as UNKNOWN, not blocking. Review them, or block them too with imagegate.scan.failOn=UNKNOWN,HIGH,CRITICAL.");
    }
    for (Policy.Suppressed s : outcome.suppressed()) {
      reporter.info("Suppressed " + s.finding().id() + " in " + s.finding().pkg() + " " + s.finding().installed() + " by " + s.rule().origin()
          + (s.rule().expires() == null ? "" : " (until " + s.rule().expires() + ")"));
    }
    for (SecretAllowList.Decision d : secrets) {
      // the location and the hash only: the secret itself is never kept, so it cannot be printed
      reporter.info(d.allowed()
          ? "Allowed secret " + d.secret().location() + " (hashed secret " + d.secret().hashedSecret() + ") by '" + d.allowedBy().text() + "'"
          : "Secret in the image: " + d.secret().location() + " in layer " + d.secret().layer() + " (hashed secret " + d.secret().hashedSecret() + ") BLOCKING");
    }
    if (secretAnalyzer != null) {
      for (String path : notSearched) {
        reporter.warn("Secret scan: " + path + " is over " + secretAnalyzer.maxFileSize() + " bytes: not searched for secrets (the file is in the image as it is).");
      }
      reporter.debug("Secret scan: " + secretAnalyzer.filesScanned() + " files scanned, " + secretAnalyzer.filesSkipped() + " binary files skipped, "
          + secretAnalyzer.tooLarge().size() + " too large; " + secretAnalyzer.filesRead() + " files read now, the rest judged before (layer cache)");
    }
    return new Result(report, inventory, findings, outcome, image.digest(), today, request.failOn(), secrets);
  }

  /** The findings of every platform's inventory in the OSV index, and what the index is. */
  private record Matched(List<Finding> findings, Map<PlatformScan, List<Finding>> perPlatform, ScanReport.Database database) {}

  private Matched match(ScanRequest request, List<PlatformScan> scans, ImageInventory inventory) throws ScanException {
    Map<PlatformScan, List<Finding>> perPlatform = new LinkedHashMap<>();
    try (OsvIndex index = new OsvDatabase(withImageEcosystems(request.database(), inventory), reporter, clock).open()) {
      Matcher matcher = new Matcher(index, request.severitySource(), reporter);
      for (PlatformScan scan : scans) {
        perPlatform.put(scan, matcher.match(scan.inventory()));
      }
      // one platform: its findings as they are (the matcher keys them, so each is there once); several: each finding
      // once, the same vulnerability of the same package in two platforms being one finding
      Collection<Finding> all = scans.size() == 1 ? perPlatform.values().iterator().next()
          : perPlatform.values().stream().flatMap(List::stream).collect(Collectors.toCollection(LinkedHashSet::new));
      String updatedAt = index.meta().get("updatedAt");
      double ageHours = Math.round(java.time.Duration.between(java.time.Instant.parse(updatedAt), clock.instant()).toMinutes() / 6.0) / 10.0;
      return new Matched(new ArrayList<>(all), perPlatform, new ScanReport.Database(updatedAt, index.meta().get("source"), index.meta().get("ecosystems"),
          index.meta().getOrDefault("nvd", "none"), index.recordCounts(), ageHours));
    } catch (IOException e) {
      throw new ScanException("Cannot close the vulnerability index: " + e.getMessage(), "Run the scan again.", e);
    }
  }

  /**
   * Fails when the image holds OS packages the scan cannot match (an rpm database, an unknown distribution, dpkg
   * packages without a release), naming each; with {@code allowUnscannedOs} each becomes a logged warning, kept in the
   * inventory's warnings so that scan.json records it.
   */
  private ImageInventory checkOsCoverage(ImageInventory inventory, boolean allow, String which) throws ScanException {
    if (inventory.unscanned().isEmpty()) {
      return inventory;
    }
    if (!allow) {
      StringBuilder msg = new StringBuilder("The image" + which + " holds operating system packages the scan cannot check; it would pass without"
          + " having looked at them:");
      for (String u : inventory.unscanned()) {
        msg.append(System.lineSeparator()).append("  ").append(u);
      }
      throw new ScanException(msg.toString(),
          "Build on a base image the scan covers (Debian, Ubuntu or Alpine with an os-release that states its release), scan the base"
              + " image with a scanner that reads it, or accept that these packages go unchecked with"
              + " -Dimagegate.scan.allowUnscannedOs=true (<allowUnscannedOs>true</allowUnscannedOs>); each is then logged as a warning.");
    }
    List<String> warnings = new ArrayList<>(inventory.warnings());
    for (String u : inventory.unscanned()) {
      String w = "NOT CHECKED (imagegate.scan.allowUnscannedOs=true): " + u;
      reporter.warn(w);
      warnings.add(w);
    }
    return new ImageInventory(inventory.osId(), inventory.osRelease(), inventory.osVersion(), inventory.packages(), warnings,
        inventory.layersRead(), inventory.osEcosystem(), inventory.unscanned(), inventory.unidentifiedJars());
  }

  /**
   * One image the scan read: the archive's, or one platform's of a multi-platform image.
   *
   * @param platform e.g. {@code linux/arm64}, or null for a single image
   * @param digest its manifest digest
   * @param inventory what it holds
   * @param secrets its secret analyzer, or null when the secret scan is off
   */
  record PlatformScan(String platform, String digest, ImageInventory inventory, ImageSecretAnalyzer secrets) {
    /**
     * Each scan is its own key (in {@code perPlatform}): equal by identity, not by comparing whole inventories, whose
     * record equality would hash every package and bootstrap the record methods of three types on a cold JVM.
     */
    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /** Every platform's packages and warnings (each once), with the first platform's OS: what the reports list. */
  static ImageInventory union(List<PlatformScan> scans) {
    ImageInventory first = scans.get(0).inventory();
    if (scans.size() == 1) {
      return first;
    }
    Set<InstalledPackage> packages = new LinkedHashSet<>();
    Set<String> warnings = new LinkedHashSet<>();
    Set<String> unscanned = new LinkedHashSet<>();
    Set<String> unidentified = new LinkedHashSet<>();
    int layers = 0;
    for (PlatformScan s : scans) {
      ImageInventory i = s.inventory();
      packages.addAll(i.packages());
      i.warnings().forEach(w -> warnings.add(s.platform() + ": " + w));
      unscanned.addAll(i.unscanned());
      unidentified.addAll(i.unidentifiedJars());
      layers += i.layersRead();
    }
    return new ImageInventory(first.osId(), first.osRelease(), first.osVersion(), List.copyOf(packages), List.copyOf(warnings), layers,
        first.osEcosystem(), List.copyOf(unscanned), List.copyOf(unidentified));
  }

  private static List<dev.imagegate.scan.secret.ImageSecret> secretFindings(List<PlatformScan> scans) {
    Set<dev.imagegate.scan.secret.ImageSecret> all = new LinkedHashSet<>();
    for (PlatformScan s : scans) {
      all.addAll(s.secrets().findings());
    }
    return List.copyOf(all);
  }

  /** The report with what each platform's image holds and which findings are in it. */
  static ScanReport withPlatforms(ScanReport r, Map<PlatformScan, List<Finding>> perPlatform, Policy.Outcome outcome) {
    Set<Finding> reported = new HashSet<>(outcome.reported());
    Set<Finding> blocking = new HashSet<>(outcome.blocking());
    List<ScanReport.PlatformEntry> entries = new ArrayList<>();
    perPlatform.forEach((scan, found) -> {
      ImageInventory i = scan.inventory();
      List<Finding> shown = found.stream().filter(reported::contains).toList();
      entries.add(new ScanReport.PlatformEntry(scan.platform(), scan.digest(), new ScanReport.Os(i.osId(), i.osRelease(), i.osVersion()),
          i.packages().size(), shown.stream().map(f -> f.id() + " " + f.pkg() + " " + f.installed()).toList(),
          (int) shown.stream().filter(blocking::contains).count()));
    });
    return new ScanReport(r.schemaVersion(), r.digest(), r.image(), r.scannedAt(), r.os(), r.database(), r.policy(), r.summary(), r.findings(),
        r.suppressed(), r.packages(), r.warnings(), r.secrets(), r.secretsNotSearched(), r.jars(), entries);
  }

  /**
   * The configured ecosystems plus those the image needs: its OS's ({@code Ubuntu} for an Ubuntu image) and
   * {@code Maven} when it holds jars, so that the default configuration matches any image the scan covers.
   */
  static OsvDatabase.Config withImageEcosystems(OsvDatabase.Config config, ImageInventory inventory) {
    Set<String> ecosystems = new java.util.LinkedHashSet<>(config.ecosystems());
    if (inventory.osEcosystem() != null) {
      ecosystems.add(inventory.osEcosystem().substring(0, inventory.osEcosystem().indexOf(':')));
    }
    if (inventory.packages().stream().anyMatch(p -> !p.osPackage())) {
      ecosystems.add(InstalledPackage.MAVEN);
    }
    return ecosystems.size() == config.ecosystems().size() ? config
        : new OsvDatabase.Config(config.cacheDirectory(), config.baseUrl(), List.copyOf(ecosystems), config.updateInterval(), config.offline());
  }

  /** The secret detectors over the layers the mode selects (see {@link ApplicationLayers} for "the application's"). */
  private ImageSecretAnalyzer secretAnalyzer(OciArchive archive, SecretsMode mode) throws OciArchiveException {
    int layers = archive.layers().size();
    int first = 0;
    if (mode == SecretsMode.APP) {
      java.util.Optional<Integer> app = ApplicationLayers.firstApplicationLayer(archive.config(), layers);
      if (app.isEmpty() || app.get() == layers) {
        reporter.warn("The image's history does not tell which layers the build added: secrets are searched in all " + layers + " layers.");
      } else {
        first = app.get();
      }
    }
    int from = first;
    reporter.debug("Secret scan of layers " + from + ".." + (layers - 1) + " (" + mode.label() + ")");
    return ImageSecretAnalyzer.withDefaultDetectors(i -> i >= from);
  }

  /** See {@link #scan}: builds the JSON readers and writers a scan uses, reading and writing nothing. */
  private static void warmUp() {
    // SHA-256 runs interpreted until the JIT compiles it to its intrinsic (~4x faster): hashing 2 MiB of zeros first
    // gets it compiled while the main thread opens the archive, so the largest layer's check runs compiled sooner
    MessageDigest sha = Digests.newSha256();
    byte[] zeros = new byte[1 << 16];
    for (int i = 0; i < 32; i++) {
      sha.update(zeros);
    }
    sha.digest();
    ImageSecretAnalyzer.warmUp();
    try {
      InventoryScanner.warmUp(List.of(LayerSecrets.class));
      OsvIndex.warmUp();
    } catch (RuntimeException e) {
      // only a warm-up: the real reads report their own failures
    }
    ScanReport.warmUp();
  }

  /** Fails when the policy found blocking vulnerabilities: the message names each, and how to ignore it. */
  public static void enforce(Result result) throws ScanException {
    Policy.Outcome outcome = result.outcome();
    List<SecretAllowList.Decision> secrets = result.blockingSecrets();
    if (!secrets.isEmpty()) {
      // secrets first: a leaked key is the more urgent fix; the message shows where, never what
      StringBuilder msg = new StringBuilder();
      msg.append("The image ").append(result.digest()).append(" contains ").append(secrets.size())
          .append(secrets.size() == 1 ? " secret" : " secrets").append(" (each fails the gate like a CRITICAL vulnerability):");
      for (SecretAllowList.Decision d : secrets) {
        msg.append(System.lineSeparator()).append("  ").append(d.secret().location()).append(" (hashed secret ").append(d.secret().hashedSecret()).append(")");
      }
      if (!outcome.blocking().isEmpty()) {
        msg.append(System.lineSeparator()).append("and ").append(outcome.blocking().size()).append(" blocking vulnerabilities (see the table above).");
      }
      SecretAllowList.Decision first = secrets.get(0);
      throw new ScanException(msg.toString(),
          "Remove the secret from the sources the image is built from (resources, files added to the image) and rotate it: it has been"
              + " in a build. If it is not a secret, mark its line with a comment 'pragma: allowlist secret', or allow it with"
              + " <allowedSecrets><allowedSecret>" + first.secret().path() + ":" + first.secret().hashedSecret() + "</allowedSecret></allowedSecrets>"
              + " (imagegate.scan.allowedSecrets).");
    }
    if (!outcome.blocking().isEmpty()) {
      StringBuilder msg = new StringBuilder();
      msg.append("The image ").append(result.digest()).append(" has ").append(outcome.blocking().size())
          .append(" vulnerabilities of severity ").append(result.failOn().stream().map(Enum::name).sorted().collect(Collectors.joining(",")))
          .append(":");
      for (Finding f : outcome.blocking()) {
        msg.append(System.lineSeparator()).append("  ").append(f.id()).append(" ").append(f.severity()).append(" in ").append(f.pkg())
            .append(" ").append(f.installed()).append(" (fixed in ").append(f.fixed() == null ? "no version yet" : f.fixed()).append(")");
        if (!f.aliases().isEmpty()) {
          msg.append(" [").append(String.join(", ", f.aliases())).append("]");
        }
      }
      String first = outcome.blocking().get(0).id();
      throw new ScanException(msg.toString(),
          "Upgrade to the fixed versions (a newer base image for OS packages, a newer dependency version for jars)," + System.lineSeparator()
              + "       or accept for 30 days: add '" + first + " exp:" + result.today().plusDays(30) + "' to .trivyignore (imagegate.scan.ignoreFile).");
    }
  }

  private ScanReport report(ScanRequest request, ImageDescriptor image, ImageInventory inventory, ScanReport.Database db,
      Policy.Outcome outcome, String ignoreFile, List<SecretAllowList.Decision> secrets, List<String> secretsNotSearched) {
    int[] counts = new int[Severity.values().length];
    for (Finding f : outcome.reported()) {
      counts[f.severity().ordinal()]++;
    }
    Set<Finding> blocking = new HashSet<>(outcome.blocking());
    List<ScanReport.FindingEntry> entries = new ArrayList<>();
    for (Finding f : outcome.reported()) {
      entries.add(new ScanReport.FindingEntry(f.id(), f.aliases(), f.title(), f.pkg(), f.source(), f.ecosystem(), f.installed(), f.fixed(),
          f.severity().name(), f.severitySource(), f.cvssScore(), blocking.contains(f), f.paths()));
    }
    List<ScanReport.SuppressedEntry> suppressed = new ArrayList<>();
    for (Policy.Suppressed s : outcome.suppressed()) {
      suppressed.add(new ScanReport.SuppressedEntry(s.finding().id(), s.finding().pkg(), s.finding().installed(), s.finding().severity().name(),
          s.rule().reason(), s.rule().expires() == null ? null : s.rule().expires().toString(), s.rule().origin()));
    }
    List<ScanReport.SecretEntry> secretEntries = new ArrayList<>();
    int blockingSecrets = 0;
    for (SecretAllowList.Decision d : secrets) {
      secretEntries.add(new ScanReport.SecretEntry(d.secret().layer(), d.secret().path(), d.secret().line(), d.secret().type(), d.secret().hashedSecret(),
          !d.allowed(), d.allowed() ? d.allowedBy().text() : null));
      blockingSecrets += d.allowed() ? 0 : 1;
    }
    boolean secretsScanned = request.secrets() != null && request.secrets() != SecretsMode.NONE;
    int debs = count(inventory, InstalledPackage.DEBIAN);
    int maven = count(inventory, InstalledPackage.MAVEN);
    List<ScanReport.JarEntry> jars = new ArrayList<>();
    for (InstalledPackage p : inventory.packages()) {
      if (InstalledPackage.MAVEN.equals(p.ecosystem())) {
        int colon = p.name().indexOf(':');
        jars.add(new ScanReport.JarEntry(p.path(), p.name().substring(0, colon), p.name().substring(colon + 1), p.version(), p.identifiedBy(), p.guessed()));
      }
    }
    for (String path : inventory.unidentifiedJars()) {
      jars.add(new ScanReport.JarEntry(path, null, null, null, "none", false));
    }
    ScanReport.Summary summary = new ScanReport.Summary(counts[Severity.CRITICAL.ordinal()], counts[Severity.HIGH.ordinal()],
        counts[Severity.MEDIUM.ordinal()], counts[Severity.LOW.ordinal()], counts[Severity.UNKNOWN.ordinal()], outcome.blocking().size(),
        suppressed.size(), outcome.unfixedHidden(), outcome.blocking().isEmpty() && blockingSecrets == 0, blockingSecrets, secrets.size() - blockingSecrets);
    return new ScanReport(ScanReport.SCHEMA_VERSION, image.digest(), image.name() + ":" + image.tag(), clock.instant().toString(),
        new ScanReport.Os(inventory.osId(), inventory.osRelease(), inventory.osVersion()), db,
        new ScanReport.PolicyInfo(request.failOn().stream().map(Enum::name).sorted().toList(), request.ignoreUnfixed(),
            request.severitySource().name(), ignoreFile, request.secrets() == null ? null : request.secrets().label()),
        summary, entries, suppressed,
        new ScanReport.Packages(debs, maven, count(inventory, InstalledPackage.UBUNTU), count(inventory, InstalledPackage.ALPINE),
            inventory.guessedJars().size(), inventory.unidentifiedJars().size()),
        inventory.warnings(), secretsScanned ? secretEntries : null, secretsScanned ? secretsNotSearched : null, jars);
  }

  private static int count(ImageInventory inventory, String ecosystem) {
    return (int) inventory.packages().stream().filter(p -> ecosystem.equals(p.ecosystem())).count();
  }

  /**
   * The summary the mojo logs: the first line {@code imagegate:scan <digest> PASSED|FAILED}, then the counts and the
   * inventory on indented lines, each within {@link dev.imagegate.LogLine#WIDTH} characters.
   */
  public static String summaryLine(ScanReport r, double seconds) {
    ScanReport.Summary s = r.summary();
    String nl = System.lineSeparator() + "  ";
    return String.format(Locale.ROOT, "imagegate:scan %s %s in %.2f s: %d critical, %d high, %d medium, %d low, %d unknown", r.digest(),
        s.passed() ? "PASSED" : "FAILED", seconds, s.critical(), s.high(), s.medium(), s.low(), s.unknown())
        + nl + String.format(Locale.ROOT, "%d blocking, %d suppressed, %d unfixed hidden", s.blocking(), s.suppressed(), s.unfixedHidden())
        + (r.secrets() == null ? "" : String.format(Locale.ROOT, "; %d secrets, %d allowed, %d files not searched for secrets", s.secrets(),
            s.secretsAllowed(), r.secretsNotSearched() == null ? 0 : r.secretsNotSearched().size()))
        + nl + String.format(Locale.ROOT, "%s %s, %d os + %d maven packages, %d jars identified by guess, %d jars not identified",
            r.os().family() == null ? "no-os" : r.os().family(), r.os().version() == null ? "" : r.os().version(), r.packages().os(),
            r.packages().maven(), r.packages().jarsGuessed(), r.packages().jarsUnidentified())
        + nl + "vulnerability database of " + r.database().updatedAt();
  }
}
