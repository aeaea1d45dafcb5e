package dev.imagegate.aws;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The AWS SDK's system properties a test needs, set before each test and put back as they were afterwards:
 * {@code @RegisterExtension final AwsSystemProperties aws = AwsSystemProperties.sessionCredentials();}.
 */
public final class AwsSystemProperties implements BeforeEachCallback, AfterEachCallback {
  private final Map<String, String> values;
  private final Map<String, String> before = new HashMap<>();

  private AwsSystemProperties(Map<String, String> values) {
    this.values = values;
  }

  /** Short-lived session credentials, which the SDK's system-property provider finds before any other. */
  public static AwsSystemProperties sessionCredentials() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("aws.accessKeyId", "ASIAIOSFODNN7EXAMPLE");
    values.put("aws.secretAccessKey", "it-secret");
    values.put("aws.sessionToken", "it-token");
    return new AwsSystemProperties(values);
  }

  /** No shared credentials or config file: the profile provider finds nothing of this machine's user. */
  public static AwsSystemProperties noCredentialFiles() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("aws.sharedCredentialsFile", "/nonexistent/imagegate-test/credentials");
    values.put("aws.configFile", "/nonexistent/imagegate-test/config");
    return new AwsSystemProperties(values);
  }

  /** These properties and {@code name=value} too. */
  public AwsSystemProperties and(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(values);
    more.put(name, value);
    return new AwsSystemProperties(more);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    values.forEach((name, value) -> {
      before.put(name, System.getProperty(name));
      System.setProperty(name, value);
    });
  }

  @Override
  public void afterEach(ExtensionContext context) {
    before.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
    before.clear();
  }
}
