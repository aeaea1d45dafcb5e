package dev.imagegate.github;

/**
 * A GitHub Actions workflow command ({@code ::error file=pom.xml,line=18,title=…::message}): the runner turns it into
 * an annotation on that line of the pull request and the run. Escaped as the runner unescapes: {@code %}, CR and LF in
 * the message; also {@code :} and {@code ,} in the properties.
 */
public final class WorkflowCommand {

  private WorkflowCommand() {}

  /** An {@code error} annotation on a line. */
  public static String error(SourceLocation at, String title, String message) {
    return "::error file=" + property(at.file()) + ",line=" + at.line() + ",title=" + property(title) + "::" + data(message);
  }

  /** A {@code warning} annotation on a line. */
  public static String warning(SourceLocation at, String title, String message) {
    return "::warning file=" + property(at.file()) + ",line=" + at.line() + ",title=" + property(title) + "::" + data(message);
  }

  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
