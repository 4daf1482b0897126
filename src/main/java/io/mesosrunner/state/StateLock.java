package io.mesosrunner.state;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive use of one job's state directory, so two runners never write the same journal. An OS
 * file lock ({@link FileChannel#tryLock()}) on {@code <dir>/lock}; the holder writes its pid into
 * the file so a refused runner can name it. The OS drops the lock when the holder dies, however it
 * dies, so a crashed runner never leaves a stale lock behind (the pid in the file is then only a
 * leftover and is overwritten).
 *
 * <p>Threading: acquire and close from any thread; one holder per directory per process.
 */
public final class StateLock implements Closeable {

  /** Name of the lock file inside a job's state directory. */
  public static final String FILE_NAME = "lock";

  /*
   * POSIX record locks belong to the process, and closing ANY descriptor of the file drops them.
   * A second acquire in the same JVM must therefore be refused before it opens a channel of its
   * own, or its close would silently release the first holder's lock. This set mirrors what the
   * OS already holds per process.
   */
  private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private StateLock(Path dir, Path lockFile, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the job state directory {@code dir}, creating the directory when needed.
   *
   * @throws StateLockedException when another runner holds it; the message names its pid
   */
  public static StateLock acquire(Path dir) throws IOException {
    Durable.createDirectories(dir);
    // The real path, so two spellings of one directory (symlinks, "..") share one entry below.
    Path lockFile = dir.toRealPath().resolve(FILE_NAME);
    long me = ProcessHandle.current().pid();
    if (!HELD_IN_THIS_PROCESS.add(lockFile)) {
      throw new StateLockedException(lockFile, me, "the job state in " + dir
          + " is already in use by this runner (pid " + me + ")");
    }
    FileChannel ch = null;
    try {
      boolean existed = Files.exists(lockFile);
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (!existed) Durable.syncDirectory(dir);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        Long pid = readPid(lockFile);
        throw new StateLockedException(lockFile, pid, "the job state in " + dir + " is in use by another runner ("
            + (pid == null ? "pid unknown" : "pid " + pid) + "); wait for it to end or stop it first");
      }
      ch.truncate(0);
      ByteBuffer text = ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.US_ASCII));
      long pos = 0;
      while (text.hasRemaining()) pos += ch.write(text, pos);
      ch.force(false);
      return new StateLock(dir, lockFile, ch, lock);
    } catch (IOException | RuntimeException e) {
      if (ch != null) ch.close();
      HELD_IN_THIS_PROCESS.remove(lockFile);
      throw e;
    }
  }

  /**
   * Who holds the lock of job state directory {@code dir}: the pid in the lock file and whether a
   * live process holds the lock.
   *
   * @param pid   the pid the latest holder wrote, or null when there is none
   * @param holds whether the lock is held now (by that pid, as far as the file says)
   */
  public record Holder(Long pid, boolean holds) {}

  /**
   * Finds out, without disturbing a live holder, who holds the lock of {@code dir}. A pid that is
   * gone settles it without touching the lock; otherwise the lock is tried for an instant and
   * released, so a runner starting at that very instant may be refused once (and says so).
   */
  public static Holder holder(Path dir) throws IOException {
    Path lockFile = dir.resolve(FILE_NAME);
    if (!Files.exists(lockFile)) return new Holder(null, false);
    Path real = lockFile.toRealPath();
    Long pid = readPid(real);
    if (pid != null && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return new Holder(pid, false);
    // Closing a channel of the file drops this process's locks on it: never probe one held here.
    if (!HELD_IN_THIS_PROCESS.add(real)) return new Holder(ProcessHandle.current().pid(), true);
    try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe == null) return new Holder(pid, true);
      probe.release();
      return new Holder(pid, false);
    } catch (OverlappingFileLockException e) {
      return new Holder(pid, true);
    } finally {
      HELD_IN_THIS_PROCESS.remove(real);
    }
  }

  /**
   * Whether a runner holds the lock of job state directory {@code dir}, as far as can be told
   * without probing the lock (which could refuse a runner starting at that instant): the pid in the
   * lock file is alive; for this very process, whether it holds the lock now.
   */
  public static boolean heldByALiveRunner(Path dir) {
    Path lockFile = dir.resolve(FILE_NAME);
    Long pid = readPid(lockFile);
    if (pid == null) return false;
    if (pid == ProcessHandle.current().pid()) {
      try {
        return HELD_IN_THIS_PROCESS.contains(lockFile.toRealPath());
      } catch (IOException e) {
        return false;
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The pid written into {@code <dir>/lock}, or null when there is none or it cannot be read. */
  public static Long readPid(Path lockFile) {
    try {
      String s = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? null : Long.valueOf(s);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** The job state directory this lock guards. */
  public Path dir() {
    return dir;
  }

  /** Whether the lock is still held. */
  public boolean isHeld() {
    return lock.isValid();
  }

  /** Releases the lock (the pid stays in the file, harmless: the file lock is the truth). */
  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (lock.isValid()) lock.release();
      channel.close();
    } finally {
      HELD_IN_THIS_PROCESS.remove(lockFile);
    }
  }
}
