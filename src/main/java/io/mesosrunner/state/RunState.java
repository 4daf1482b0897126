package io.mesosrunner.state;

import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.InstancesCarriedOver;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.time.Instant;
import io.mesosrunner.schedule.Resume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a journal says about its run: a pure fold over the records, used to resume a run and by
 * {@code runner status}. Immutable.
 *
 * <p>Fold rules:
 * <ul>
 *   <li>The first record must be {@link RunStarted}; a second one is an error (one run per journal).
 *   <li>{@link TaskLaunched} adds an attempt to its instance; a repeated task id is ignored.
 *   <li>{@link TaskStateChanged} sets its attempt's latest state, message, cause and (when given)
 *       exit code; updates for tasks never launched are ignored.
 *   <li>An instance completes at the first {@link InstanceCompleted} or TASK_FINISHED of one of its
 *       tasks, whichever comes first, and only once: repeats change nothing. An instance that has
 *       an {@link InstanceFailed} first stays failed.
 *   <li>Failures and losses are counted over the attempts by their LATEST cause: FAILED or
 *       TIMED_OUT is a failure, LOST a loss. So a task reported lost and then running again (its
 *       cause cleared) is no loss, as in the scheduler.
 *   <li>{@link RunEnded} ends the run; records after it (late updates) still fold.
 * </ul>
 *
 * @param started     the run's first record
 * @param frameworkId the latest framework id, or null before registration
 * @param instances   one entry per instance index, 0..instances-1
 * @param outcome     how the run ended, or null while it has not
 * @param endReason   the reason given with the outcome, or null
 */
