package io.mesosrunner.cli;

import io.mesosrunner.schedule.Progress;
import java.time.Duration;
import java.time.Instant;

/**
 * The text of the status line: counts of instances by state, time elapsed, an estimate of the time
 * left, and why instances wait, most important first so that cutting it to the terminal's width
 * drops the least useful part:
 *
 * <pre>
 *   fan-out: 3/8 done, 4 running, 1 waiting | 12s elapsed, ~20s left | at most 4 run at once (parallelism)
 * </pre>
 *
 * <p>The estimate is the instances still to complete divided by the completion rate seen since
 * {@code start} (completions counted from {@code doneAtStart}); there is none before the first
 * completion. Not thread-safe; its users hold their own lock.
 */
final class StatusLine {

  private final String job;
  private final int parallelism;
  private final Instant start;
  private final int doneAtStart;
  private final Style style;

  /**
   * @param parallelism the job's limit, or 0 when not known (then the scheduler's reason is shown as is)
   * @param doneAtStart instances already completed at {@code start} (a resumed run's), not counted in the rate
   */
  StatusLine(String job, int parallelism, Instant start, int doneAtStart, Style style) {
    this.job = job;
    this.parallelism = parallelism;
    this.start = start;
    this.doneAtStart = doneAtStart;
    this.style = style;
  }

  /** The line for {@code p} at {@code now}, cut to {@code columns} visible characters (0: not cut). */
  String render(Progress p, Instant now, int columns) {
    StringBuilder b = new StringBuilder(120);
    b.append(style.bold(job)).append(": ")
        .append(style.done(p.done() + "/" + p.instances() + " done")).append(", ")
        .append(p.active() > 0 ? style.running(p.active() + " running") : p.active() + " running").append(", ")
        .append(p.waiting() > 0 ? style.waiting(p.waiting() + " waiting") : p.waiting() + " waiting");
    if (p.failed() > 0) b.append(", ").append(style.failed(p.failed() + " failed"));
    Duration elapsed = Duration.between(start, now);
    if (elapsed.isNegative()) elapsed = Duration.ZERO;
    b.append(" | ").append(duration(elapsed)).append(" elapsed");
    Duration left = estimateLeft(p, elapsed);
    if (left != null) b.append(", ~").append(duration(left)).append(" left");
    String why = waitPhrase(p);
    if (!why.isEmpty()) b.append(" | ").append(why);
    String line = b.toString();
    return columns > 0 ? Style.cut(line, columns) : line;
  }

  /** Time left at the rate seen so far, or null when it cannot be told yet. */
  Duration estimateLeft(Progress p, Duration elapsed) {
    int completedHere = p.done() - doneAtStart;
    int toGo = p.instances() - p.done() - p.failed();
    if (completedHere <= 0 || toGo <= 0 || elapsed.isZero()) return null;
    long millis = (long) ((double) elapsed.toMillis() * toGo / completedHere);
    return Duration.ofMillis(millis);
  }

  private String waitPhrase(Progress p) {
    String reason = p.waitReason();
    if (reason == null || reason.isEmpty() || p.waiting() == 0) return "";
    // The scheduler's "parallelism (3 running, limit 3)" repeats the running count; say what it means.
    if (parallelism > 0 && reason.startsWith("parallelism")) {
      return "at most " + parallelism + " run at once (parallelism)";
    }
    return reason;
  }

  /** {@code 12s}, {@code 4m05s}, {@code 2h03m}. */
  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) return s + "s";
    if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
