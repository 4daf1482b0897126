package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Blame;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.job.OnFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a task's status update means for its attempt and its instance: the transition function of
 * the scheduler. An attempt that ends counts for its instance only when it is the instance's
 * active attempt (not a duplicate being killed); then the instance completes, backs off for a
 * retry, fails, is relaunched after a loss, or is abandoned because the run is stopping. Whether an
 * end is the task's own failure or a loss to the cluster is {@link Blame}'s table. Updates about
 * attempts already ended (late, repeated, or a task come back) are sorted out here too.
 *
 * <p>An attempt whose agent becomes unreachable is not given up at once: it keeps its instance for
 * the job's {@code unreachable_grace}, so that a task whose agent comes back (the common short
 * partition) goes on and nothing runs twice; only when the grace ends is it counted as lost and
 * replaced.
 */
final class TaskUpdates {

  private final StepGraph steps;
  private final int maxLosses;
  private final Clock clock;
  private final AttemptTable table;
  private final LaunchPlanner planner;
  private final Timers timers;
  private final Kills kills;
  private final RunPhase phase;
  private final SchedulerJournal journal;
  /** Ended attempts not yet taken, at most {@link #MAX_ENDED}. */
  private List<AttemptEnded> ended = new ArrayList<>();
  static final int MAX_ENDED = 10_000;

  TaskUpdates(int maxLosses, Clock clock, AttemptTable table, LaunchPlanner planner, Timers timers,
      Kills kills, RunPhase phase, SchedulerJournal journal) {
    this.steps = table.steps();
    this.maxLosses = maxLosses;
    this.clock = clock;
    this.table = table;
    this.planner = planner;
    this.timers = timers;
    this.kills = kills;
    this.phase = phase;
    this.journal = journal;
  }

  void onStatus(TaskStatus s, Instant now, List<Action> out) {
    Attempt a = table.find(s.taskId());
    if (a == null) {
      // Not a task of this run (another run's, or a reconciliation answer about an unknown id).
      if (s.needsAck()) out.add(JobScheduler.ack(s));
      return;
    }
    TaskState before = a.state;
    EndCause causeBefore = a.cause;
    boolean terminalBefore = a.terminal;
    if (!a.terminal) {
      a.state = s.state();
      if (s.message() != null) a.message = table.shared(s.message());
      if (s.exitCode() != null) a.exitCode = s.exitCode();
      a.reason = table.shared(s.reason());
      a.source = s.source();
      if (heardFromItsAgent(s.state()) && a.unreachable()) backFromUnreachable(a, now);
      if (s.state() == TaskState.UNREACHABLE && table.inGrace(a)) {
        // Said again (a reconciliation): the grace runs from the first report.
      } else if (s.state() == TaskState.UNREACHABLE && waitsForItsAgent(a)) {
        beginGrace(a, now);
      } else if (s.state().isTerminal() || s.state() == TaskState.UNREACHABLE) {
        ended(a, s.state(), now, out);
      }
    } else {
      cameBack(a, s, now, out);
    }
    if (a.state != before || a.cause != causeBefore || a.terminal != terminalBefore) {
      record(a, now);
    }
    if (s.needsAck()) out.add(JobScheduler.ack(s));
  }

  private void record(Attempt a, Instant now) {
    String taskId = table.taskId(a);
    journal.taskStateChanged(taskId, a.state, a.exitCode, a.message, a.cause, now);
    // Only the reason of an end (or of a loss of contact) says whose fault it was; the rest is noise.
    if (a.reason != null && (a.terminal || a.state == TaskState.UNREACHABLE)) {
      journal.taskReason(taskId, a.reason, a.source, now);
    }
  }

  // ---------------------------------------------------------------- the grace for an unreachable agent

  /**
   * Whether an attempt reported unreachable keeps its instance for the grace: it is the one that
   * counts for a running instance, and nobody asked to kill it.
   */
  private boolean waitsForItsAgent(Attempt a) {
    return graceOf(a).compareTo(Duration.ZERO) > 0 && phase.running() && a.killReason == null
        && a.instance.state == InstanceState.ACTIVE && a.instance.activeAttempt() == a;
  }

