package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.cluster.TaskSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user sees while a job runs: task output tagged {@code [job/instance]} (stdout lines on
 * stdout, stderr lines on stderr), and progress. On a terminal, progress is one live status line
 * on stderr, cleared before task output is printed and drawn again after; otherwise (CI logs) a
 * plain line every {@code plainEvery}, with no control characters.
 *
 * <p>Thread-safe: output arrives from adapter threads, progress from the run loop.
 */
final class TerminalUi implements JobRun.Observer {

  /** Lines of stderr kept per instance for the failure summary. */
  static final int TAIL_LINES = 10;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean live;
  private final boolean quiet;
  private final Clock clock;
  private final Duration plainEvery;
  private final String jobName;
  private final Map<Integer, Tail> tails = new HashMap<>();
  private String statusLine = "";
  private Instant lastPlain = Instant.MIN;
  private Progress lastProgress;

  private static final class Tail {
    String taskId;
    final ArrayDeque<String> lines = new ArrayDeque<>(TAIL_LINES);
  }

  TerminalUi(PrintStream out, PrintStream err, boolean live, boolean quiet, Clock clock, Duration plainEvery, String jobName) {
    this.out = out;
    this.err = err;
    this.live = live;
    this.quiet = quiet;
    this.clock = clock;
    this.plainEvery = plainEvery;
    this.jobName = jobName;
  }

  @Override
  public synchronized void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line) {
    if (stream == OutputStreamKind.STDERR) keepTail(task, new String(line, StandardCharsets.UTF_8));
    if (quiet) return;
    clearStatus();
    PrintStream target = stream == OutputStreamKind.STDOUT ? out : err;
    // The task's bytes go out unchanged, whatever this JVM's locale: only the tag is text.
    target.print("[" + task.tag() + "] ");
    target.write(line, 0, line.length);
    target.write('\n');
    if (live) {
      target.flush();
      drawStatus();
    }
  }

  private void keepTail(TaskSpec task, String line) {
    Tail t = tails.computeIfAbsent(task.instance(), k -> new Tail());
    if (!task.taskId().equals(t.taskId)) {
      // Keep only the latest attempt's lines: that is the one the summary explains.
      t.taskId = task.taskId();
      t.lines.clear();
    }
    if (t.lines.size() == TAIL_LINES) t.lines.removeFirst();
    t.lines.addLast(line);
  }

  /** The last stderr lines of an instance's latest attempt that wrote any. */
  synchronized List<String> stderrTail(int instance) {
    Tail t = tails.get(instance);
    return t == null ? List.of() : List.copyOf(t.lines);
  }

  @Override
  public synchronized void onProgress(Progress p) {
    lastProgress = p;
    if (quiet) return;
    String line = format(p);
    if (live) {
      statusLine = line;
      clearAndDraw();
    } else {
      Instant now = clock.instant();
      if (lastPlain == Instant.MIN || !now.isBefore(lastPlain.plus(plainEvery))) {
        lastPlain = now;
        err.println(line);
      }
    }
  }

  /** Removes the live status line before the summary is printed. */
  synchronized void finish() {
    clearStatus();
    statusLine = "";
    err.flush();
    out.flush();
  }

  String format(Progress p) {
    StringBuilder b = new StringBuilder();
    b.append(jobName).append(": ").append(p.done()).append('/').append(p.instances()).append(" done, ")
        .append(p.active()).append(" running, ").append(p.waiting()).append(" waiting");
    if (p.failed() > 0) b.append(", ").append(p.failed()).append(" failed");
    if (!p.waitReason().isEmpty()) b.append(" (").append(p.waitReason()).append(')');
    return b.toString();
  }

  private void clearStatus() {
    if (live && !statusLine.isEmpty()) {
      err.print("\r\033[K");
      err.flush();
    }
  }

  private void drawStatus() {
    if (live && !statusLine.isEmpty()) {
      err.print(statusLine);
      err.flush();
    }
  }

  private void clearAndDraw() {
    err.print("\r\033[K");
    drawStatus();
  }
}
