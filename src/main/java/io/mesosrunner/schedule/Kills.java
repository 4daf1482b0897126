package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Kills the scheduler sends, and their resending: a kill that got no terminal update within
 * {@link #RESEND} is sent again (the cluster may have lost it), until the attempt ends.
 */
final class Kills {

  /** How often a kill that got no terminal update is sent again. */
  static final Duration RESEND = Duration.ofSeconds(10);

  private final AttemptTable table;
  private final Timers timers;
  private final Clock clock;

  Kills(AttemptTable table, Timers timers, Clock clock) {
    this.table = table;
    this.timers = timers;
    this.clock = clock;
  }

  /** Kills {@code a}; a stop overrides an earlier reason, other reasons do not. */
  void send(Attempt a, KillReason why, List<Action> out) {
    if (a.killReason == null || why == KillReason.STOP) a.killReason = why;
    Instant now = clock.instant();
    String taskId = table.taskId(a);
    if (a.killSentAt == Attempt.UNSET) timers.resendKillAt(now.plus(RESEND), a.instance.index, taskId);
    a.killSentAt = now.toEpochMilli();
    out.add(new Action.Kill(taskId, a.agentId));
  }

  /** Sends again the kills due at {@code now} whose attempts have not ended. */
  void resendDue(Instant now, List<Action> out) {
    for (Timers.Timer t; (t = timers.dueKillResend(now)) != null; ) {
      Attempt a = table.find(t.taskId());
      if (a != null && !a.terminal && a.killSentAt != Attempt.UNSET) {
        if (now.toEpochMilli() - a.killSentAt >= RESEND.toMillis()) {
          a.killSentAt = now.toEpochMilli();
          out.add(new Action.Kill(t.taskId(), a.agentId));
        }
        timers.resendKillAt(Instant.ofEpochMilli(a.killSentAt).plus(RESEND), t.instance(), t.taskId());
      }
    }
  }
}
