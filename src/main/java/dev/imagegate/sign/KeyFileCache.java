package dev.imagegate.sign;

import dev.imagegate.DaemonThreads;
import dev.imagegate.oci.Digests;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Key files decrypted once per build. Decrypting a {@code cosign.key} is 0.3 s of scrypt; {@code mvn deploy} needed it
 * twice (push's check that the key can sign, then the sign goal), a reactor twice per module. One cache lives as long as
 * one build (the Maven side keeps it in the build's session, never in a static field: under a build daemon a decrypted
 * key must not outlive its build), and a goal that runs before push can start the decryption in the background
 * ({@link #warmUp}) so that push's check finds it done.
 *
 * <p>An entry is the file's path, the SHA-256 of its content and of the password: a file changed since (another key)
 * or another password decrypts again. Only a key that decrypted is kept: a failure (wrong password, damaged file) is
 * reported by the goal that needs the key, each time, as without the cache.
 */
public final class KeyFileCache {
  /** No cache: every load decrypts (a goal run alone, tests). */
  public static final KeyFileCache NONE = new KeyFileCache(false);

  private final boolean keeps;
  private final byte[] salt; // of the password's digest: what the cache keeps says nothing outside this build
  private final Map<Entry, FutureTask<KeyFileSigner>> keys = new ConcurrentHashMap<>();
  private final AtomicBoolean warmUpClaimed = new AtomicBoolean();

  private record Entry(Path file, String content, String password) {}

  private KeyFileCache(boolean keeps) {
    this.keeps = keeps;
    this.salt = new byte[16];
    if (keeps) {
      new SecureRandom().nextBytes(salt);
    }
  }

  /** An empty cache, for one build. */
  public static KeyFileCache forBuild() {
    return new KeyFileCache(true);
  }

  /** The key in {@code file}, decrypted with {@code password} now or by an earlier load or warm-up of this cache. */
  KeyFileSigner load(Path file, char[] password) throws SigningException {
    if (!keeps) {
      return KeyFileSigner.load(file, password);
    }
    String pem = PrivateKeyFile.read(file);
    Entry entry = new Entry(file.toAbsolutePath().normalize(), Digests.sha256(pem.getBytes(StandardCharsets.US_ASCII)), passwordDigest(password));
    // run by this thread only, while the caller's password is valid; another load of the same entry waits for it
    FutureTask<KeyFileSigner> mine = new FutureTask<>(() -> KeyFileSigner.fromPem(file.toString(), pem, password));
    FutureTask<KeyFileSigner> task = keys.putIfAbsent(entry, mine);
    if (task == null) {
      task = mine;
      task.run();
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      keys.remove(entry, task); // not kept: the next load tries again and reports its own failure
      if (e.getCause() instanceof SigningException se) {
        throw se;
      }
      throw new SigningException("Cannot load the signing key " + file + ": " + e.getCause(), "Check the key file.", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigningException("Interrupted while loading the signing key " + file + ".", "Run the build again.", e);
    }
  }

  /**
   * Starts decrypting {@code file} in a low-priority background thread, for a goal later in this build; a failure is
   * left to that goal to report. Nothing happens for {@link #NONE}.
   */
  public void warmUp(Path file, char[] password) {
    if (keeps) {
      char[] copy = password.clone();
      DaemonThreads.warmUp("imagegate-key-warm-up", Thread.MIN_PRIORITY, () -> {
        try {
          load(file, copy);
        } catch (SigningException e) {
          // the goal that signs reports it
        } finally {
          Arrays.fill(copy, '\0');
        }
      });
    }
  }

  /** True once, for the first goal of the build that looks for a key to decrypt ahead; false for NONE. */
  public boolean claimWarmUp() {
    return keeps && warmUpClaimed.compareAndSet(false, true);
  }

  /** How many keys this cache holds (for tests). */
  int size() {
    return keys.size();
  }

  private String passwordDigest(char[] password) {
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[salt.length + utf8.remaining()];
    System.arraycopy(salt, 0, bytes, 0, salt.length);
    utf8.get(bytes, salt.length, utf8.remaining());
    try {
      return Digests.sha256(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (utf8.hasArray()) {
        Arrays.fill(utf8.array(), (byte) 0);
      }
    }
  }
}
