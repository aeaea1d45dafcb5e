package dev.imagegate.registry;

import dev.imagegate.Reporter;
import dev.imagegate.image.OciArchive;
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
 *       {@code seconds bytes digest}.</li>
 *   <li>{@code PushBenchMain <archive> <tag> --rounds N <host/repo>...}: N rounds in THIS JVM, as inside a running
 *       {@code mvn deploy}; each round pushes cold to new repositories ({@code <repo>-r<i>}) and then re-pushes (warm).
 *       Registries that ask for credentials get {@code AWS:$IMAGEGATE_ECR_PASSWORD} (the local ECR regions).
 *       Prints one line per round ({@code round i cold s bytes warm s bytes}), then {@code first-cold},
 *       {@code median-cold} and {@code median-warm} over rounds 2..N.</li>
 * </ul>
 */
public final class PushBenchMain {
  private PushBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args[0]);
    String tag = args[1];
    int rounds = 0;
    int first = 2;
    if (args.length > 3 && args[2].equals("--rounds")) {
      rounds = Integer.parseInt(args[3]);
      first = 4;
    }
    List<String> targets = Arrays.asList(args).subList(first, args.length);
    String digest;
    try (OciArchive a = OciArchive.open(archive)) {
      digest = a.manifestDescriptor().digest();
    }
    if (rounds == 0) {
      double[] r = push(archive, digest, tag, targets, "");
      System.out.printf(Locale.ROOT, "%.3f %d %s%n", r[0], (long) r[1], digest);
      return;
    }
    double[] cold = new double[rounds];
    double[] warm = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      double[] c = push(archive, digest, tag, targets, "-r" + i);
      double[] w = push(archive, digest, tag, targets, "-r" + i);
      cold[i] = c[0];
      warm[i] = w[0];
      System.out.printf(Locale.ROOT, "round %d cold %.3f s %d bytes warm %.3f s %d bytes%n", i + 1, c[0], (long) c[1], w[0], (long) w[1]);
    }
    System.out.printf(Locale.ROOT, "first-cold %.3f%n", cold[0]);
    System.out.printf(Locale.ROOT, "first-warm %.3f%n", warm[0]);
    System.out.printf(Locale.ROOT, "median-cold %.3f%n", median(Arrays.copyOfRange(cold, rounds > 1 ? 1 : 0, rounds)));
    System.out.printf(Locale.ROOT, "median-warm %.3f%n", median(Arrays.copyOfRange(warm, rounds > 1 ? 1 : 0, rounds)));
  }

  private static double[] push(Path archive, String digest, String tag, List<String> targets, String suffix) throws Exception {
    List<ImagePusher.Destination> ds = new ArrayList<>();
    for (String t : targets) {
      int slash = t.indexOf('/');
      ds.add(new ImagePusher.Destination(
          new RegistryClient(t.substring(0, slash), t.substring(slash + 1) + suffix, host -> Optional.ofNullable(System.getenv("IMAGEGATE_ECR_PASSWORD")).map(pw -> new Credential("AWS", pw)), RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT),
          Optional.empty(), false));
    }
    long t0 = System.nanoTime();
    List<ImagePusher.Result> rs = new ImagePusher(Reporter.SILENT, 4).push(archive, digest, List.of(tag), ds);
    double s = (System.nanoTime() - t0) / 1e9;
    return new double[] {s, rs.stream().mapToLong(ImagePusher.Result::uploadedBytes).sum()};
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
