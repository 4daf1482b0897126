package io.mesosrunner.state;

import io.mesosrunner.state.JournalRecord.RunStarted;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One job's durable state, held exclusively: {@code <stateDir>/<jobName>/} with its {@link StateLock}
 * and the {@link RunJournal} of the job's latest run. Open it, look at {@link #previous()}, then
 * either {@link #resume()} an unfinished run or {@link #startNew(RunStarted)}.
 *
 * <pre>
 *   .runner/                 default state directory, next to the job file
 *     .gitignore             "*": keeps runs out of git status
 *     hello-world/
 *       lock                 OS file lock + holder pid
 *       journal.log          the latest run (kept after it ends, for runner status)
 *       journal.prev.log     the run before it
 * </pre>
 *
 * <p>Threading: not thread-safe; the runner's main thread opens and closes it, the scheduler thread
 * appends to the journal.
 */
public final class JobStore implements Closeable {

  /** Name of the default state directory, created next to the job file. */
  public static final String DEFAULT_DIR_NAME = ".runner";

  /** The ignore file written into a state directory, and what it says. */
  static final String GITIGNORE = ".gitignore";
  static final String GITIGNORE_TEXT = "# Created by mesos-runner: run journals and sandboxes are not for version control.\n*\n";

  private final Path dir;
  private final StateLock lock;
  private RunJournal journal;
  private final RunState previous;

  private JobStore(Path dir, StateLock lock, RunJournal journal, RunState previous) {
    this.dir = dir;
    this.lock = lock;
    this.journal = journal;
    this.previous = previous;
  }

  /** The default state directory for a job file: {@code .runner} in the file's directory. */
  public static Path defaultStateDir(Path jobFile) {
    Path parent = jobFile.toAbsolutePath().normalize().getParent();
    return (parent == null ? Path.of("") : parent).resolve(DEFAULT_DIR_NAME);
  }

  /** The state directory of job {@code jobName} under {@code stateDir}. */
  public static Path jobDir(Path stateDir, String jobName) {
    Objects.requireNonNull(jobName, "jobName");
    if (!jobName.matches("[A-Za-z0-9_.-]+") || jobName.matches("\\.+")) {
      throw new IllegalArgumentException("job name (" + jobName + ") cannot name a state directory");
    }
    return stateDir.resolve(jobName);
  }

  /**
   * Locks the job's state and recovers its journal (creating both when new).
   *
   * @throws StateLockedException   when another runner holds the job's state
   * @throws JournalCorruptException when the journal is damaged other than at its tail, or its
   *     records do not describe one run
   * @throws JournalVersionException when a newer runner wrote it
   */
  public static JobStore open(Path stateDir, String jobName) throws IOException {
    Path dir = jobDir(stateDir, jobName);
    boolean created = !Files.exists(stateDir);
    StateLock lock = StateLock.acquire(dir);
    if (created || DEFAULT_DIR_NAME.equals(String.valueOf(stateDir.toAbsolutePath().normalize().getFileName()))) {
      keepOutOfVersionControl(stateDir);
    }
    RunJournal journal = null;
    try {
      journal = RunJournal.open(dir);
      RunState previous = journal.records().isEmpty() ? null : foldOrThrow(journal.file(), journal.records());
      return new JobStore(dir, lock, journal, previous);
    } catch (IOException | RuntimeException e) {
      if (journal != null) journal.close();
      lock.close();
      throw e;
    }
  }

  /**
   * Writes {@code .gitignore} ignoring everything into a state directory (as pytest does for its
   * cache), so runs never show up in {@code git status}. Only into a directory the runner created
   * or its default {@code .runner}: a {@code --state-dir} that already held the user's files is
   * left alone. Best effort: a missing ignore file must not stop a run.
   */
  static void keepOutOfVersionControl(Path stateDir) {
    try {
      Files.writeString(stateDir.resolve(GITIGNORE), GITIGNORE_TEXT, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      // Already there (kept as the user may have edited it), or not writable: nothing to do.
    }
  }

  /** The job's lock holder: the pid of the latest runner and whether it holds the state now. */
  public static StateLock.Holder runner(Path stateDir, String jobName) throws IOException {
    return StateLock.holder(jobDir(stateDir, jobName));
  }

  /**
   * The state of the job's latest run as its journal says, read without locking or changing
   * anything (a live runner may be writing it); empty when the job has no journal yet.
   */
  public static Optional<RunState> status(Path stateDir, String jobName) throws IOException {
    Path dir = jobDir(stateDir, jobName);
    RunJournal.Contents contents;
    try {
      contents = RunJournal.read(dir);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (contents.records().isEmpty()) return Optional.empty();
    return Optional.of(foldOrThrow(dir.resolve(RunJournal.FILE_NAME), contents.records()));
  }

  private static RunState foldOrThrow(Path file, java.util.List<JournalRecord> records) throws JournalCorruptException {
    try {
      return RunState.fold(records);
    } catch (IllegalArgumentException e) {
      throw new JournalCorruptException(file, RunJournal.HEADER_BYTES, "its records do not describe one run: "
          + e.getMessage(), e);
    }
  }

  /** This job's state directory. */
  public Path dir() {
    return dir;
  }

  /** What recovering the journal found. */
  public RecoveryReport recovery() {
    return journal.recovery();
  }

  /** The latest run as the journal recorded it, or empty when there was none. */
  public Optional<RunState> previous() {
    return Optional.ofNullable(previous);
  }

  /** Whether the latest run did not end, so it can be resumed. */
  public boolean canResume() {
    return previous != null && !previous.ended();
  }

  /**
   * The journal of the unfinished latest run, to keep appending to it.
   *
   * @throws IllegalStateException when there is nothing to resume
   */
  public RunJournal resume() {
    if (!canResume()) {
      throw new IllegalStateException(previous == null ? "no run to resume in " + dir
          : "run " + previous.runId() + " ended " + previous.outcome() + "; nothing to resume");
    }
    return journal;
  }

  /**
   * Starts the journal of a new run with {@code started} (forced before this returns). A journal
   * holding an earlier run is kept as {@value RunJournal#PREVIOUS_FILE_NAME}.
   */
  public RunJournal startNew(RunStarted started) throws IOException {
    Objects.requireNonNull(started, "started");
    if (journal.size() > RunJournal.HEADER_BYTES || !journal.records().isEmpty()) {
      journal.close();
      journal = RunJournal.openFresh(dir);
    }
    journal.append(started);
    return journal;
  }

  /**
   * Puts the journal back when the job's state directory was deleted under the run: the directory
   * (with its {@code .gitignore} when the runner made it) and the journal as far as it was written,
   * so the same command resumes the run. Does nothing when the journal is where it was.
   *
   * @return whether it was restored
   */
  public boolean restoreIfDeleted(Path stateDir) throws IOException {
    if (Files.exists(journal.file())) return false;
    boolean created = !Files.exists(stateDir);
    Durable.createDirectories(dir);
    if (created || DEFAULT_DIR_NAME.equals(String.valueOf(stateDir.toAbsolutePath().normalize().getFileName()))) {
      keepOutOfVersionControl(stateDir);
    }
    journal.restore();
    return true;
  }

  /** Closes the journal and releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      journal.close();
    } finally {
      lock.close();
    }
  }
}
