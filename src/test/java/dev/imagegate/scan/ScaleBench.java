package dev.imagegate.scan;

import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.registry.PushBenchMain;
import dev.imagegate.scan.inventory.JarInspector;
import dev.imagegate.scan.osv.Severity;
import dev.imagegate.scan.osv.SeveritySource;
import dev.imagegate.scan.secret.SecretAllowList;
import dev.imagegate.scan.secret.SecretsMode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The scale benchmark (driven by scripts/bench/scale): how scan and push grow with the image. Modes:
 * <ul>
 *   <li>{@code generate <dir> <megabytes> <packages> <seed>}: a {@link SyntheticImage.Shape#scale} image in {@code dir}
 *       (random, incompressible filler);</li>
 *   <li>{@code scan <image dir> <database dir> <rounds>}: the scan as the goal runs it (digests verified, secret scan of
 *       the application's layers, no layer cache: every layer is read) against the imported {@code osv-full} database of
 *       {@link ScanBench}, {@code rounds} times in this JVM;</li>
 *   <li>{@code push <archive> <host/repo> <rounds>}: cold pushes of the archive to new repositories
 *       ({@code <repo>-r<i>}), {@code rounds} times in this JVM.</li>
 * </ul>
 * Each round prints {@code <mode> round <i> wall <s> cpu <s> heap <MB>}: wall seconds, this process's CPU seconds (every
 * thread: GC and JIT included) and the peak heap use during the round (sum of the heap pools' peaks after a GC and a
 * reset); then {@code <mode> first ...} and {@code <mode> median ...} (rounds 2..n, the JIT warm).
 */
public final class ScaleBench {
  private ScaleBench() {}

  /** One measured round. */
  record Sample(double wall, double cpu, double heapMb) {}

  interface Work {
    String run(int round) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> {
        long t0 = System.nanoTime();
        SyntheticImage.Shape shape = SyntheticImage.Shape.scale(Long.parseLong(args[2]), Integer.parseInt(args[3]));
        SyntheticImage.Written w = SyntheticImage.write(Path.of(args[1]), shape, new Random(Long.parseLong(args[4])));
        System.out.printf(Locale.ROOT, "generated %.1f MB, %d layers, %d packages (%d dpkg, %d jars, %d nested + the fat jar) in %.1f s%n",
            w.archiveBytes() / 1e6, w.layers().size(), shape.packages(), shape.dpkg(), shape.jars(), shape.nested(), (System.nanoTime() - t0) / 1e9);
      }
      case "scan" -> scan(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
      case "push" -> push(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void scan(Path image, Path db, int rounds) throws Exception {
    Scanner scanner = new Scanner(Reporter.SILENT, Clock.systemUTC());
    ScanRequest request = new ScanRequest(image, ScanBench.config(db, "full", true), Set.of(Severity.HIGH, Severity.CRITICAL), true, List.of(),
        SeveritySource.VENDOR, Optional.empty(), List.of(), List.of(), JarInspector.Limits.DEFAULT, "bench", SecretsMode.APP, SecretAllowList.empty());
    measure("scan", rounds, round -> {
      Scanner.Result r = scanner.scan(request);
      return String.format(Locale.ROOT, "packages %d findings %d layers %d", r.inventory().packages().size(), r.all().size(),
          r.inventory().layersRead());
    });
  }

  static void push(Path archive, String target, int rounds) throws Exception {
    String digest;
    try (OciArchive a = OciArchive.open(archive)) {
      digest = a.manifestDescriptor().digest();
    }
    measure("push", rounds, round -> {
      double[] r = PushBenchMain.push(archive, digest, "scale", List.of(target), "-r" + round);
      return String.format(Locale.ROOT, "bytes %d", (long) r[1]);
    });
  }

  private static void measure(String mode, int rounds, Work work) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Sample[] samples = new Sample[rounds];
    for (int i = 0; i < rounds; i++) {
      System.gc();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        p.resetPeakUsage();
      }
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      String what = work.run(i + 1);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      long heap = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          heap += p.getPeakUsage().getUsed();
        }
      }
      samples[i] = new Sample(wall, cpu, heap / 1e6);
      System.out.printf(Locale.ROOT, "%s round %d wall %.3f cpu %.3f heap %.1f %s%n", mode, i + 1, wall, cpu, heap / 1e6, what);
    }
    Sample[] warm = rounds > 1 ? Arrays.copyOfRange(samples, 1, rounds) : samples;
    System.out.printf(Locale.ROOT, "%s first wall %.3f cpu %.3f heap %.1f%n", mode, samples[0].wall(), samples[0].cpu(), samples[0].heapMb());
    System.out.printf(Locale.ROOT, "%s median wall %.3f cpu %.3f heap %.1f max-heap %.1f%n", mode,
        PushBenchMain.median(Arrays.stream(warm).mapToDouble(Sample::wall).toArray()),
        PushBenchMain.median(Arrays.stream(warm).mapToDouble(Sample::cpu).toArray()),
        PushBenchMain.median(Arrays.stream(warm).mapToDouble(Sample::heapMb).toArray()),
        Arrays.stream(samples).mapToDouble(Sample::heapMb).max().orElse(0));
  }
}
