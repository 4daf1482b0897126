package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What a task's status update means for its attempt and its instance: the transition function of
 * the scheduler. An attempt that ends counts for its instance only when it is the instance's
 * active attempt (not a duplicate being killed); then the instance completes, backs off for a
 * retry, fails, is relaunched after a loss, or is abandoned because the run is stopping. Updates
 * about attempts already ended (late, repeated, or a task come back) are sorted out here too.
 */
final class TaskUpdates {

  private final Job job;
  private final int maxLosses;
  private final Clock clock;
  private final AttemptTable table;
  private final LaunchPlanner planner;
  private final Timers timers;
  private final Kills kills;
  private final RunPhase phase;
  private final SchedulerJournal journal;

  TaskUpdates(Job job, int maxLosses, Clock clock, AttemptTable table, LaunchPlanner planner, Timers timers,
      Kills kills, RunPhase phase, SchedulerJournal journal) {
    this.job = job;
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
      if (s.needsAck()) out.add(ack(s));
      return;
    }
    TaskState before = a.state;
    EndCause causeBefore = a.cause;
    boolean terminalBefore = a.terminal;
    if (!a.terminal) {
      a.state = s.state();
      if (s.message() != null) a.message = table.shared(s.message());
      if (s.exitCode() != null) a.exitCode = s.exitCode();
      if (s.state().isTerminal() || s.state() == TaskState.UNREACHABLE) {
        ended(a, s.state(), now, out);
      }
    } else {
      cameBack(a, s, now, out);
    }
    if (a.state != before || a.cause != causeBefore || a.terminal != terminalBefore) {
      journal.taskStateChanged(table.taskId(a), a.state, a.exitCode, a.message, a.cause, now);
    }
    if (s.needsAck()) out.add(ack(s));
  }

  /** An update about an attempt already counted as ended: a late, repeated or resurrected task. */
  private void cameBack(Attempt a, TaskStatus s, Instant now, List<Action> out) {
    Instance instance = a.instance;
    TaskState st = s.state();
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

  /** States only the task's executor reports, after which the task never runs again. */
  private static boolean endedOnItsAgent(TaskState st) {
    return st == TaskState.FINISHED || st == TaskState.FAILED || st == TaskState.ERROR || st == TaskState.KILLED;
  }

  private void ended(Attempt a, TaskState st, Instant now, List<Action> out) {
    Instance instance = a.instance;
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
      ownFailure(instance, now, out);
    } else if (st.isOwnFailure()) {
      a.cause = EndCause.FAILED;
      ownFailure(instance, now, out);
    } else {
      a.cause = EndCause.LOST;
      instance.losses++;
      if (instance.losses > maxLosses) {
        failInstance(instance, "instance " + instance.index + " was lost to the infrastructure "
            + instance.losses + " times (last: " + st + ")", now, out);
      } else {
        makePending(instance);
      }
    }
    phase.maybeFinish(now, out);
  }

  private void complete(Instance instance, Attempt by, Instant now, List<Action> out) {
    if (instance.state == InstanceState.PENDING) planner.forget(instance);
    table.move(instance, InstanceState.DONE);
    journal.instanceCompleted(instance.index, table.taskId(by), now);
    if (table.count(InstanceState.DONE) == table.size()) phase.succeed(now, out);
  }

  private void ownFailure(Instance instance, Instant now, List<Action> out) {
    instance.failures++;
    if (instance.failures > job.retries()) {
      failInstance(instance, "instance " + instance.index + " failed " + instance.failures + " time"
          + (instance.failures == 1 ? "" : "s") + " (retries: " + job.retries() + "), last: "
          + describeEnd(instance.last()), now, out);
      return;
    }
    table.move(instance, InstanceState.BACKOFF);
    timers.backoffUntil(now.plus(JobScheduler.backoff(instance.failures)), instance.index);
  }

  private void failInstance(Instance instance, String why, Instant now, List<Action> out) {
    table.move(instance, InstanceState.FAILED);
    journal.instanceFailed(instance.index, why, now);
    phase.stop(Outcome.FAILED, why, now, out);
  }

  void makePending(Instance instance) {
    table.move(instance, InstanceState.PENDING);
    planner.requeue(instance);
  }

  private String describeEnd(Attempt a) {
    if (a.cause == EndCause.TIMED_OUT) return "timed out after " + Durations.format(job.timeout());
    if (a.exitCode != null) return "exit code " + a.exitCode;
    return a.state + (a.message == null ? "" : " (" + a.message + ")");
  }

  private static Action.Acknowledge ack(TaskStatus s) {
    return new Action.Acknowledge(s.taskId(), s.agentId(), s.uuid());
  }
}
