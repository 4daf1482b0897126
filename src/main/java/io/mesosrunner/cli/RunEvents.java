package io.mesosrunner.cli;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The instance events a user sees while a run goes on, one line per failed or lost attempt:
 *
 * <pre>
 *   instance 3 attempt 1 failed (exit 7), retrying in 1s
 *   instance 3 attempt 2 timed out, retrying in 2s
 *   instance 5 attempt 1 lost (TASK_UNREACHABLE: agent gone), relaunching now
 *   instance 3 attempt 4 failed (exit 7), no retries left
 * </pre>
 *
 * Folded from the run's journal records, so the running runner (which sees them as the scheduler
 * writes them) and {@code runner status --watch} (which reads them from the journal) print the
 * same lines; it also keeps the counts for the status line of a run it only reads.
 *
 * <p>The scheduler records an instance's {@link InstanceFailed} before the state change of the
 * attempt that made it fail, so when an attempt's failure arrives it is known whether it will be
 * retried. The retry delay is the scheduler's backoff (1 s, 2 s, 4 s ... at most 60 s by the
 * instance's failures so far).
 *
 * <p>Not thread-safe: one thread feeds it.
 */
final class RunEvents {

  private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(60);

  private static final class Task {
    final int instance;
    final int attempt;
    TaskState state;
    EndCause cause;
    Integer exitCode;
    boolean countedLive;

    Task(int instance, int attempt) {
      this.instance = instance;
      this.attempt = attempt;
    }

    /** Running or about to: launched, and neither ended nor given up on. */
    boolean live() {
      return cause == null && (state == null || !state.isTerminal());
    }
  }

  private static final class Inst {
    boolean done;
    boolean failed;
    int failures;
    int liveTasks;
  }

  /** One event line; {@code givenUp} when the instance will not be launched again. */
  record Line(String text, boolean givenUp) {}

  private final Consumer<Line> sink;
  private boolean muted;
  private final Map<String, Task> tasks = new HashMap<>();
  private Inst[] instances = new Inst[0];
  private RunStarted started;
  private RunEnded ended;
  private int done;
  private int failed;
  private int active;
  private long attempts;

  /**
   * @param instances the run's instance count (a {@link RunStarted} read later sets it again)
   * @param sink      receives each event line
   */
  RunEvents(int instances, Consumer<Line> sink) {
    this.sink = sink;
    size(instances);
  }

  /** Takes records that were printed before (a resumed run's history): counts them, prints nothing. */
  void replay(Iterable<? extends JournalRecord> records) {
    muted = true;
    try {
      for (JournalRecord r : records) accept(r);
    } finally {
      muted = false;
    }
  }

  private void size(int n) {
    instances = new Inst[n];
    for (int i = 0; i < n; i++) instances[i] = new Inst();
    tasks.clear();
    done = 0;
    failed = 0;
    active = 0;
    attempts = 0;
  }

  /** Takes the next record of the run, oldest first. */
  void accept(JournalRecord r) {
    if (r instanceof RunStarted s) {
      started = s;
      size(s.instances());
    } else if (r instanceof TaskLaunched l) {
      if (l.instance() >= instances.length || tasks.containsKey(l.taskId())) return;
      Task t = new Task(l.instance(), l.attempt());
      tasks.put(l.taskId(), t);
      attempts++;
      setLive(t, true);
    } else if (r instanceof TaskStateChanged c) {
      Task t = tasks.get(c.taskId());
      if (t == null) return;
      EndCause before = t.cause;
      t.state = c.taskState();
      t.cause = c.endCause();
      if (c.exitCode() != null) t.exitCode = c.exitCode();
      setLive(t, t.live());
      Inst inst = instances[t.instance];
      if (t.state == TaskState.FINISHED) complete(inst);
      if (t.cause == before) return;
      if (isFailure(before)) inst.failures--;
      if (isFailure(t.cause)) inst.failures++;
      if (!muted && (isFailure(t.cause) || t.cause == EndCause.LOST)) {
        sink.accept(new Line(attemptEnded(t.instance, t.attempt, t.cause, t.state, t.exitCode, c.message(),
            inst.failed, t.cause == EndCause.LOST ? Duration.ZERO : backoff(inst.failures)), inst.failed));
      }
    } else if (r instanceof InstanceCompleted c) {
      if (c.instance() < instances.length) complete(instances[c.instance()]);
    } else if (r instanceof InstanceFailed f) {
      if (f.instance() >= instances.length) return;
      Inst inst = instances[f.instance()];
      if (!inst.done && !inst.failed) {
        inst.failed = true;
        failed++;
        if (inst.liveTasks > 0) active--;
      }
    } else if (r instanceof RunEnded e) {
      if (ended == null) ended = e;
    }
  }

