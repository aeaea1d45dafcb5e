package dev.imagegate.gitops;

import dev.imagegate.Reporter;
import dev.imagegate.registry.Credential;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Writes an image tag into the values files of a GitOps repository and pushes one commit, safe against concurrent
 * updates and never force-pushing.
 *
 * <p>Each round: fetch only the branch's tip ({@code --depth 1}) into a temporary bare repository, read the values
 * files straight from the commit's tree, edit them with {@link YamlScalarEditor}, build a new tree and commit in
 * memory (no working tree is checked out) and push it with the fetched tip as the expected old value. A rejected
 * push (someone else pushed in between) starts another round on the new tip, after a growing, jittered wait, up to
 * {@link GitopsRequest#maxAttempts()} rounds. When every value is already there, nothing is committed.
 *
 * <p>Credentials go to JGit through a {@link CredentialsProvider} only: the URL is used directly (no remote is
 * configured), so nothing about the server or its credentials is written into the clone's config, which is deleted.
 */
public final class GitopsUpdater {

  /** Called before each push with the attempt number; tests use it to line up two updates. */
  interface PushHook {
    void beforePush(int attempt) throws InterruptedException;
  }

  private final Reporter reporter;
  private final PushHook hook;
  private final List<Thread> cleanups = new java.util.concurrent.CopyOnWriteArrayList<>();

  public GitopsUpdater(Reporter reporter) {
    this(reporter, attempt -> {});
  }

  GitopsUpdater(Reporter reporter, PushHook hook) {
    this.reporter = reporter;
    this.hook = hook;
  }

  public GitopsResult update(GitopsRequest request) throws GitopsException {
    return update(request, SignatureGate.NONE);
  }

  /** Checks the release with the gate first: a refusal happens before anything is fetched, edited or pushed. */
  public GitopsResult update(GitopsRequest request, SignatureGate gate) throws GitopsException {
    gate.check(request.release());
    URIish uri = checkUrl(request);
    if (GitopsSsh.isSsh(uri)) {
      try (GitopsSsh ssh = GitopsSsh.open(request.ssh())) {
        if (!request.ssh().strictHostKeyChecking()) {
          reporter.warn("imagegate:gitops-update: SSH host key checking is OFF (imagegate.gitops.strictHostKeyChecking=false):"
              + " any server answering for " + uri.getHost() + " is trusted with the push.");
        }
        return update(request, uri, null, ssh);
      }
    }
    CredentialsProvider credentials =
        request.credential().map(c -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(c.username(), c.password())).orElse(null);
    return update(request, uri, credentials, null);
  }

  private GitopsResult update(GitopsRequest request, URIish uri, CredentialsProvider credentials, GitopsSsh ssh)
      throws GitopsException {
    Path dir;
    try {
      Files.createDirectories(request.workDirectory());
      sweepStale(request.workDirectory());
      dir = Files.createTempDirectory(request.workDirectory(), "gitops-");
    } catch (IOException e) {
      throw new GitopsException(
          "Cannot create a work directory under " + request.workDirectory() + ": " + e.getMessage(),
          "Check that the build directory is writable.",
          e);
    }
    long started = System.nanoTime();
    try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(request.branch()).call()) {
      reporter.debug(String.format(Locale.ROOT, "gitops: temporary repository in %d ms", (System.nanoTime() - started) / 1_000_000));
      return rounds(request, uri, new Access(credentials, ssh), git.getRepository(), git);
    } catch (GitAPIException e) {
      throw new GitopsException(
          "Cannot create a temporary repository in " + dir + ": " + e.getMessage(), "Check that the build directory is writable.", e);
    } finally {
      // The clone holds no credentials (see the class comment), so it can be removed after the result is returned:
      // on a busy disk, deleting ~30 small files costs 100-200 ms. Leftovers (a JVM that exits first) are swept by
      // the next run.
      Thread deleter = new Thread(() -> delete(dir), "imagegate-gitops-cleanup");
      deleter.start();
      cleanups.add(deleter);
    }
  }

  /** How to reach the server: HTTP(S) credentials, or the SSH session factory. */
  private record Access(CredentialsProvider credentials, GitopsSsh ssh) {}

  private GitopsResult rounds(GitopsRequest request, URIish uri, Access access, Repository repo, Git git)
      throws GitopsException {
    String display = display(request);
    String baseRef = Constants.R_HEADS + request.branch();
    String targetRef = Constants.R_HEADS + request.targetBranch();
    long wait = Math.max(1, request.backoff().toMillis());
    String lastRejection = "";
    for (int attempt = 1; attempt <= request.maxAttempts(); attempt++) {
      long t0 = System.nanoTime();
      Tip tip = fetch(request, display, access, git, baseRef, targetRef);
      long t1 = System.nanoTime();
      Edited edited = edit(request, repo, tip.id());
      reporter.debug(
          String.format(
              Locale.ROOT, "gitops: attempt %d fetched %s in %d ms, edited in %d ms", attempt, tip.id().name(), (t1 - t0) / 1_000_000,
              (System.nanoTime() - t1) / 1_000_000));
      if (edited.commit() == null) {
        reporter.info(
            "imagegate:gitops-update " + display + " " + request.targetBranch() + " already has " + request.release().tag()
                + " in every file: nothing to commit.");
        return result(request, display, tip.id().name(), false, List.of(), attempt, edited.changes());
      }
      try {
        hook.beforePush(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitopsException("Interrupted before pushing.", "Run the goal again.", e);
      }
      long pushStart = System.nanoTime();
      PushRejection outcome;
      try (Transport transport = Transport.open(repo, uri)) {
        configure(transport, request, access);
        RemoteRefUpdate update =
            new RemoteRefUpdate(
                repo,
                edited.commit().name(),
                edited.commit(),
                targetRef,
                false, // never force
                null,
                tip.expectedOld());
        PushResult pushed = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
        RemoteRefUpdate result = pushed.getRemoteUpdate(targetRef);
        outcome = new PushRejection(result.getStatus(), result.getMessage(), pushed.getMessages());
      } catch (IOException e) {
        throw transportFailure(request, display, access, "push to", e);
      }
      RemoteRefUpdate.Status status = outcome.status();
      reporter.debug(String.format(Locale.ROOT, "gitops: push %s in %d ms", status, (System.nanoTime() - pushStart) / 1_000_000));
      if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        reporter.info(
            String.format(
                Locale.ROOT,
                "imagegate:gitops-update %s %s -> %s (%d file%s, attempt %d)",
                display,
                request.targetBranch(),
                edited.commit().name(),
                edited.files().size(),
                edited.files().size() == 1 ? "" : "s",
                attempt));
        return result(request, display, edited.commit().name(), true, edited.files(), attempt, edited.changes());
      }
      lastRejection = outcome.describe();
      // a server that loses its ref lock to a concurrent push says "failed to update ref" (REJECTED_OTHER_REASON):
      // whether the branch moved since the fetch, not the wording, tells a race from a rule
      if (!outcome.isRace() && remoteTip(request, display, access, git, targetRef).equals(tip.expectedOld())) {
        throw new GitopsException(
            "The GitOps server " + display + " rejected the push to " + request.targetBranch() + ": " + lastRejection + ".",
            "This is a rule of the server (a hook, a protected branch, a permission), not a race, so it was not retried: do"
                + " what the server's message asks, or point the update at a branch the token may push to"
                + " (imagegate.gitops.pushToBranch=true, then merge through a pull request).");
      }
      if (attempt < request.maxAttempts()) {
        long sleep = Math.min(wait, 10_000) + ThreadLocalRandom.current().nextLong(Math.min(wait, 10_000) / 2 + 1);
        reporter.info(
            "imagegate:gitops-update: " + request.targetBranch() + " moved while pushing (" + lastRejection + "); fetching the new tip"
                + " and applying the change again in " + sleep + " ms (attempt " + (attempt + 1) + " of " + request.maxAttempts() + ")");
        sleep(sleep);
        wait *= 2;
      }
    }
    throw new GitopsException(
        "Gave up pushing to " + request.targetBranch() + " of " + display + " after " + request.maxAttempts()
            + " attempts; the last push was rejected: " + lastRejection + ".",
        "Other pushes to " + request.targetBranch() + " kept winning the race: run the goal again when they have landed,"
            + " or raise imagegate.gitops.maxAttempts.");
  }

  private record Tip(ObjectId id, ObjectId expectedOld) {}

  /**
   * Fetches the tip to build on: the target branch when it exists (a push branch from an earlier run), else the base
   * branch (the push branch is then created: expected old value zero).
   */
  private Tip fetch(GitopsRequest request, String display, Access access, Git git, String baseRef, String targetRef)
      throws GitopsException {
    String base = "refs/imagegate/base";
    fetchRef(request, display, access, git, baseRef, base);
    if (!baseRef.equals(targetRef)) {
      // protocol v2 advertises only the refs asked for, so ask separately whether the push branch exists
      if (remoteTip(request, display, access, git, targetRef).equals(ObjectId.zeroId())) {
        return new Tip(resolve(git.getRepository(), base), ObjectId.zeroId());
      }
      fetchRef(request, display, access, git, targetRef, "refs/imagegate/target");
      ObjectId tip = resolve(git.getRepository(), "refs/imagegate/target");
      return new Tip(tip, tip);
    }
    ObjectId tip = resolve(git.getRepository(), base);
    return new Tip(tip, tip);
  }

  /** Where {@code ref} points on the server now; the zero id when it does not exist. */
  private ObjectId remoteTip(GitopsRequest request, String display, Access access, Git git, String ref) throws GitopsException {
    try {
      return git.lsRemote()
          .setRemote(request.url())
          .setHeads(true)
          .setTransportConfigCallback(t -> configure(t, request, access))
          .call()
          .stream()
          .filter(r -> r.getName().equals(ref))
          .map(r -> r.getObjectId())
          .findFirst()
          .orElse(ObjectId.zeroId());
    } catch (GitAPIException e) {
      throw transportFailure(request, display, access, "list the branches of", e);
    }
  }

  private void fetchRef(
      GitopsRequest request, String display, Access access, Git git, String ref, String tracking)
      throws GitopsException {
    try {
      git.fetch()
          .setRemote(request.url())
          .setRefSpecs(new RefSpec("+" + ref + ":" + tracking))
          .setDepth(1)
          .setTagOpt(TagOpt.NO_TAGS)
          .setTransportConfigCallback(t -> configure(t, request, access))
          .call();
    } catch (TransportException e) {
      if (String.valueOf(e.getMessage()).contains("does not have " + ref)) {
        throw new GitopsException(
            "The GitOps repository " + display + " has no branch " + ref.substring(Constants.R_HEADS.length()) + ".",
            "Set imagegate.gitops.branch to an existing branch (often main or master), or push an initial commit with the"
                + " values files to it.",
            e);
      }
      throw transportFailure(request, display, access, "fetch from", e);
    } catch (GitAPIException e) {
      throw transportFailure(request, display, access, "fetch from", e);
    }
  }

  private static ObjectId resolve(Repository repo, String ref) throws GitopsException {
    try {
      ObjectId id = repo.resolve(ref);
      if (id == null) {
        throw new IOException(ref + " not found after fetch");
      }
      return id;
    } catch (IOException e) {
      throw new GitopsException("The fetch did not produce " + ref + ": " + e.getMessage(), "Run the goal again.", e);
    }
  }

  private record Edited(ObjectId commit, List<String> files, List<GitopsResult.FileChange> changes) {}

  /** Edits the files in the tree of {@code tip} and writes a commit; commit is null when nothing changes. */
  private Edited edit(GitopsRequest request, Repository repo, ObjectId tip) throws GitopsException {
    ImageRelease release = request.release();
    List<String> changedFiles = new ArrayList<>();
    List<GitopsResult.FileChange> changes = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader();
        ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(reader)) {
      RevCommit head = walk.parseCommit(tip);
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, head.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      Set<String> seen = new LinkedHashSet<>();
      for (ValuesFile file : request.files()) {
        if (!seen.add(file.path())) {
          throw new GitopsException(
              "The values file " + file.path() + " is listed twice.", "List each file once, with all its paths.");
        }
        DirCacheEntry entry = index.getEntry(file.path());
        if (entry == null) {
          throw new GitopsException(
              "The values file " + file.path() + " is not in branch " + request.branch() + " of " + display(request) + ".",
              "Check the file paths (relative to the repository root; default apps/<artifactId>/values-<env>.yaml), or"
                  + " add the file to the repository first.");
        }
        if (entry.getFileMode() != FileMode.REGULAR_FILE && entry.getFileMode() != FileMode.EXECUTABLE_FILE) {
          throw new GitopsException(
              file.path() + " is not a regular file in the repository (" + entry.getFileMode() + ").",
              "Point the goal at the real values file, not a link.");
        }
        byte[] content = reader.open(entry.getObjectId(), Constants.OBJ_BLOB).getBytes();
        List<YamlScalarEditor.Edit> edits = new ArrayList<>();
        edits.add(new YamlScalarEditor.Edit(file.tagPath(), release.tag()));
        if (file.repositoryPath().isPresent()) {
          String repository =
              release.repository()
                  .orElseThrow(
                      () ->
                          new GitopsException(
                              "A repository path is configured for " + file.path() + " but the image repository is unknown"
                                  + " (no push.json with a target).",
                              "Run mvn deploy (the push goal writes push.json) or set imagegate.gitops.imageRepository."));
          edits.add(new YamlScalarEditor.Edit(file.repositoryPath().get(), repository));
        }
        file.digestPath().ifPresent(p -> edits.add(new YamlScalarEditor.Edit(p, release.digest())));
        YamlScalarEditor.Result result = new YamlScalarEditor(file.path(), request.createMissing()).apply(content, edits);
        for (YamlScalarEditor.Change c : result.changes()) {
          if (c.changed()) {
            changes.add(new GitopsResult.FileChange(file.path(), c.path(), c.document(), c.line(), c.oldValue(), c.newValue()));
          }
        }
        if (result.changed()) {
          changedFiles.add(file.path());
          ObjectId blob = inserter.insert(Constants.OBJ_BLOB, result.content());
          FileMode mode = entry.getFileMode();
          editor.add(
              new DirCacheEditor.PathEdit(file.path()) {
                @Override
                public void apply(DirCacheEntry ent) {
                  ent.setObjectId(blob);
                  ent.setFileMode(mode);
                }
              });
        }
      }
      if (changedFiles.isEmpty()) {
        return new Edited(null, List.of(), changes);
      }
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      PersonIdent who = new PersonIdent(request.authorName(), request.authorEmail());
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(head);
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message(request, changedFiles));
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return new Edited(id, changedFiles, changes);
    } catch (IOException e) {
      throw new GitopsException(
          "Cannot read or write the temporary clone: " + e.getMessage(), "Check free space in the build directory and run again.", e);
    }
  }

  static String message(GitopsRequest request, List<String> files) {
    ImageRelease r = request.release();
    String text =
        request.messageTemplate()
            .replace("{tag}", r.tag())
            .replace("{digest}", r.digest())
            .replace("{repository}", r.repository().orElse("(repository not recorded)"))
            .replace("{commit}", r.commit().orElse("(unknown)"))
            .replace("{shortSha}", r.shortSha())
            .replace("{files}", String.join(", ", files));
    return text.endsWith("\n") ? text : text + "\n";
  }

  private GitopsResult result(
      GitopsRequest request, String display, String commit, boolean changed, List<String> files, int attempts,
      List<GitopsResult.FileChange> changes) {
    return new GitopsResult(
        1,
        display,
        request.targetBranch(),
        request.branch(),
        commit,
        changed,
        files,
        attempts,
        request.release().tag(),
        request.release().digest(),
        changed ? changes : List.of());
  }

  // ---------------------------------------------------------------------------------------------------- checks

  private static URIish checkUrl(GitopsRequest request) throws GitopsException {
    URIish uri;
    try {
      uri = new URIish(request.url());
    } catch (URISyntaxException e) {
      throw new GitopsException(
          "The GitOps repository URL is not a valid git URL.", "Set imagegate.gitops.repository to e.g. https://github.com/org/gitops.git", e);
    }
    if (uri.getPass() != null) {
      throw new GitopsException(
          "The GitOps repository URL contains a password.",
          "Remove it from the URL: put the token in the environment variable named by imagegate.gitops.tokenEnv (default"
              + " GITOPS_TOKEN) or in a settings.xml server named by imagegate.gitops.serverId.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && request.credential().isPresent() && !request.allowInsecureHttp()) {
      throw new GitopsException(
          "Refusing to send GitOps credentials over plain HTTP to " + uri.getHost() + ".",
          "Use an https:// URL, or for a local test server set imagegate.gitops.allowInsecureHttp=true.");
    }
    return uri;
  }

  private static String display(GitopsRequest request) {
    try {
      return new URIish(request.url()).setUser(null).setPass(null).toString();
    } catch (URISyntaxException e) {
      return "(invalid URL)";
    }
  }

  /**
   * Credentials, timeout, and for HTTP(S) basic auth sent with the first request: without it every fetch and push
   * starts with a request the server answers 401 (checkUrl has already refused plain http unless allowed).
   */
  private static void configure(Transport transport, GitopsRequest request, Access access) {
    transport.setTimeout(timeoutSeconds(request));
    if (access.ssh() != null && access.ssh().configure(transport)) {
      return; // key authentication only: no credentials provider (nothing to prompt for)
    }
    transport.setCredentialsProvider(access.credentials());
    if (transport instanceof TransportHttp http && request.credential().isPresent()) {
      http.setPreemptiveBasicAuthentication(request.credential().get().username(), request.credential().get().password());
    }
  }

  private static int timeoutSeconds(GitopsRequest request) {
    long s = request.timeout().toSeconds();
    return (int) Math.max(1, Math.min(s, Integer.MAX_VALUE));
  }

  private static GitopsException transportFailure(GitopsRequest request, String display, Access access, String verb, Exception e) {
    String text = String.valueOf(e.getMessage());
    if (access.ssh() != null) {
      try {
        GitopsException explained = access.ssh().explain(display, new URIish(request.url()), text, e);
        if (explained != null) {
          return explained;
        }
      } catch (URISyntaxException ignored) {
        // checked before
      }
      return new GitopsException(
          "Cannot " + verb + " the GitOps repository " + display + " over SSH: " + text,
          "Check imagegate.gitops.repository (ssh://git@host/org/repo.git or git@host:org/repo.git) and that the server's SSH"
              + " port is reachable from this machine.",
          e);
    }
    Optional<Credential> credential = request.credential();
    if (credential.isPresent()) {
      text = text.replace(credential.get().password(), "****"); // belt and braces: JGit does not put it there
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("401") || lower.contains("403")) {
      return new GitopsException(
          "The GitOps repository " + display + " refused the credentials"
              + (credential.isPresent() ? " of user " + credential.get().username() : " (none were given)") + " (" + text + ").",
          "Check the token: the environment variable named by imagegate.gitops.tokenEnv (default GITOPS_TOKEN) or the"
              + " settings.xml server named by imagegate.gitops.serverId must hold a token with write access to the repository.",
          e);
    }
    return new GitopsException(
        "Cannot " + verb + " the GitOps repository " + display + ": " + text,
        "Check imagegate.gitops.repository and that the server is reachable from this machine.",
        e);
  }

  private static void sleep(long millis) throws GitopsException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitopsException("Interrupted while waiting to retry the push.", "Run the goal again.", e);
    }
  }

  /** Waits for the background removal of the temporary clones (tests check that nothing is left). */
  void awaitCleanup() throws InterruptedException {
    for (Thread t : cleanups) {
      t.join(30_000);
    }
  }

  /** Removes temporary clones older than an hour (a concurrent update's clone is younger and stays). */
  private static void sweepStale(Path work) {
    long cutoff = System.currentTimeMillis() - 3_600_000L;
    try (Stream<Path> dirs = Files.list(work)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("gitops-"))
          .filter(d -> d.toFile().lastModified() < cutoff)
          .forEach(GitopsUpdater::delete);
    } catch (IOException e) {
      // best effort
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory is under target/
    }
  }
}
