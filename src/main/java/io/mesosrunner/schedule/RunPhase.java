package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the run as a whole stands, and how it stops: RUNNING, then STOPPING (the outcome is
 * decided, waiting instances are abandoned and what runs is killed), then ENDED (every killed
 * task reported, or {@link #STOP_GRACE} passed; the framework is torn down). The first outcome
 * decided wins.
 */
final class RunPhase {

  /** How long a stopping run waits for killed tasks to report before it tears down anyway. */
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  static final Action.Teardown TEARDOWN = new Action.Teardown();

  private enum Phase { RUNNING, STOPPING, ENDED }

  private final AttemptTable table;
  private final LaunchPlanner planner;
  private final Timers timers;
  private final Kills kills;
  private final SchedulerJournal journal;

  private Phase phase = Phase.RUNNING;
  private Outcome outcome;
  private String reason;
  private Instant stopDeadline;
  private Instant endedAt;

  RunPhase(AttemptTable table, LaunchPlanner planner, Timers timers, Kills kills, SchedulerJournal journal) {
    this.table = table;
    this.planner = planner;
    this.timers = timers;
    this.kills = kills;
    this.journal = journal;
  }

  boolean running() {
    return phase == Phase.RUNNING;
  }

  boolean ended() {
    return phase == Phase.ENDED;
  }

  /** How the run ended (or is ending), or null while it runs. */
  Outcome outcome() {
    return outcome;
  }

  String reason() {
    return reason;
  }

  Instant endedAt() {
    return endedAt;
  }

  /** Every instance completed: the run succeeds, unless an outcome was decided before. */
  void succeed(Instant now, List<Action> out) {
    if (outcome != null) return;
    outcome = Outcome.SUCCEEDED;
    reason = "all " + table.size() + " instances completed";
    beginStop(now, out);
  }

  /** Ends the run with {@code why} (first reason wins) and kills what still runs. */
  void stop(Outcome why, String because, Instant now, List<Action> out) {
    if (outcome == null) {
      outcome = why;
      reason = because;
    }
    if (phase == Phase.RUNNING) beginStop(now, out);
  }

  /** The cluster is gone for good: the run ends at once, nothing can be killed any more. */
  void clusterFailed(String because, Instant now) {
    if (outcome == null) {
      outcome = Outcome.CLUSTER_FAILED;
      reason = because;
    }
    abandonWaiting();
    phase = Phase.ENDED;
    endedAt = now;
  }

  /** Ends a stopping run once nothing is live or the grace has passed. */
  void maybeFinish(Instant now, List<Action> out) {
    if (phase == Phase.STOPPING && (table.live().isEmpty() || !now.isBefore(stopDeadline))) {
      phase = Phase.ENDED;
      endedAt = now;
      if (outcome == Outcome.SUCCEEDED || outcome == Outcome.FAILED) journal.runEnded(outcome, reason, now);
      out.add(TEARDOWN);
    }
  }

  private void beginStop(Instant now, List<Action> out) {
    phase = Phase.STOPPING;
    stopDeadline = now.plus(STOP_GRACE);
    abandonWaiting();
    for (Attempt a : List.copyOf(table.live())) {
      if (a.killReason == null) kills.send(a, KillReason.STOP, out);
    }
    for (Attempt a : table.inGrace()) giveUp(a, now);
    maybeFinish(now, out);
  }

  /**
   * An attempt whose agent is unreachable cannot answer the kill until the agent comes back, which
   * may be never: the stopping run counts it as ended now (a copy that comes back is killed then,
   * and the master kills the framework's tasks on a returning agent once it is torn down).
   */
  private void giveUp(Attempt a, Instant now) {
    table.leaveGrace(a);
    a.terminal = true;
    a.endedAt = now.toEpochMilli();
    a.cause = AttemptRecord.EndCause.STOPPED;
    table.markEnded(a);
    if (a.instance.state == InstanceState.ACTIVE) table.move(a.instance, InstanceState.ABANDONED);
    journal.taskStateChanged(table.taskId(a), a.state, a.exitCode, a.message, a.cause, now);
  }

  private void abandonWaiting() {
    table.abandonWaiting();
    planner.clear();
    timers.clearBackoffs();
  }
}
