package dev.imagegate.registry;

import dev.imagegate.Reporter;
import dev.imagegate.oci.OciArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * For scripts/bench/push.
 *
 * <ul>
 *   <li>{@code PushBenchMain <archive> <tag> <host/repo>...}: one push (a fresh JVM per run); prints
 *       {@code seconds bytes digest push-cpu process-cpu}: the CPU-seconds (user + sys, every thread of this process:
 *       the push's, the HTTP client's, the JIT's and the GC's) spent during the push, and over the whole process so far
 *       (JVM start and class loading included).</li>
 *   <li>{@code PushBenchMain <archive> <tag> --rounds N <host/repo>...}: N rounds in THIS JVM, as inside a running
 *       {@code mvn deploy}; each round pushes cold to new repositories ({@code <repo>-r<i>}) and then re-pushes (warm).
 *       Registries that ask for credentials get {@code AWS:$IMAGEGATE_ECR_PASSWORD} (the local ECR regions).
 *       Prints one line per round ({@code round i cold s bytes warm s bytes busy b idle i}: the machine's busy and idle
 *       cpu-seconds during the cold push, from {@code /proc/stat}, all processes, registries included; and
 *       {@code cpu}: this process's own CPU-seconds, user + sys, during the cold push, and {@code sys}: its kernel part),
 *       then
 *       {@code first-cold}, {@code median-cold}, {@code spread-cold} (min q1 q3 max), {@code median-warm},
 *       {@code median-busy}, {@code median-idle}, {@code median-cpu} (spread: {@code spread-cpu}) and {@code median-sys} over rounds 2..N,
 *       and {@code cores}.</li>
 * </ul>
 */
public final class PushBenchMain {
  private PushBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args[0]);
    String tag = args[1];
    int rounds = 0;
    int first = 2;
    boolean threads = false;
    if (args.length > 2 && args[first].equals("--threads")) {
      threads = true;
      first++;
    }
    if (args.length > first + 1 && args[first].equals("--rounds")) {
      rounds = Integer.parseInt(args[first + 1]);
      first += 2;
    }
    List<String> targets = Arrays.asList(args).subList(first, args.length);
    String digest;
    try (OciArchive a = OciArchive.open(archive)) {
      digest = a.manifestDescriptor().digest();
    }
    if (rounds == 0) {
      long cpu0 = processCpuNanos();
      double[] r = push(archive, digest, tag, targets, "");
      long cpu1 = processCpuNanos();
      System.out.printf(Locale.ROOT, "%.3f %d %s %.3f %.3f%n", r[0], (long) r[1], digest, (cpu1 - cpu0) / 1e9, cpu1 / 1e9);
      return;
    }
    double[] cold = new double[rounds];
    double[] warm = new double[rounds];
    double[] busy = new double[rounds];
    double[] idle = new double[rounds];
    double[] cpu = new double[rounds];
    double[] sys = new double[rounds];
    java.util.Map<String, long[]> perThread = new java.util.TreeMap<>();
    long gc0 = 0;
    long gcMillis0 = 0;
    for (int i = 0; i < rounds; i++) {
      if (i == 1) {
        gc0 = gcCount();
        gcMillis0 = gcMillis();
      }
      java.util.Map<String, long[]> t0 = threads && i > 0 ? threadTicks() : java.util.Map.of();
      long[] s0 = cpuJiffies();
      long p0 = processCpuNanos();
      long k0 = processSysTicks();
      double[] c = push(archive, digest, tag, targets, "-r" + i);
      long k1 = processSysTicks();
      long p1 = processCpuNanos();
      long[] s1 = cpuJiffies();
      if (threads && i > 0) {
        threadTicks().forEach((name, t) -> {
          long[] before = t0.getOrDefault(name, new long[2]);
          long[] sum = perThread.computeIfAbsent(name, k -> new long[2]);
          sum[0] += t[0] - before[0];
          sum[1] += t[1] - before[1];
        });
      }
      double[] w = push(archive, digest, tag, targets, "-r" + i);
      cold[i] = c[0];
      warm[i] = w[0];
      busy[i] = (s1[0] - s0[0]) / 100.0;
      idle[i] = (s1[1] - s0[1]) / 100.0;
      cpu[i] = (p1 - p0) / 1e9;
      sys[i] = (k1 - k0) / 100.0;
      System.out.printf(Locale.ROOT, "round %d cold %.3f s %d bytes warm %.3f s %d bytes busy %.2f idle %.2f cpu %.3f sys %.2f%n", i + 1, c[0], (long) c[1], w[0], (long) w[1], busy[i], idle[i], cpu[i], sys[i]);
    }
    System.out.printf(Locale.ROOT, "first-cold %.3f%n", cold[0]);
    System.out.printf(Locale.ROOT, "first-warm %.3f%n", warm[0]);
    System.out.printf(Locale.ROOT, "median-cold %.3f%n", median(Arrays.copyOfRange(cold, rounds > 1 ? 1 : 0, rounds)));
    double[] c = Arrays.copyOfRange(cold, rounds > 1 ? 1 : 0, rounds);
    Arrays.sort(c);
    System.out.printf(Locale.ROOT, "spread-cold %.3f %.3f %.3f %.3f%n", c[0], c[(c.length - 1) / 4], c[(c.length - 1) * 3 / 4], c[c.length - 1]);
    System.out.printf(Locale.ROOT, "median-warm %.3f%n", median(Arrays.copyOfRange(warm, rounds > 1 ? 1 : 0, rounds)));
    System.out.printf(Locale.ROOT, "median-busy %.2f%n", median(Arrays.copyOfRange(busy, rounds > 1 ? 1 : 0, rounds)));
    System.out.printf(Locale.ROOT, "median-idle %.2f%n", median(Arrays.copyOfRange(idle, rounds > 1 ? 1 : 0, rounds)));
    System.out.printf(Locale.ROOT, "median-cpu %.3f%n", median(Arrays.copyOfRange(cpu, rounds > 1 ? 1 : 0, rounds)));
    System.out.printf(Locale.ROOT, "median-sys %.2f%n", median(Arrays.copyOfRange(sys, rounds > 1 ? 1 : 0, rounds)));
    double[] p = Arrays.copyOfRange(cpu, rounds > 1 ? 1 : 0, rounds);
    Arrays.sort(p);
    System.out.printf(Locale.ROOT, "spread-cpu %.3f %.3f %.3f %.3f%n", p[0], p[(p.length - 1) / 4], p[(p.length - 1) * 3 / 4], p[p.length - 1]);
    System.out.printf(Locale.ROOT, "cores %d%n", Runtime.getRuntime().availableProcessors());
    if (threads && rounds > 1) {
      int n = rounds - 1;
      System.out.printf(Locale.ROOT, "gc %.1f collections %.1f ms per round (cold and warm push)%n", (gcCount() - gc0) / (double) n, (gcMillis() - gcMillis0) / (double) n);
      perThread.forEach((name, t) -> {
        if (t[0] + t[1] > 0) {
          System.out.printf(Locale.ROOT, "thread %-40s user %.3f sys %.3f cpu-s per cold push%n", name, t[0] / 100.0 / n, t[1] / 100.0 / n);
        }
      });
    }
  }

  /**
   * User and system ticks (1/100 s) of this process's threads, summed by thread name with digits dropped (the HTTP
   * client's {@code HttpClient-1-SelectorManager}, the pool's threads, {@code C2 CompilerThread0}…), from
   * {@code /proc/self/task/<tid>/stat}; threads that ended (the push's pools are per push) are summed
   * as {@code (ended threads)}: the process's total ({@code /proc/self/stat}) minus the live threads.
   */
  static java.util.Map<String, long[]> threadTicks() {
    java.util.Map<String, long[]> byName = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String st = java.nio.file.Files.readString(task.resolve("stat"));
          String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+", "N");
          String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
          long[] t = byName.computeIfAbsent(name, k -> new long[2]);
          t[0] += Long.parseLong(f[11]);
          t[1] += Long.parseLong(f[12]);
        } catch (java.io.IOException | RuntimeException gone) {
          // the thread ended
        }
      }
    } catch (java.io.IOException e) {
      return byName;
    }
    // the whole process (threads that ended included) minus the live threads: the threads that ended
    try {
      String st = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
      String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
      long[] live = new long[2];
      byName.values().forEach(t -> {
        live[0] += t[0];
        live[1] += t[1];
      });
      byName.put("(ended threads)", new long[] {Long.parseLong(f[11]) - live[0], Long.parseLong(f[12]) - live[1]});
    } catch (java.io.IOException | RuntimeException e) {
      // no total
    }
    return byName;
  }

  private static long gcCount() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
  }

  private static long gcMillis() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
  }

  /** One push of {@code archive} to every target ({@code host/repo} + {@code suffix}): seconds and bytes uploaded. */
  public static double[] push(Path archive, String digest, String tag, List<String> targets, String suffix) throws Exception {
    List<ImagePusher.Destination> ds = new ArrayList<>();
    for (String t : targets) {
      int slash = t.indexOf('/', t.contains("://") ? t.indexOf("://") + 3 : 0); // an https://host/repo target keeps its scheme
      ds.add(new ImagePusher.Destination(
          new RegistryClient(t.substring(0, slash), t.substring(slash + 1) + suffix, host -> Optional.ofNullable(System.getenv("IMAGEGATE_ECR_PASSWORD")).map(pw -> new Credential("AWS", pw)), RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT),
          Optional.empty(), false));
    }
    long t0 = System.nanoTime();
    List<ImagePusher.Result> rs = new ImagePusher(Reporter.SILENT, 4).push(archive, digest, List.of(tag), ds);
    double s = (System.nanoTime() - t0) / 1e9;
    return new double[] {s, rs.stream().mapToLong(ImagePusher.Result::uploadedBytes).sum()};
  }

  /**
   * This process's CPU time so far, user + sys over all its threads (JIT compiler and GC threads included), in
   * nanoseconds: {@code getrusage}/{@code clock_gettime} through the JDK's {@code OperatingSystemMXBean}.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** This process's system (kernel) time so far, in USER_HZ ticks (1/100 s), from {@code /proc/self/stat}; 0 where there is none. */
  static long processSysTicks() {
    try {
      String st = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
      return Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[12]);
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The machine's busy and idle (idle + iowait) time so far, in USER_HZ ticks (1/100 s), from the {@code cpu} line
   * of {@code /proc/stat}; zeros where there is none.
   */
  static long[] cpuJiffies() {
    try {
      String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, idle};
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  public static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
