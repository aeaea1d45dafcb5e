package dev.imagegate.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What an AWS SDK failure says, in one short line: the SDK's own messages can run to a thousand characters (a missing
 * credential lists every provider of its chain with each one's reason), which buries what failed. The full exception
 * stays the cause, for {@code mvn -e}.
 */
public final class SdkFailure {
  private static final String NO_CREDENTIALS = "Unable to load credentials from any of the providers in the chain";
  private static final Pattern PROVIDER = Pattern.compile("(\\w+)CredentialsProvider\\(");
  private static final int MAX = 160;

  private SdkFailure() {}

  /** The failure in one line of at most about 160 characters, never a secret (the SDK's messages hold none). */
  public static String describe(Throwable e) {
    String message = firstMessage(e);
    if (message.contains(NO_CREDENTIALS)) {
      return "no AWS credentials found (tried: " + String.join(", ", providers(message)) + ")";
    }
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      String code = s.awsErrorDetails().errorCode();
      String text = s.awsErrorDetails().errorMessage();
      return shorten((code == null ? "" : code + ": ") + (text == null ? "" : text) + " (HTTP " + s.statusCode() + ")");
    }
    if (e instanceof SdkClientException && message.startsWith("Unable to execute HTTP request")) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return shorten("unreachable: " + (root == e ? message : root.getClass().getSimpleName() + ": " + root.getMessage()));
    }
    return shorten(message);
  }

  private static List<String> providers(String message) {
    int reasons = message.indexOf(" : [");
    Matcher m = PROVIDER.matcher(reasons < 0 ? message : message.substring(0, reasons));
    List<String> names = new ArrayList<>();
    while (m.find()) {
      if (!names.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names.isEmpty() ? List.of("the SDK default chain") : names;
  }

  private static String firstMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static String shorten(String s) {
    return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
  }
}
