package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import java.time.Instant;
import java.util.Map;

/**
 * Carries an earlier run's history ({@link Resume}) into a new scheduler's table: completed and
 * failed instances stay so, failure and loss counts carry over, a task that may still run is
 * adopted (Mesos) or counted as lost (the local cluster), and the rest wait to be launched.
 */
final class Restorer {

  private final AttemptTable table;
  private final LaunchPlanner planner;
  private final Timers timers;
  private final SchedulerJournal journal;

  Restorer(AttemptTable table, LaunchPlanner planner, Timers timers, SchedulerJournal journal) {
    this.table = table;
    this.planner = planner;
    this.timers = timers;
    this.journal = journal;
  }

  void restore(Resume resume, Instant now) {
    for (Resume.Instance r : resume.instances()) {
      if (r.index() < 0 || r.index() >= table.size()) continue;
      Instance instance = table.restore(r.index());
      instance.failures = r.failures();
      instance.losses = r.losses();
      instance.attemptCount = r.attempts();
      if (r.completed()) {
        table.move(instance, InstanceState.DONE);
      } else if (r.failed()) {
        table.move(instance, InstanceState.FAILED);
      } else {
        restoreTasks(instance, r, resume.adoptLive(), now);
      }
    }
  }

  private void restoreTasks(Instance instance, Resume.Instance r, boolean adoptLive, Instant now) {
    Attempt adopted = null;
    Resume.Task adoptedTask = null;
    for (Resume.Task t : r.tasks()) {
      Attempt a = new Attempt(instance, t.attempt(), t.agentId(), t.hostname() == null ? t.agentId() : t.hostname(),
          Map.of(), t.startedAt().toEpochMilli());
      instance.add(a);
      if (t.state() != null) a.state = t.state();
      a.exitCode = t.exitCode();
      a.message = t.message();
      a.cause = t.cause();
      if (t.settled()) {
        a.terminal = true;
        a.endedAt = t.endedAt() == null ? Attempt.UNSET : t.endedAt().toEpochMilli();
      } else if (adoptLive && adopted == null) {
        adopted = a;
        adoptedTask = t;
        table.markLive(a);
      } else if (adoptLive) {
        // Two live attempts of one instance: keep the first, kill the other once connected.
        table.markLive(a);
        a.killReason = KillReason.DUPLICATE;
      } else {
        // The earlier runner's processes are gone: the attempt was lost with it.
        a.terminal = true;
        a.state = TaskState.LOST;
        a.cause = EndCause.LOST;
        a.message = "the runner stopped while it ran";
        a.endedAt = now.toEpochMilli();
        instance.losses++;
        journal.taskStateChanged(table.taskId(a), a.state, null, a.message, a.cause, now);
      }
    }
    if (adopted != null) {
      table.move(instance, InstanceState.ACTIVE);
      timers.startTimeout(instance.index, table.taskId(adopted), now);
      Instant since = adoptedTask.unreachableSince();
      if (since != null) {
        // Still waiting for its agent: the grace runs on from when the agent became unreachable.
        adopted.unreachableAt = since.toEpochMilli();
        table.enterGrace(adopted);
        timers.graceEndsAt(since.plus(table.steps().jobOf(instance.index).unreachableGrace()), instance.index,
            table.taskId(adopted));
      }
    } else {
      planner.requeue(instance);
    }
  }
}
