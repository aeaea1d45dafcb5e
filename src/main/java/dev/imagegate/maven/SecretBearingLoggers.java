package dev.imagegate.maven;

import java.util.List;
import java.util.Properties;

/**
 * Loggers of the libraries the goals use that write credentials at debug level, held at {@code info} even under
 * {@code mvn -X}. The AWS SDK's SigV4 signers log the canonical request, which carries the
 * {@code x-amz-security-token} header (the STS session token) and the access key id, and the string to sign;
 * HTTP wire and header loggers print {@code Authorization} headers (registry and git passwords, tokens).
 *
 * <p>Maven's slf4j binding (maven-slf4j-provider, slf4j-simple underneath) gives each logger the level of the most
 * specific {@code org.slf4j.simpleLogger.log.<name>} system property when the logger is created, so setting these
 * before the goals load the libraries keeps those lines out of the log. A level the user set explicitly for one of
 * these names is left alone (a deliberate choice, e.g. to debug the SDK with throw-away credentials).
 */
final class SecretBearingLoggers {
  static final String PREFIX = "org.slf4j.simpleLogger.log.";

  /** maven-filtering (maven-resources-plugin), which under -X logs every {@code env.*} variable. */
  static final String FILTERING = "org.apache.maven.shared.filtering";

  /** Logger name prefixes whose debug output can contain a credential. */
  static final List<String> NAMES = List.of(
      "software.amazon.awssdk.auth.signer", // legacy Aws4Signer: "AWS4 Canonical Request", "AWS4 String to sign"
      "software.amazon.awssdk.http.auth", // DefaultV4RequestSigner (the SRA signer) logs the same
      "software.amazon.awssdk.request", // request logging
      "software.amazon.awssdk.auth.credentials", // credential providers
      "software.amazon.awssdk.services.sts", // STS responses (session credentials)
      "software.amazon.awssdk.wire",
      "org.apache.http.wire", // Apache HttpClient 4 wire log (bodies and headers)
      "org.apache.http.headers",
      "org.apache.hc.client5.http.wire", // Apache HttpClient 5
      "org.apache.hc.client5.http.headers",
      "org.eclipse.jgit.transport.http", // JGit's HTTP connections
      "org.eclipse.jgit.internal.transport.sshd", // JGit's SSH: key loading (passphrases)
      "org.apache.sshd",
      // maven-resources-plugin's filtering: "properties used:" then every env.* variable (COSIGN_PASSWORD, GITOPS_TOKEN,
      // IMAGEGATE_GITOPS_SSH_PASSPHRASE, AWS_SESSION_TOKEN). It runs before any imagegate goal, so holding it here is
      // too late for the first build of a JVM: .mvn/jvm.config must set it (the goals warn under -X when it does not).
      FILTERING);

  private SecretBearingLoggers() {}

  /** Sets {@code info} for every name the user has not configured; returns the names it set. */
  static List<String> hold(Properties system) {
    return NAMES.stream().filter(n -> system.getProperty(PREFIX + n) == null).peek(n -> system.setProperty(PREFIX + n, "info")).toList();
  }
}
