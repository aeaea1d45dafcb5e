package dev.imagegate.registry;

import dev.imagegate.Reporter;
import dev.imagegate.image.OciArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** For scripts/bench/push: {@code PushBenchMain <archive> <tag> <host/repo>...}; prints seconds and bytes sent. */
public final class PushBenchMain {
  private PushBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args[0]);
    String digest;
    try (OciArchive a = OciArchive.open(archive)) {
      digest = a.manifestDescriptor().digest();
    }
    List<ImagePusher.Destination> ds = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      int slash = args[i].indexOf('/');
      ds.add(new ImagePusher.Destination(
          new RegistryClient(args[i].substring(0, slash), args[i].substring(slash + 1), CredentialProvider.NONE, RegistryOptions.DEFAULTS.withAllowInsecure(true), Reporter.SILENT),
          Optional.empty(), false));
    }
    long t0 = System.nanoTime();
    List<ImagePusher.Result> rs = new ImagePusher(Reporter.SILENT, 4).push(archive, digest, List.of(args[1]), ds);
    double s = (System.nanoTime() - t0) / 1e9;
    long bytes = rs.stream().mapToLong(ImagePusher.Result::uploadedBytes).sum();
    System.out.printf(Locale.ROOT, "%.3f %d %s%n", s, bytes, digest);
  }
}