  /**
   * The line for an attempt that failed or was lost. Kept apart from the fold so that an event
   * carrying the scheduler's own retry decision can be printed the same way.
   *
   * @param givenUp whether the instance will not be launched again
   * @param retryIn how long until the next attempt (zero: at once)
   */
  static String attemptEnded(int instance, int attempt, EndCause cause, TaskState state, Integer exitCode,
      String message, boolean givenUp, Duration retryIn) {
    return attemptEnded(Integer.toString(instance), attempt, cause, state, exitCode, message, givenUp, retryIn);
  }

  /** As above, for an instance named by a label ({@code 3}, or {@code transform/3} in a pipeline). */
  static String attemptEnded(String instance, int attempt, EndCause cause, TaskState state, Integer exitCode,
      String message, boolean givenUp, Duration retryIn) {
    StringBuilder b = new StringBuilder("instance ").append(instance).append(" attempt ").append(attempt).append(' ');
    switch (cause) {
      case TIMED_OUT -> b.append("timed out");
      case LOST -> b.append("lost (TASK_").append(state).append(message == null || message.isBlank() ? "" : ": " + message)
          .append(')');
      default -> {
        b.append("failed (");
        if (exitCode != null) {
          b.append("exit ").append(exitCode);
        } else {
          b.append("TASK_").append(state);
          if (message != null && !message.isBlank()) b.append(": ").append(message);
        }
        b.append(')');
      }
    }
    if (givenUp) {
      b.append(cause == EndCause.LOST ? ", lost too many times" : ", no retries left");
    } else if (retryIn.isZero()) {
      b.append(", relaunching now");
    } else {
      b.append(", retrying in ").append(StatusLine.duration(retryIn));
    }
    return b.toString();
  }

  /** The scheduler's delay before the relaunch that follows the {@code failures}-th failure. */
  static Duration backoff(int failures) {
    int shift = Math.min(Math.max(failures, 1) - 1, 20);
    Duration d = BACKOFF_BASE.multipliedBy(1L << shift);
    return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
  }

  private static boolean isFailure(EndCause c) {
    return c == EndCause.FAILED || c == EndCause.TIMED_OUT;
  }

  private void complete(Inst inst) {
    if (inst.done || inst.failed) return;
    inst.done = true;
    done++;
    if (inst.liveTasks > 0) active--;
  }

  private void setLive(Task t, boolean live) {
    Inst inst = instances[t.instance];
    boolean wasActive = inst.liveTasks > 0;
    if (live == t.countedLive) return;
    t.countedLive = live;
    inst.liveTasks += live ? 1 : -1;
    boolean isActive = inst.liveTasks > 0;
    if (inst.done || inst.failed) return;
    if (isActive && !wasActive) active++;
    if (!isActive && wasActive) active--;
  }

  /** The run's first record, or null before it was read. */
  RunStarted started() {
    return started;
  }

  /** The run's end, or null while it has not ended. */
  RunEnded ended() {
    return ended;
  }

  /** Counts for the status line (no wait reason: the journal does not record one). */
  Progress progress() {
    int n = instances.length;
    int waiting = ended != null ? 0 : Math.max(0, n - done - failed - active);
    return new Progress(n, done, active, waiting, failed, attempts, "");
  }
}