  private void beginGrace(Attempt a, Instant now) {
    a.unreachableAt = now.toEpochMilli();
    a.backAt = Attempt.UNSET;
    table.enterGrace(a);
    timers.graceEndsAt(now.plus(graceOf(a)), a.instance.index, table.taskId(a));
  }

  /** The {@code unreachable_grace} of the attempt's job (its step's, in a pipeline). */
  private Duration graceOf(Attempt a) {
    return steps.jobOf(a.instance.index).unreachableGrace();
  }

  /** An unreachable attempt was reported again: its agent came back. */
  private void backFromUnreachable(Attempt a, Instant now) {
    a.backAt = now.toEpochMilli();
    table.leaveGrace(a);
  }

  /**
   * The grace of attempts whose agent did not come back in time ends: each is lost to the cluster
   * and its instance is relaunched (a copy that comes back later is killed, or adopted while its
   * instance still waits).
   */
  void endDueGraces(Instant now, List<Action> out) {
    for (Timers.Timer t; (t = timers.dueGraceEnd(now)) != null; ) {
      Attempt a = table.find(t.taskId());
      if (a == null || a.terminal || !table.inGrace(a)) continue;
      if (now.toEpochMilli() - a.unreachableAt < graceOf(a).toMillis()) continue;
      table.leaveGrace(a);
      ended(a, TaskState.UNREACHABLE, now, out);
      record(a, now);
    }
  }

  /**
   * "waiting for agent S1 to come back (12s of 60s)" for the attempt that has waited longest, and
   * how many more wait; "" when none does.
   */
  String graceReason(Instant now) {
    Attempt first = table.firstInGrace();
    if (first == null) return "";
    long waited = Math.max(0, now.toEpochMilli() - first.unreachableAt) / 1000;
    String text = "waiting for agent " + first.agentId + " to come back (" + waited + "s of "
        + Durations.format(graceOf(first)) + ")";
    int more = table.inGraceCount() - 1;
    return more > 0 ? text + " and " + more + " more" : text;
  }

  /** An update about an attempt already counted as ended: a late, repeated or resurrected task. */
  private void cameBack(Attempt a, TaskStatus s, Instant now, List<Action> out) {
    Instance instance = a.instance;
    TaskState st = s.state();
    if (heardFromItsAgent(st) && a.unreachable()) a.backAt = now.toEpochMilli();
    if (st == TaskState.FINISHED && a.state != TaskState.FINISHED) {
      // It finished after all (e.g. unreachable, then the agent came back and it completed).
      a.state = st;
      if (s.exitCode() != null) a.exitCode = s.exitCode();
      a.cause = null;
      a.endedAt = now.toEpochMilli();
      if (instance.state != InstanceState.DONE && instance.state != InstanceState.FAILED) {
        Attempt other = instance.activeAttempt();
        if (other != null) kills.send(other, KillReason.DUPLICATE, out);
        complete(instance, a, now, out);
      }
      return;
    }
    if (endedOnItsAgent(a.state)) {
      // The task's own executor ended it; it cannot run again, so this update is a stale or
      // replayed one. Killing it would only turn the attempt's record into TASK_GONE.
      return;
    }
    if (!st.isTerminal() && st != TaskState.UNREACHABLE) {
      // A task we gave up on is running again.
      boolean replaceable = phase.running()
          && (instance.state == InstanceState.PENDING || instance.state == InstanceState.BACKOFF);
      a.terminal = false;
      a.state = st;
      a.endedAt = Attempt.UNSET;
      table.markLive(a);
      if (replaceable) {
        if (instance.state == InstanceState.PENDING) planner.forget(instance);
        a.cause = null;
        instance.losses = Math.max(0, instance.losses - 1);
        table.move(instance, InstanceState.ACTIVE);
        timers.startTimeout(instance.index, table.taskId(a), clock.instant());
      } else {
        kills.send(a, phase.running() ? KillReason.DUPLICATE : KillReason.STOP, out);
      }
    }
    // A repeated terminal update changes nothing: completions are counted once.
  }

