package dev.imagegate.gitops;

import dev.imagegate.DaemonThreads;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Loads JGit in a background thread while the signature gate runs, so that the update finds it loaded: in
 * {@code gitops-update}'s own {@code mvn} nothing else has (measured in the pipeline bench: the temporary repository,
 * the first fetch and the commit cost ~0.4 s more in a JVM that has never used JGit).
 *
 * <p>What it does touches nothing outside the JVM but reading the git configuration JGit reads anyway (user and
 * system config, through {@link SystemReader}, which keeps them): it builds a blob, a tree and a commit in an
 * in-memory repository, walks it, and loads the classes of the on-disk repository and of the HTTP transport. No
 * network, no file written; any failure is ignored (the update then pays the cost itself).
 */
final class GitWarmUp {
  /** Loaded by name, not initialised: the update's on-disk repository, fetch and push (not used here). */
  static final String[] CLASSES = {
    "org.eclipse.jgit.internal.storage.file.FileRepository",
    "org.eclipse.jgit.internal.storage.file.ObjectDirectory",
    "org.eclipse.jgit.internal.storage.file.ObjectDirectoryPackParser",
    "org.eclipse.jgit.internal.storage.file.RefDirectory",
    "org.eclipse.jgit.api.Git",
    "org.eclipse.jgit.api.InitCommand",
    "org.eclipse.jgit.api.FetchCommand",
    "org.eclipse.jgit.api.PushCommand",
    "org.eclipse.jgit.transport.TransportHttp",
    "org.eclipse.jgit.transport.BasePackFetchConnection",
    "org.eclipse.jgit.transport.BasePackPushConnection",
    "org.eclipse.jgit.transport.http.JDKHttpConnectionFactory",
    "org.eclipse.jgit.internal.storage.pack.PackWriter",
  };

  private GitWarmUp() {}

  /**
   * Starts the warm-up in a daemon thread at low priority.
   *
   * @param after a thread to wait for first (another warm-up sharing the cores), or null
   */
  static Thread start(Thread after) {
    return DaemonThreads.warmUp("imagegate-git-warm-up", Thread.MIN_PRIORITY, () -> {
      try {
        if (after != null) {
          after.join();
        }
        run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** Runs the warm-up in the calling thread; true when every step completed. */
  static boolean run() {
    try {
      FS detected = FS.DETECTED;
      SystemReader.getInstance().getUserConfig();
      try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("warm-up"));
          ObjectInserter inserter = repo.newObjectInserter();
          RevWalk walk = new RevWalk(repo)) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "image:\n  tag: warm-up\n".getBytes(StandardCharsets.UTF_8));
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        DirCacheEntry entry = new DirCacheEntry("values.yaml");
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(blob);
        builder.add(entry);
        builder.finish();
        CommitBuilder commit = new CommitBuilder();
        PersonIdent who = new PersonIdent("warm-up", "warm-up@imagegate.dev");
        commit.setTreeId(index.writeTree(inserter));
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage("warm-up");
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        walk.parseCommit(id).getFullMessage();
      }
      // Transport first, through its own entry: its static initialiser registers every protocol. Initialising a
      // protocol class (TransportHttp) before it made that registration see a half-initialised class and drop http(s)
      Transport.getTransportProtocols();
      ClassLoader loader = GitWarmUp.class.getClassLoader();
      for (String name : CLASSES) {
        Class.forName(name, false, loader); // loaded, not initialised: JGit initialises them in its own order
      }
      return detected != null;
    } catch (Exception | LinkageError e) {
      return false;
    }
  }
}
