package io.mesosrunner.state;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.InstancesCarriedOver;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one fold of a run's journal: records go in one at a time, oldest first (as the runner writes
 * them, or as a {@link JournalTail} reads them), and the fold keeps what they say, with the counts
 * kept up to date as they come, so a watcher asks for counts at no cost and builds the full
 * {@link RunState} only when it prints it. {@link RunState#fold} is this fold over a list. The rules
 * are {@link RunState}'s.
 *
 * <p>Besides what resuming needs, it keeps what reports draw: the utilisation samples, the stderr
 * tails and the time of the latest record.
 *
 * <p>Not thread-safe: one thread feeds it.
 */
public final class RunFold {

  private RunStarted started;
  private int n;
  private List<List<MutableAttempt>> attempts = List.of();
  private String[] completedBy = new String[0];
  private String[] failedReason = new String[0];
  private String[] carriedFrom = new String[0];
  private int[] liveTasks = new int[0];
  private final Map<String, MutableAttempt> byTask = new HashMap<>();
  private String frameworkId;
  private RunEnded ended;
  private int records;
  private int completed;
  private int failed;
  private int active;
  private long attemptCount;
  private long lastAtEpochMs;
  private final List<JournalRecord.Utilisation> samples = new ArrayList<>();
  private final Map<String, String> tails = new LinkedHashMap<>();

  /**
   * Takes the next record.
   *
   * @throws IllegalArgumentException when the records do not describe one run: not starting with
   *     RunStarted, a second RunStarted, or an instance index outside the run
   */
  public void accept(JournalRecord rec) {
    int r = records++;
    if (started == null) {
      if (!(rec instanceof RunStarted s)) {
        throw new IllegalArgumentException("a run journal starts with RunStarted (got " + rec.getClass().getSimpleName() + ")");
      }
      start(s);
      return;
    }
    if (rec instanceof RunStarted s) {
      throw new IllegalArgumentException("record " + r + " starts a second run (" + s.runId()
          + ") in the journal of run " + started.runId());
    } else if (rec instanceof FrameworkRegistered f) {
      frameworkId = f.frameworkId();
    } else if (rec instanceof TaskLaunched l) {
      checkIndex(l.instance(), r);
      later(l.atEpochMs());
      if (!byTask.containsKey(l.taskId())) {
        MutableAttempt a = new MutableAttempt(l);
        byTask.put(l.taskId(), a);
        attempts.get(l.instance()).add(a);
        attemptCount++;
        setLive(a, true);
      }
    } else if (rec instanceof TaskStateChanged c) {
      later(c.atEpochMs());
      MutableAttempt a = byTask.get(c.taskId());
      if (a != null) changed(a, c);
    } else if (rec instanceof JournalRecord.TaskReasonGiven g) {
      MutableAttempt a = byTask.get(g.taskId());
      if (a != null) {
        a.reason = g.reason();
        a.source = g.taskSource();
      }
    } else if (rec instanceof InstanceCompleted c) {
      checkIndex(c.instance(), r);
      later(c.atEpochMs());
      complete(c.instance(), c.taskId());
    } else if (rec instanceof InstanceFailed f) {
      checkIndex(f.instance(), r);
      later(f.atEpochMs());
      int i = f.instance();
      if (!isCompleted(i) && failedReason[i] == null) {
        failedReason[i] = f.reason();
        failed++;
        if (liveTasks[i] > 0) active--;
      }
    } else if (rec instanceof InstancesCarriedOver c) {
      for (int i : c.indexes()) {
        checkIndex(i, r);
        boolean was = isCompleted(i) || failedReason[i] != null;
        carriedFrom[i] = c.fromRunId();
        if (!was) {
          completed++;
          if (liveTasks[i] > 0) active--;
        }
      }
    } else if (rec instanceof RunEnded e) {
      later(e.atEpochMs());
      if (ended == null) ended = e;
    } else if (rec instanceof JournalRecord.Utilisation u) {
      samples.add(u);
    } else if (rec instanceof JournalRecord.StderrTail t) {
      tails.put(t.taskId(), t.lines());
    }
  }

  private void start(RunStarted s) {
    started = s;
    n = s.instances();
    attempts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) attempts.add(new ArrayList<>(1));
    completedBy = new String[n];
    failedReason = new String[n];
    carriedFrom = new String[n];
    liveTasks = new int[n];
    lastAtEpochMs = s.startedAtEpochMs();
  }

  private void changed(MutableAttempt a, TaskStateChanged c) {
    TaskState next = c.taskState();
    if (next == TaskState.UNREACHABLE && a.state != TaskState.UNREACHABLE) {
      a.unreachableAt = c.atEpochMs();
    } else if (a.unreachableAt >= 0 && heardFromItsAgent(next)) {
      a.unreachableFor = c.atEpochMs() - a.unreachableAt;
      a.unreachableAt = -1;
    }
    // The reason comes in a TaskReasonGiven right after the change it belongs to, if at all.
    a.reason = null;
    a.source = null;
    a.state = c.taskState();
    if (c.exitCode() != null) a.exitCode = c.exitCode();
    a.message = c.message();
    a.cause = c.endCause();
    a.updatedAt = c.atEpochMs();
    setLive(a, !a.settled());
    if (a.state == TaskState.FINISHED) complete(a.launch.instance(), a.launch.taskId());
  }

  private void complete(int i, String taskId) {
    if (completedBy[i] != null || failedReason[i] != null) return;
    boolean carried = carriedFrom[i] != null;
    completedBy[i] = taskId;
    if (!carried) {
      completed++;
      if (liveTasks[i] > 0) active--;
    }
  }

  private boolean isCompleted(int i) {
    return completedBy[i] != null || carriedFrom[i] != null;
  }

  private void setLive(MutableAttempt a, boolean live) {
    if (live == a.countedLive) return;
    a.countedLive = live;
    int i = a.launch.instance();
    boolean was = liveTasks[i] > 0;
    liveTasks[i] += live ? 1 : -1;
    boolean is = liveTasks[i] > 0;
    if (isCompleted(i) || failedReason[i] != null) return;
    if (is && !was) active++;
    if (!is && was) active--;
  }

  private void later(long atEpochMs) {
    if (atEpochMs > lastAtEpochMs) lastAtEpochMs = atEpochMs;
  }

  private void checkIndex(int instance, int r) {
    if (instance >= n) {
      throw new IllegalArgumentException("record " + r + " names instance " + instance + ", but the run has "
          + n + " instance" + (n == 1 ? "" : "s"));
    }
  }

  /** The run's first record, or null before one was read. */
  public RunStarted started() {
    return started;
  }

  /** The run's end record, or null while it has none. */
  public RunEnded ended() {
    return ended;
  }

  /** Records taken. */
  public int records() {
    return records;
  }

  /** Instances completed (in this run or carried over). */
  public int completed() {
    return completed;
  }

  /** Instances failed for good. */
  public int failed() {
    return failed;
  }

  /** Instances neither completed nor failed with a task that may run. */
  public int active() {
    return active;
  }

  /** Instances neither completed, failed nor active (zero once the run ended). */
  public int waiting() {
    return ended != null ? 0 : Math.max(0, n - completed - failed - active);
  }

  /** Attempts launched. */
  public long attempts() {
    return attemptCount;
  }

  /** The time of the latest record that carries one (the run's start before any). */
  public long lastAtEpochMs() {
    return lastAtEpochMs;
  }

  /** The utilisation samples, oldest first. */
  public List<JournalRecord.Utilisation> samples() {
    return List.copyOf(samples);
  }

  /** The stderr tails recorded at the end of the run, by task id (lines joined by newlines). */
  public Map<String, String> stderrTails() {
    return Map.copyOf(tails);
  }

  /**
   * What the records say so far, as an immutable {@link RunState}.
   *
   * @throws IllegalStateException before the first record
   */
  public RunState state() {
    if (started == null) throw new IllegalStateException("no record folded yet");
    List<RunState.Instance> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int failures = 0;
      int losses = 0;
      List<MutableAttempt> as = attempts.get(i);
      RunState.Attempt[] list = new RunState.Attempt[as.size()];
      for (int k = 0; k < list.length; k++) {
        MutableAttempt a = as.get(k);
        if (a.cause == EndCause.FAILED || a.cause == EndCause.TIMED_OUT) failures++;
        if (a.cause == EndCause.LOST) losses++;
        list[k] = a.freeze();
      }
      out.add(new RunState.Instance(i, completedBy[i], carriedFrom[i], failedReason[i], failures, losses,
          Arrays.asList(list)));
    }
    Outcome outcome = ended == null ? null : ended.runOutcome();
    return new RunState(started, frameworkId, out, outcome, ended == null ? null : ended.reason());
  }

  /** States that only a reachable agent (or the task's executor) reports: an unreachable task is back. */
  private static boolean heardFromItsAgent(TaskState st) {
    return switch (st) {
      case LOST, DROPPED, GONE, GONE_BY_OPERATOR, UNKNOWN, UNREACHABLE -> false;
      default -> true;
    };
  }

  private static final class MutableAttempt {
    final TaskLaunched launch;
    String reason;
    io.mesosrunner.cluster.TaskStatus.Source source;
    long unreachableAt = -1;
    Long unreachableFor;
    TaskState state;
    Integer exitCode;
    String message;
    EndCause cause;
    long updatedAt;
    boolean countedLive;

    MutableAttempt(TaskLaunched launch) {
      this.launch = launch;
      this.updatedAt = launch.atEpochMs();
    }

    boolean settled() {
      return state != null && state.isTerminal();
    }

    RunState.Attempt freeze() {
      return new RunState.Attempt(launch.taskId(), launch.instance(), launch.attempt(), launch.agentId(),
          launch.hostname(), launch.atEpochMs(), state, exitCode, message, cause, updatedAt, reason, source,
          unreachableFor);
    }
  }
}