  /** States that only a reachable agent (or the task's executor) can report. */
  private static boolean heardFromItsAgent(TaskState st) {
    return st.isTerminal() ? endedOnItsAgent(st) : st != TaskState.UNREACHABLE;
  }

  /** States only the task's executor reports, after which the task never runs again. */
  private static boolean endedOnItsAgent(TaskState st) {
    return st == TaskState.FINISHED || st == TaskState.FAILED || st == TaskState.ERROR || st == TaskState.KILLED;
  }

  private void ended(Attempt a, TaskState st, Instant now, List<Action> out) {
    Instance instance = a.instance;
    if (st == TaskState.UNREACHABLE && !a.unreachable()) {
      a.unreachableAt = now.toEpochMilli();
      a.backAt = Attempt.UNSET;
    }
    table.leaveGrace(a);
    a.terminal = true;
    a.endedAt = now.toEpochMilli();
    table.markEnded(a);
    boolean counted = a.killReason != KillReason.DUPLICATE && instance.state == InstanceState.ACTIVE
        && instance.activeAttempt() == null;
    if (!counted) {
      // A duplicate of an instance that is handled elsewhere: it ends without consequence.
      if (a.cause == null && st != TaskState.FINISHED) a.cause = EndCause.DUPLICATE;
      if (st == TaskState.FINISHED && instance.state != InstanceState.DONE && phase.running()
          && instance.state != InstanceState.FAILED) {
        complete(instance, a, now, out);
      }
    } else if (st == TaskState.FINISHED) {
      complete(instance, a, now, out);
    } else if (a.killReason == KillReason.STOP || !phase.running()) {
      a.cause = EndCause.STOPPED;
      table.move(instance, InstanceState.ABANDONED);
    } else if (a.killReason == KillReason.TIMEOUT) {
      a.cause = EndCause.TIMED_OUT;
      ownFailure(a, now, out);
    } else if (Blame.of(st, a.reason, a.source, a.message) == Blame.TASK) {
      a.cause = EndCause.FAILED;
      ownFailure(a, now, out);
    } else {
      a.cause = EndCause.LOST;
      instance.losses++;
      if (instance.losses > maxLosses) {
        report(a, null);
        failInstance(instance, "instance " + local(instance) + " was lost to the infrastructure "
            + instance.losses + " times (last: " + st + ")", now, out);
      } else {
        report(a, Duration.ZERO);
        makePending(instance);
      }
    }
    phase.maybeFinish(now, out);
  }

  private void complete(Instance instance, Attempt by, Instant now, List<Action> out) {
    if (instance.state == InstanceState.PENDING) planner.forget(instance);
    table.move(instance, InstanceState.DONE);
    journal.instanceCompleted(instance.index, table.taskId(by), now);
    if (table.count(InstanceState.DONE) == table.size()) {
      phase.succeed(now, out);
    } else {
      settleIfAllEnded(now, out);
    }
  }

  /** A failure of the attempt itself: retried after a backoff while retries and the exit-code rules allow. */
  private void ownFailure(Attempt a, Instant now, List<Action> out) {
    Instance instance = a.instance;
    Job job = steps.jobOf(instance.index);
    instance.failures++;
    if (a.cause == EndCause.FAILED && a.exitCode != null && a.exitCode != 0 && !job.retriesExitCode(a.exitCode)) {
      report(a, null);
      failInstance(instance, "instance " + local(instance) + " failed with exit code " + a.exitCode
          + ", which is not retried (" + exitRule(job) + ")", now, out);
      return;
    }
    if (instance.failures > job.retries()) {
      report(a, null);
      failInstance(instance, "instance " + local(instance) + " failed " + instance.failures + " time"
          + (instance.failures == 1 ? "" : "s") + " (retries: " + job.retries() + "), last: "
          + describeEnd(job, instance.last()), now, out);
      return;
    }
    Duration backoff = Timers.backoff(instance.failures);
    report(a, backoff);
    table.move(instance, InstanceState.BACKOFF);
    timers.backoffUntil(now.plus(backoff), instance.index);
  }

