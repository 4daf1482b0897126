package io.mesosrunner.cli;

import io.mesosrunner.schedule.IndexRanges;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.RunView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code runner status JOB} as text: a summary of the run whatever its size, with instances named
 * as ranges ({@code failed: 3, 17-19}), never a line per instance ({@code -o json} has every one).
 *
 * <pre>
 *   fan-out: run 2a79d7e9 running (runner pid 4242)
 *     job file:  jobs/fan-out.yaml (sha256 5f2c01ab9e31) on local, started 2026-12-07T23:40:01Z
 *     instances: 3 of 8 completed, 4 running, 1 waiting, 0 failed
 *     attempts:  8 (1 failed, 0 lost to the cluster)
 *     running:   3-6
 *     waiting:   7
 *     elapsed:   12.0s
 * </pre>
 */
final class StatusText {

  /** Ranges shown per line at most; the rest are counted. */
  static final int MAX_RANGES = 20;
  /** Failed instances described with their last attempt, at most. */
  static final int MAX_FAILED_SHOWN = 5;

  private StatusText() {}

  static String render(RunView view, RunState run) {
    RunStarted s = run.started();
    StringBuilder b = new StringBuilder();
    b.append(s.jobName()).append(": run ").append(s.runId()).append(' ').append(view.status().word());
    if (view.exitCode() != null) b.append(" (exit ").append(view.exitCode()).append(')');
    if (view.runnerPid() != null) b.append(" (runner pid ").append(view.runnerPid()).append(')');
    if (run.endReason() != null) b.append(": ").append(run.endReason());
    b.append('\n');
    b.append("  job file:  ").append(s.jobFile()).append(" (sha256 ")
        .append(s.fileSha256(), 0, Math.min(12, s.fileSha256().length()))
        .append(s.gitCommit() == null ? "" : ", commit " + s.gitCommit().substring(0, Math.min(12, s.gitCommit().length())))
        .append(") on ").append(s.cluster()).append(", started ").append(Instant.ofEpochMilli(s.startedAtEpochMs()))
        .append('\n');
    long failures = 0;
    long losses = 0;
    List<Integer> running = new ArrayList<>();
    List<Integer> waiting = new ArrayList<>();
    List<Integer> failed = new ArrayList<>();
    for (RunState.Instance i : run.instances()) {
      failures += i.failures();
      losses += i.losses();
      if (i.completed()) continue;
      if (i.failed()) {
        failed.add(i.index());
      } else if (i.lastAttempt() != null && !i.lastAttempt().settled()) {
        running.add(i.index());
      } else {
        waiting.add(i.index());
      }
    }
    b.append(String.format(Locale.ROOT, "  instances: %d of %d completed, ", view.completed(), view.instances()));
    if (!view.status().over()) {
      b.append(running.size()).append(" running, ").append(waiting.size()).append(" waiting, ");
    } else if (running.size() + waiting.size() > 0) {
      b.append(running.size() + waiting.size()).append(" not run to the end, ");
    }
    b.append(failed.size()).append(" failed\n");
    b.append(String.format(Locale.ROOT, "  attempts:  %d (%d failed, %d lost to the cluster)%n", view.attempts(),
        failures, losses));
    ranges(b, "failed:    ", failed);
    ranges(b, view.status().over() ? "unsettled: " : "running:   ", running);
    ranges(b, view.status().over() ? "not done:  " : "waiting:   ", waiting);
    b.append("  ").append(view.status().over() ? "wall time: " : "elapsed:   ")
        .append(String.format(Locale.ROOT, "%.1fs", view.wallSeconds())).append('\n');
    int shown = 0;
    for (int index : failed) {
      if (shown++ == MAX_FAILED_SHOWN) {
        b.append("  ... and ").append(failed.size() - MAX_FAILED_SHOWN).append(" more failed (runner status -o json)\n");
        break;
      }
      RunState.Instance i = run.instances().get(index);
      RunState.Attempt last = i.lastAttempt();
      b.append("  ").append(i.failedReason());
      if (last != null) {
        b.append(" (last attempt ").append(last.attempt()).append(", ")
            .append(last.state() == null ? "no update" : "TASK_" + last.state());
        if (last.exitCode() != null) b.append(", exit ").append(last.exitCode());
        b.append(')');
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** {@code label 3, 17-19}, cut after {@link #MAX_RANGES} ranges; nothing when there is no index. */
  static void ranges(StringBuilder b, String label, List<Integer> indexes) {
    if (indexes.isEmpty()) return;
    String text = IndexRanges.format(indexes);
    String[] parts = text.split(", ");
    b.append("  ").append(label);
    if (parts.length <= MAX_RANGES) {
      b.append(text);
    } else {
      b.append(String.join(", ", java.util.Arrays.copyOf(parts, MAX_RANGES))).append(" and ")
          .append(parts.length - MAX_RANGES).append(" more ranges");
    }
    b.append(" (").append(indexes.size()).append(")\n");
  }
}