public record RunState(RunStarted started, String frameworkId, List<Instance> instances, Outcome outcome,
    String endReason) {

  public RunState {
    Objects.requireNonNull(started, "started");
    instances = List.copyOf(instances);
    if (instances.size() != started.instances()) {
      throw new IllegalArgumentException("instances has " + instances.size() + " entries, the run has "
          + started.instances());
    }
  }

  /**
   * One launched task of an instance.
   *
   * @param state     the latest state recorded, or null when none was recorded since the launch
   * @param exitCode  the latest exit code given, or null
   * @param cause     the latest end cause, or null
   */
  public record Attempt(String taskId, int instance, int attempt, String agentId, String hostname,
      long launchedAtEpochMs, TaskState state, Integer exitCode, String message, EndCause cause,
      long updatedAtEpochMs) {

    /** Whether the task is known to have ended; if not, it may still run and must be reconciled. */
    public boolean settled() {
      return state != null && state.isTerminal();
    }
  }

  /**
   * One instance.
   *
   * @param completedBy  the task that completed it, or null
   * @param carriedFrom  the earlier run that completed it, when this run carried it over instead of
   *                     launching it ({@code --retry-failed}), else null
   * @param failedReason why it failed for good, or null
   * @param failures     attempts whose latest cause is FAILED or TIMED_OUT
   * @param losses       attempts whose latest cause is LOST
   * @param attempts     in launch order
   */
  public record Instance(int index, String completedBy, String carriedFrom, String failedReason, int failures,
      int losses, List<Attempt> attempts) {
    public Instance {
      attempts = List.copyOf(attempts);
    }

    /** Whether the instance completed (in this run, or in the earlier one it was carried over from). */
    public boolean completed() {
      return completedBy != null || carriedFrom != null;
    }

    /** Whether the instance failed for good. */
    public boolean failed() {
      return failedReason != null;
    }

    /** The latest attempt, or null. */
    public Attempt lastAttempt() {
      return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /** The attempt number a new launch of this instance would get. */
    public int nextAttempt() {
      int max = 0;
      for (Attempt a : attempts) max = Math.max(max, a.attempt());
      return max + 1;
    }
  }

  /**
   * Folds {@code records} (a journal's, oldest first) into the run's state.
   *
   * @throws IllegalArgumentException when the records do not describe one run: not starting with
   *     RunStarted, a second RunStarted, or an instance index outside the run
   */
  /**
   * What a scheduler needs to carry this run on: completed and failed instances, the counts, and
   * the tasks that may still run.
   *
   * @param adoptLive whether those tasks can be adopted after reconciliation (Mesos) or count as
   *                  lost (the local cluster, whose processes did not survive the runner)
   */
  public Resume toResume(boolean adoptLive) {
    List<Resume.Instance> list = new ArrayList<>();
    for (Instance i : instances) {
      if (i.attempts().isEmpty() && !i.completed() && !i.failed()) continue;
      List<Resume.Task> tasks = new ArrayList<>();
      for (Attempt a : i.attempts()) {
        tasks.add(new Resume.Task(a.taskId(), a.attempt(), a.agentId(), a.hostname(), a.state(), a.exitCode(),
            a.message(), a.cause(), java.time.Instant.ofEpochMilli(a.launchedAtEpochMs()),
            a.settled() ? java.time.Instant.ofEpochMilli(a.updatedAtEpochMs()) : null));
      }
      list.add(new Resume.Instance(i.index(), i.completed(), i.failed(), i.failures(), i.losses(),
          i.nextAttempt() - 1, tasks));
    }
    return new Resume(frameworkId, list, adoptLive);
  }

  public static RunState fold(List<? extends JournalRecord> records) {
    if (records.isEmpty() || !(records.get(0) instanceof RunStarted started)) {
      throw new IllegalArgumentException("a run journal starts with RunStarted (got "
          + (records.isEmpty() ? "no records" : records.get(0).getClass().getSimpleName()) + ")");
    }
    int n = started.instances();
    List<List<MutableAttempt>> attempts = new ArrayList<>(n);
    String[] completedBy = new String[n];
    String[] failedReason = new String[n];
    String[] carriedFrom = new String[n];
    for (int i = 0; i < n; i++) attempts.add(new ArrayList<>());
    Map<String, MutableAttempt> byTask = new HashMap<>();
    String frameworkId = null;
    Outcome outcome = null;
    String endReason = null;
    for (int r = 1; r < records.size(); r++) {
      JournalRecord rec = records.get(r);
      if (rec instanceof RunStarted s) {
        throw new IllegalArgumentException("record " + r + " starts a second run (" + s.runId()
            + ") in the journal of run " + started.runId());
      } else if (rec instanceof FrameworkRegistered f) {
        frameworkId = f.frameworkId();
      } else if (rec instanceof TaskLaunched l) {
        checkIndex(l.instance(), n, r);
        if (!byTask.containsKey(l.taskId())) {
          MutableAttempt a = new MutableAttempt(l);
          byTask.put(l.taskId(), a);
          attempts.get(l.instance()).add(a);
        }
      } else if (rec instanceof TaskStateChanged c) {
        MutableAttempt a = byTask.get(c.taskId());
        if (a != null) {
          a.state = c.taskState();
          if (c.exitCode() != null) a.exitCode = c.exitCode();
          a.message = c.message();
          a.cause = c.endCause();
          a.updatedAt = c.atEpochMs();
          int i = a.launch.instance();
          if (a.state == TaskState.FINISHED && completedBy[i] == null && failedReason[i] == null) {
            completedBy[i] = a.launch.taskId();
          }
        }
      } else if (rec instanceof InstanceCompleted c) {
        checkIndex(c.instance(), n, r);
        if (completedBy[c.instance()] == null && failedReason[c.instance()] == null) {
          completedBy[c.instance()] = c.taskId();
        }
      } else if (rec instanceof InstanceFailed f) {
        checkIndex(f.instance(), n, r);
        if (completedBy[f.instance()] == null && failedReason[f.instance()] == null) {
          failedReason[f.instance()] = f.reason();
        }
      } else if (rec instanceof InstancesCarriedOver c) {
        for (int i : c.indexes()) {
          checkIndex(i, n, r);
          carriedFrom[i] = c.fromRunId();
        }
      } else if (rec instanceof RunEnded e) {
        if (outcome == null) {
          outcome = e.runOutcome();
          endReason = e.reason();
        }
      }
    }
    List<Instance> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int failures = 0;
      int losses = 0;
      List<Attempt> list = new ArrayList<>(attempts.get(i).size());
      for (MutableAttempt a : attempts.get(i)) {
        if (a.cause == EndCause.FAILED || a.cause == EndCause.TIMED_OUT) failures++;
        if (a.cause == EndCause.LOST) losses++;
        list.add(a.freeze());
      }
      out.add(new Instance(i, completedBy[i], carriedFrom[i], failedReason[i], failures, losses, list));
    }
    return new RunState(started, frameworkId, out, outcome, endReason);
  }

  private static void checkIndex(int instance, int n, int r) {
    if (instance >= n) {
      throw new IllegalArgumentException("record " + r + " names instance " + instance + ", but the run has "
          + n + " instance" + (n == 1 ? "" : "s"));
    }
  }

  /** Whether the run has ended (a new run of the job starts a fresh journal). */
  public boolean ended() {
    return outcome != null;
  }

  /** The run id. */
  public String runId() {
    return started.runId();
  }

  /**
   * The completed instances below {@code limit}, by the run that completed them (this run, or the
   * earlier ones it carried them over from), in index order: what {@code --retry-failed} skips.
   */
  public Map<String, List<Integer>> completedByRun(int limit) {
    Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
    for (Instance i : instances) {
      if (i.index() >= limit || !i.completed()) continue;
      String by = i.carriedFrom() != null ? i.carriedFrom() : runId();
      out.computeIfAbsent(by, k -> new ArrayList<>()).add(i.index());
    }
    return out;
  }

  /** Instances completed. */
  public int completedCount() {
    int c = 0;
    for (Instance i : instances) if (i.completed()) c++;
    return c;
  }

  /**
   * Tasks launched (or about to be: the launch was recorded before the ACCEPT) with no terminal
   * state recorded. After a crash each must be reconciled: adopted if it runs, or treated as lost.
   */
  public List<Attempt> unsettled() {
    List<Attempt> out = new ArrayList<>();
    for (Instance i : instances) {
      for (Attempt a : i.attempts()) if (!a.settled()) out.add(a);
    }
    return out;
  }

  /**
   * For {@code runner status}: a header line, one line per instance not completed, and a line of
   * counts.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("run ").append(started.runId()).append(" of ").append(started.jobName())
        .append(" (").append(started.jobFile()).append(", sha256 ")
        .append(started.fileSha256(), 0, Math.min(12, started.fileSha256().length()))
        .append(started.gitCommit() == null ? "" : ", commit " + abbrev(started.gitCommit()))
        .append(") on ").append(started.cluster())
        .append(", started ").append(Instant.ofEpochMilli(started.startedAtEpochMs())).append(": ")
        .append(outcome == null ? "not ended" : "ended " + outcome + (endReason == null ? "" : " (" + endReason + ")"))
        .append('\n');
    int active = 0;
    int failed = 0;
    int waiting = 0;
    int failures = 0;
    int losses = 0;
    for (Instance i : instances) {
      failures += i.failures();
      losses += i.losses();
      if (i.completed()) continue;
      Attempt last = i.lastAttempt();
      sb.append("  instance ").append(i.index()).append(": ");
      if (i.failed()) {
        failed++;
        sb.append("failed: ").append(i.failedReason());
      } else if (last == null) {
        waiting++;
        sb.append("not launched");
      } else {
        if (last.settled()) waiting++;
        else active++;
        sb.append("attempt ").append(last.attempt()).append(" (").append(last.taskId()).append(") ")
            .append(last.state() == null ? "launch recorded, no update" : last.state().name())
            .append(" on ").append(last.hostname() == null ? last.agentId() : last.hostname());
        if (last.exitCode() != null) sb.append(", exit ").append(last.exitCode());
        if (last.cause() != null) sb.append(", ").append(last.cause().name().toLowerCase());
      }
      sb.append(", ").append(i.failures()).append(i.failures() == 1 ? " failure, " : " failures, ")
          .append(i.losses()).append(i.losses() == 1 ? " loss" : " losses").append('\n');
    }
    sb.append("completed ").append(completedCount()).append('/').append(instances.size())
        .append(", active ").append(active).append(", waiting ").append(waiting)
        .append(", failed ").append(failed).append("; failures ").append(failures)
        .append(", losses ").append(losses).append("; unsettled tasks ").append(unsettled().size());
    return sb.toString();
  }

  private static String abbrev(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  private static final class MutableAttempt {
    final TaskLaunched launch;
    TaskState state;
    Integer exitCode;
    String message;
    EndCause cause;
    long updatedAt;

    MutableAttempt(TaskLaunched launch) {
      this.launch = launch;
      this.updatedAt = launch.atEpochMs();
    }

    Attempt freeze() {
      return new Attempt(launch.taskId(), launch.instance(), launch.attempt(), launch.agentId(), launch.hostname(),
          launch.atEpochMs(), state, exitCode, message, cause, updatedAt);
    }
  }
}
