package dev.imagegate.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ECR registry host {@code <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]}.
 *
 * @param account the 12-digit registry (account) id
 * @param region the region id
 */
public record EcrRegistry(String account, String region) {
  private static final Pattern HOST =
      Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?(?::\\d+)?");

  public static Optional<EcrRegistry> parse(String host) {
    if (host == null) {
      return Optional.empty();
    }
    Matcher m = HOST.matcher(host);
    return m.matches() ? Optional.of(new EcrRegistry(m.group(1), m.group(2))) : Optional.empty();
  }

  public static boolean isEcr(String host) {
    return parse(host).isPresent();
  }

  public String host() {
    return account + ".dkr.ecr." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "");
  }
}