  private static String exitRule(Job job) {
    return job.retryOnExit().isEmpty() ? "no_retry_exit: " + job.noRetryExit() : "retry_on_exit: " + job.retryOnExit();
  }

  private void failInstance(Instance instance, String why, Instant now, List<Action> out) {
    table.move(instance, InstanceState.FAILED);
    int s = steps.stepOf(instance.index);
    String reason = steps.pipeline().single() ? why : "step " + steps.step(s).name() + ": " + why;
    journal.instanceFailed(instance.index, reason, now);
    if (steps.job(s).onFailure() == OnFailure.STOP) {
      phase.stop(Outcome.FAILED, reason, now, out);
    } else {
      skipDependentsOfFailed();
      settleIfAllEnded(now, out);
    }
  }

  /** The instance's index within its step (the run-wide index for a single job). */
  private int local(Instance instance) {
    return instance.index - steps.step(steps.stepOf(instance.index)).first();
  }

  /** The steps that need a failed step, directly or not, will not run: they are skipped, saying why. */
  void skipDependentsOfFailed() {
    for (int s = 0; s < steps.size(); s++) {
      if (!steps.failed(s)) continue;
      for (int d : steps.dependentsOf(s)) {
        if (steps.skipReason(d) != null) continue;
        steps.skip(d, "needs " + steps.step(s).name() + ", which failed");
        table.skip(d);
      }
    }
  }

  /**
   * With {@code on_failure: continue}: once every instance has completed, failed or been skipped
   * (its step needs one that failed), the run fails, naming every failed instance.
   */
  void settleIfAllEnded(Instant now, List<Action> out) {
    int failed = table.count(InstanceState.FAILED);
    int skipped = table.count(InstanceState.ABANDONED);
    if (failed == 0 || table.count(InstanceState.DONE) + failed + skipped < table.size()) return;
    phase.stop(Outcome.FAILED, failed + " of " + table.size() + " instances failed (on_failure: continue): "
        + failedList() + skippedList(), now, out);
  }

  private String failedList() {
    if (steps.pipeline().single()) return IndexRanges.format(table.indexesIn(InstanceState.FAILED));
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < steps.size(); s++) {
      if (!steps.failed(s)) continue;
      int first = steps.step(s).first();
      List<Integer> local = new ArrayList<>();
      for (int i : table.indexesIn(InstanceState.FAILED)) {
        if (steps.step(s).holds(i)) local.add(i - first);
      }
      if (b.length() > 0) b.append("; ");
      b.append(steps.step(s).name()).append(' ').append(IndexRanges.format(local));
    }
    return b.toString();
  }

  private String skippedList() {
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < steps.size(); s++) {
      if (steps.skipReason(s) == null) continue;
      b.append(b.length() == 0 ? "; skipped: " : ", ").append(steps.step(s).name())
          .append(" (").append(steps.skipReason(s)).append(')');
    }
    return b.toString();
  }

  /** What {@link JobScheduler#takeEndedAttempts()} hands out, since the last take; bounded. */
  List<AttemptEnded> takeEnded() {
    if (ended.isEmpty()) return List.of();
    List<AttemptEnded> taken = ended;
    ended = new ArrayList<>();
    return taken;
  }

  private void report(Attempt a, Duration retryIn) {
    // Bounded so that a caller that never takes them cannot run out of memory in a failure storm.
    if (ended.size() < MAX_ENDED) {
      ended.add(new AttemptEnded(a.instance.index, a.number, table.taskId(a), a.cause, a.state, a.exitCode, a.message,
          retryIn));
    }
  }

  void makePending(Instance instance) {
    table.move(instance, InstanceState.PENDING);
    planner.requeue(instance);
  }

  private static String describeEnd(Job job, Attempt a) {
    if (a.cause == EndCause.TIMED_OUT) return "timed out after " + Durations.format(job.timeout());
    if (a.exitCode != null) return "exit code " + a.exitCode;
    return a.state + (a.message == null ? "" : " (" + a.message + ")");
  }
}
