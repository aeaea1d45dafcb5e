package dev.imagegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The loggers that print credentials at debug level are held at info unless the user configured them. */
class SecretBearingLoggersTest {

  @Test
  void theSigV4SignersAndWireLoggersAreHeldAtInfo() {
    Properties p = new Properties();
    p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug"); // what mvn -X sets
    SecretBearingLoggers.hold(p);
    // the classes that log "AWS4 Canonical Request" in AWS SDK 2.57.8, matched by slf4j-simple's prefix rule
    for (String logger : new String[] {
        "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner",
        "software.amazon.awssdk.auth.signer.internal.AbstractAws4Signer",
        "org.apache.http.wire", "org.eclipse.jgit.transport.http.JDKHttpConnection"}) {
      assertEquals("info", levelFor(p, logger), logger);
    }
  }

  @Test
  void mavenFilteringsPropertiesDumpIsHeldAtInfo() {
    // maven-resources-plugin (maven-filtering 3.3.1, BaseFilter) logs "properties used:" and then every env.* variable
    // under mvn -X: COSIGN_PASSWORD, GITOPS_TOKEN, IMAGEGATE_GITOPS_SSH_PASSPHRASE, AWS_SESSION_TOKEN, ...
    Properties p = new Properties();
    p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    SecretBearingLoggers.hold(p);
    for (String logger : new String[] {
        "org.apache.maven.shared.filtering.DefaultMavenResourcesFiltering",
        "org.apache.maven.shared.filtering.DefaultMavenFileFilter"}) {
      assertEquals("info", levelFor(p, logger), logger);
    }
  }

  @Test
  void aFilteringLevelSetInJvmConfigIsKeptAndNotReported() {
    // .mvn/jvm.config set it before maven-resources-plugin ran: hold() leaves it and the goals do not warn
    Properties p = new Properties();
    p.setProperty(SecretBearingLoggers.PREFIX + SecretBearingLoggers.FILTERING, "info");
    assertTrue(!SecretBearingLoggers.hold(p).contains(SecretBearingLoggers.FILTERING));
  }

  @Test
  void aLevelTheUserSetIsKept() {
    Properties p = new Properties();
    p.setProperty(SecretBearingLoggers.PREFIX + "org.apache.http.wire", "debug");
    assertTrue(!SecretBearingLoggers.hold(p).contains("org.apache.http.wire"));
    assertEquals("debug", p.getProperty(SecretBearingLoggers.PREFIX + "org.apache.http.wire"));
  }

  /** slf4j-simple's rule: the property of the longest dotted prefix of the logger name. */
  private static String levelFor(Properties p, String name) {
    for (String n = name; !n.isEmpty(); n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : "") {
      String v = p.getProperty(SecretBearingLoggers.PREFIX + n);
      if (v != null) {
        return v;
      }
    }
    return p.getProperty("org.slf4j.simpleLogger.defaultLogLevel");
  }
}
