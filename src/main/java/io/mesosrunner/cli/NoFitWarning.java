package io.mesosrunner.cli;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.AttemptEnded;
import io.mesosrunner.schedule.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Says plainly, on stderr, when a job on Mesos has had nothing running while its instances fit
 * no offer seen for {@link #AFTER}: a line once, then again every {@link #AGAIN} while it lasts
 * (with {@code --quiet} too: the run looks hung otherwise). Offers change on Mesos, so the run
 * goes on waiting; its {@code deadline} bounds the wait. The local cluster never changes and
 * fails such a job before it starts instead ({@link ClusterOptions#check}).
 *
 * <p>Wraps the observer that prints the run; progress arrives on the run loop only. The warning
 * goes to {@code warnings} ({@link TerminalUi#warn}), not straight to stderr: there the live status
 * line is drawn, and a line printed behind its back would be glued to it.
 */
final class NoFitWarning implements JobRun.Observer {

  static final Duration AFTER = Duration.ofSeconds(30);
  static final Duration AGAIN = Duration.ofMinutes(5);

  private final JobRun.Observer inner;
  private final Consumer<String> warnings;
  private final Clock clock;
  private final String jobName;
  private final boolean hasDeadline;
  private Instant stuckSince;
  private Instant lastWarned;

  NoFitWarning(JobRun.Observer inner, Consumer<String> warnings, Clock clock, String jobName, boolean hasDeadline) {
    this.inner = inner;
    this.warnings = warnings;
    this.clock = clock;
    this.jobName = jobName;
    this.hasDeadline = hasDeadline;
  }

  @Override
  public void onOutput(TaskSpec task, ClusterListener.OutputStreamKind stream, byte[] line, LineEnd end) {
    inner.onOutput(task, stream, line, end);
  }

  @Override
  public void onAttemptEnded(AttemptEnded ended) {
    inner.onAttemptEnded(ended);
  }

  @Override
  public void onProgress(Progress p) {
    inner.onProgress(p);
    Instant now = clock.instant();
    if (p.active() > 0 || p.waiting() == 0 || !isShortfall(p.waitReason())) {
      stuckSince = null;
      lastWarned = null;
      return;
    }
    if (stuckSince == null) {
      stuckSince = now;
    }
    boolean first = lastWarned == null && !now.isBefore(stuckSince.plus(AFTER));
    boolean again = lastWarned != null && !now.isBefore(lastWarned.plus(AGAIN));
    if (first || again) {
      lastWarned = now;
      long secs = Duration.between(stuckSince, now).toSeconds();
      warnings.accept("runner: warning: no instance of " + jobName + " fits any offer seen in the last " + secs + " s ("
          + p.waitReason() + "); it waits for the cluster to have room"
          + (hasDeadline ? " until its deadline" : " (set a deadline to bound the wait)"));
    }
  }

  /** Whether the scheduler's wait reason is a placement shortfall, not connecting or limits. */
  static boolean isShortfall(String reason) {
    return !reason.isEmpty() && !reason.startsWith("parallelism") && !reason.startsWith("backoff")
        && !reason.startsWith("connecting") && !reason.startsWith("reconnecting")
        && !reason.equals("no offers yet") && !reason.equals("waiting for offers");
  }
}
