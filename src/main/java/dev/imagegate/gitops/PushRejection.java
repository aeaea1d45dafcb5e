package dev.imagegate.gitops;

import java.util.Locale;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Why the GitOps server did not take a push: JGit's status for the ref, the reason the server gave for it, and what the
 * server printed while receiving (a pre-receive hook's or a forge's branch-protection text arrives there).
 *
 * <p>Only a lost race is worth another round (fetch the new tip, apply the edit again, push): the ref moved between
 * fetch and push ({@code REJECTED_NONFASTFORWARD}, {@code REJECTED_REMOTE_CHANGED}, or, when the server lost its ref
 * lock to a concurrent push, {@code REJECTED_OTHER_REASON} with the branch found moved). Anything else, a hook that
 * declined, a protected branch, a server that refuses ref creation, fails at once in the server's own words.
 *
 * @param status JGit's status of the ref update
 * @param reason the server's reason on the ref's status line ({@code ng refs/heads/main <reason>}); may be empty
 * @param serverMessages what the server sent on its message channel ({@code remote: …} lines); may be empty
 */
record PushRejection(RemoteRefUpdate.Status status, String reason, String serverMessages) {
  private static final int MAX_MESSAGE = 2000;

  PushRejection {
    reason = clean(reason);
    serverMessages = clean(serverMessages);
  }

  /** Whether the status alone says the target branch moved under the push, so that a new round can succeed. */
  boolean isRace() {
    return status == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD || status == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED;
  }

  /** The status and the server's words, for a log line or an error message. */
  String describe() {
    StringBuilder sb = new StringBuilder(status.name());
    if (!reason.isEmpty()) {
      sb.append(" (").append(reason).append(')');
    }
    if (!serverMessages.isEmpty() && !serverMessages.equals(reason)) {
      sb.append("; the server said: ").append(serverMessages);
    }
    return sb.toString();
  }

  /** One line: control characters (a hook may print colours) and line breaks go, long text is cut. */
  private static String clean(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "")
        .lines()
        .map(String::strip)
        .map(l -> l.toLowerCase(Locale.ROOT).startsWith("remote:") ? l.substring("remote:".length()).strip() : l)
        .filter(l -> !l.isEmpty())
        .reduce((a, b) -> a + " / " + b)
        .orElse("")
        .replaceAll("\\p{Cntrl}", " ");
    return oneLine.length() > MAX_MESSAGE ? oneLine.substring(0, MAX_MESSAGE) + "…" : oneLine;
  }
}
