package io.mesosrunner.state;

import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.InstancesCarriedOver;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskReasonGiven;
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
   * @param reason    the reason given with its end ({@link JournalRecord.TaskReasonGiven}), or null
   * @param source    who gave it, or null
   * @param unreachableForMs how long its agent was unreachable before the task was heard from
   *                  again, or null when it never was (or never came back)
   */
  public record Attempt(String taskId, int instance, int attempt, String agentId, String hostname,
      long launchedAtEpochMs, TaskState state, Integer exitCode, String message, EndCause cause,
      long updatedAtEpochMs, String reason, TaskStatus.Source source, Long unreachableForMs) {

    /** An attempt with no reason recorded. */
    public Attempt(String taskId, int instance, int attempt, String agentId, String hostname,
        long launchedAtEpochMs, TaskState state, Integer exitCode, String message, EndCause cause,
        long updatedAtEpochMs) {
      this(taskId, instance, attempt, agentId, hostname, launchedAtEpochMs, state, exitCode, message, cause,
          updatedAtEpochMs, null, null, null);
    }

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
            a.settled() ? java.time.Instant.ofEpochMilli(a.updatedAtEpochMs()) : null,
            a.state() == TaskState.UNREACHABLE && a.cause() == null
                ? java.time.Instant.ofEpochMilli(a.updatedAtEpochMs()) : null));
      }
      list.add(new Resume.Instance(i.index(), i.completed(), i.failed(), i.failures(), i.losses(),
          i.nextAttempt() - 1, tasks));
    }
    return new Resume(frameworkId, list, adoptLive);
  }

  /**
   * Folds {@code records} (a journal's, oldest first) into the run's state ({@link RunFold} over a list).
   *
   * @throws IllegalArgumentException when the records do not describe one run: not starting with
   *     RunStarted, a second RunStarted, or an instance index outside the run
   */
  public static RunState fold(List<? extends JournalRecord> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("a run journal starts with RunStarted (got no records)");
    }
    RunFold fold = new RunFold();
    for (JournalRecord r : records) fold.accept(r);
    return fold.state();
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

}
