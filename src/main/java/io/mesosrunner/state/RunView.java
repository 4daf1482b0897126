package io.mesosrunner.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A run as every command shows it: its state and exit code (one {@link RunStatus}), its counts and
 * times, all from one {@link RunFold} of its journal plus what says whether a runner is attached
 * (the job's lock file and the exit file its runner leaves). Immutable; the fold's full
 * {@link RunState} is built only by those who print instances.
 *
 * @param status      where the run stands
 * @param exitCode    the run's exit code, or null while it runs (with the exit file's exact code
 *                    when its runner left one)
 * @param runnerPid   the pid of the runner attached to the run, or null when none is
 * @param instances   the run's instances
 * @param completed   instances completed
 * @param failed      instances failed for good
 * @param active      instances with a task that may run
 * @param waiting     instances not yet launched, or waiting to be launched again
 * @param attempts    attempts launched
 * @param startedAtMs when the run started
 * @param lastAtMs    the time of the latest record (the end, once the run is over)
 */
public record RunView(String runId, String jobName, String jobFile, RunStatus status, Integer exitCode, String reason,
    Long runnerPid, int instances, int completed, int failed, int active, int waiting, long attempts, long startedAtMs,
    long lastAtMs) {

  public RunView {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
  }

  /** What is known of the runner of a run from outside it. */
  public record Attachment(Long pid, boolean alive, RunnerExit.Recorded exit) {

    /** Reads the job's lock file (the pid of its latest runner) and exit file, without locking. */
    public static Attachment of(Path jobDir) {
      Long pid = StateLock.readPid(jobDir.resolve(StateLock.FILE_NAME));
      return new Attachment(pid, StateLock.heldByALiveRunner(jobDir), RunnerExit.read(jobDir).orElse(null));
    }

    /** Whether the runner that recorded its exit code ran {@code runId}. */
    boolean exited(String runId) {
      return exit != null && exit.runId().equals(runId);
    }
  }

  /**
   * The view of the run {@code fold} holds.
   *
   * @throws IllegalStateException before the fold took a record
   */
  public static RunView of(RunFold fold, Attachment attachment) {
    JournalRecord.RunStarted s = fold.started();
    if (s == null) throw new IllegalStateException("no record folded yet");
    RunStatus status;
    Integer exit;
    String reason = null;
    if (fold.ended() != null) {
      status = RunStatus.of(fold.ended().runOutcome());
      exit = status.exitCode();
      reason = fold.ended().reason();
    } else if (attachment.exited(s.runId())) {
      exit = attachment.exit().exitCode();
      status = RunStatus.ofExitCode(exit);
    } else if (attachment.alive()) {
      status = RunStatus.RUNNING;
      exit = null;
    } else {
      status = RunStatus.NOT_ATTACHED;
      exit = status.exitCode();
    }
    Long pid = status == RunStatus.RUNNING ? attachment.pid() : null;
    return new RunView(s.runId(), s.jobName(), s.jobFile(), status, exit, reason, pid, s.instances(),
        fold.completed(), fold.failed(), status.over() ? 0 : fold.active(), fold.waiting(), fold.attempts(),
        s.startedAtEpochMs(), fold.lastAtEpochMs());
  }

  /** The run's wall time so far (to its last record), in seconds. */
  public double wallSeconds() {
    return Math.max(0, lastAtMs - startedAtMs) / 1000.0;
  }

  /**
   * Why the run is not over and not running, with how to carry it on or end it; null otherwise.
   *
   * @param again the command that resumes it ({@code runner jobs/x.yaml})
   * @param kill  the command that ends it ({@code runner kill jobs/x.yaml})
   */
  public String resumeHint(String again, String kill) {
    if (!status.resumable()) return null;
    return "run the same command to resume it (" + again + "), or end it with: " + kill;
  }
}
