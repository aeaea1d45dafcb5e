package dev.imagegate.aws;

import dev.imagegate.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What an AWS SDK failure says, in one or two short lines: the SDK's own messages can run to a thousand characters (a
 * missing credential lists every provider of its chain with each one's reason; a service error appends
 * {@code (Service: …, Status Code: …, Request ID: …)}), which buries what failed. {@link #failed} names the operation
 * and the resource, then AWS's error code, then (indented) what AWS said; {@link #fix} gives the fix that fits the
 * kind of failure. The full exception stays the cause, for {@code mvn -e}.
 */
public final class SdkFailure {
  /** The fix when no credentials were found (any goal that talks to AWS). */
  public static final String CREDENTIALS_FIX = "In GitHub Actions set imagegate.aws.roleArn and 'permissions: id-token: write'; "
      + "else a profile or SSO.";
  /** The fix when the session credentials expired. */
  public static final String EXPIRED_FIX = "The AWS session expired: run the goal again, or raise the role's maximum session duration.";
  /** The fix when the endpoint could not be reached. */
  public static final String UNREACHABLE_FIX = "Check the region, the endpoint (imagegate.aws.endpoint, AWS_ENDPOINT_URL) and the network.";

  private static final String NO_CREDENTIALS = "Unable to load credentials from any of the providers in the chain";
  private static final Pattern PROVIDER = Pattern.compile("(\\w+)CredentialsProvider\\(");
  private static final Pattern EXPIRED = Pattern.compile("ExpiredToken(Exception)?|RequestExpired|TokenRefreshRequired|InvalidToken");
  private static final int MAX = 160;
  /** A line of a goal's failure is printed after Maven's {@code [ERROR] }. */
  private static final int LINE = LogLine.WIDTH - "[ERROR] ".length();

  private SdkFailure() {}

  /**
   * {@code <what> failed: <AWS error code> (HTTP <status>)} and, on an indented second line, AWS's own words; or
   * {@code <what> failed: no AWS credentials found} / {@code unreachable (…)}. {@code what} names the operation and the
   * resource ({@code "KMS GetPublicKey for awskms:///arn:…"}).
   */
  public static String failed(String what, Throwable e) {
    String nl = System.lineSeparator();
    String message = firstMessage(e);
    if (message.contains(NO_CREDENTIALS)) {
      return what + " failed: no AWS credentials found" + nl + "  (tried " + String.join(", ", providers(message)) + ")";
    }
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      String code = s.awsErrorDetails().errorCode();
      String text = s.awsErrorDetails().errorMessage();
      return what + " failed: " + (code == null ? "" : code + " ") + "(HTTP " + s.statusCode() + ")"
          + (text == null || text.isBlank() ? "" : nl + wrap("  AWS: ", text.strip(), 3));
    }
    if (e instanceof SdkClientException && message.startsWith("Unable to execute HTTP request")) {
      return what + " failed: unreachable" + nl + wrap("  ", rootCause(e), 1);
    }
    return what + " failed:" + nl + wrap("  ", message, 2);
  }

  /**
   * {@code text} on at most {@code lines} lines of at most {@link #LINE} characters (an identifier longer than that has a
   * line of its own), the first after {@code lead}, the others indented like it; what does not fit ends in {@code …}.
   */
  static String wrap(String lead, String text, int lines) {
    String indent = " ".repeat(lead.length());
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(lead);
    int count = 1;
    for (String word : text.split("\\s+")) {
      String longer = line + (line.length() == lead.length() ? "" : " ") + word;
      if (longer.length() <= LINE || line.toString().isBlank() || line.toString().equals(lead)) {
        line.setLength(0);
        line.append(longer);
        continue;
      }
      if (count == lines) {
        return out.append(line).append(" …").toString();
      }
      out.append(line).append(System.lineSeparator());
      line.setLength(0);
      line.append(indent).append(word);
      count++;
    }
    return out.append(line).toString();
  }

  /** The fix for this kind of failure: credentials, an expired session, the endpoint, or else {@code refused} (a permission, a missing resource). */
  public static String fix(Throwable e, String refused) {
    if (firstMessage(e).contains(NO_CREDENTIALS)) {
      return CREDENTIALS_FIX;
    }
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null
        && EXPIRED.matcher(s.awsErrorDetails().errorCode()).matches()) {
      return EXPIRED_FIX;
    }
    if (e instanceof SdkClientException && firstMessage(e).startsWith("Unable to execute HTTP request")) {
      return UNREACHABLE_FIX;
    }
    return refused;
  }

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
      return shorten("unreachable: " + rootCause(e));
    }
    return shorten(message);
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? firstMessage(e) : root.getClass().getSimpleName() + ": " + firstMessage(root);
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
    return cut(s, MAX);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
