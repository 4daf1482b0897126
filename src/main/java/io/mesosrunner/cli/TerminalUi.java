package io.mesosrunner.cli;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.schedule.AttemptEnded;
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
 * What the user sees while a job runs, all printed from here:
 * <ul>
 *   <li>task output, stdout lines on stdout and stderr lines on stderr, tagged {@code [job/3]}
 *       ({@code [job/3#2]} for the second attempt of instance 3), or untagged with
 *       {@code --no-prefix};
 *   <li>instance events on stderr, one line per failed or lost attempt, worded by {@link RunEvents};
 *   <li>progress on stderr: when stderr is a terminal, one live status line ({@link StatusLine})
 *       cut to the terminal's width, cleared before anything else is printed and drawn again after;
 *       otherwise (CI logs, {@code 2>err.log}) a plain line every {@code plainEvery}, with no
 *       control characters.
 * </ul>
 * Colour marks states when the stream is a terminal and NO_COLOR is not set (see {@link Terminal}).
 *
 * <p>Thread-safe: output arrives from adapter threads, progress and journal records from the run
 * loop.
 */
final class TerminalUi implements JobRun.Observer {

  /** Lines of stderr kept per instance for the failure summary. */
  static final int TAIL_LINES = 10;

  /** How the run's output is shown. */
  record Options(boolean quiet, boolean noPrefix, Duration plainEvery) {}

  private final PrintStream out;
  private final PrintStream err;
  private final Terminal terminal;
  private final Options options;
  private final Clock clock;
  private final Style errStyle;
  private final StatusLine statusLine;
  private final Map<Integer, Tail> tails = new HashMap<>();
  private io.mesosrunner.job.Pipeline pipeline;
  private String shownStatus = "";
  private boolean midLine;
  private Instant lastPlain = Instant.MIN;

  private static final class Tail {
    String taskId;
    final ArrayDeque<String> lines = new ArrayDeque<>(TAIL_LINES);
  }

  /**
   * @param parallelism the job's parallelism, for the wording of the wait reason
   * @param doneAtStart instances a resumed run had already completed (not counted in the estimate)
   */
  TerminalUi(PrintStream out, PrintStream err, Terminal terminal, Options options, Clock clock, String jobName,
      int parallelism, int doneAtStart) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.options = options;
    this.clock = clock;
    this.errStyle = Style.of(terminal.colourOnStderr());
    this.statusLine = new StatusLine(jobName, parallelism, clock.instant(), doneAtStart, errStyle);
  }

  @Override
  public synchronized void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {
    if (stream == OutputStreamKind.STDERR) keepTail(task, new String(line, StandardCharsets.UTF_8));
    if (options.quiet()) return;
    boolean toStdout = stream == OutputStreamKind.STDOUT;
    // Output on stdout only disturbs the status line when stdout shares its terminal.
    boolean overStatus = !toStdout || terminal.stdoutIsTerminal();
    if (overStatus) clearStatus();
    PrintStream target = toStdout ? out : err;
    // The task's bytes go out unchanged, whatever this JVM's locale: only the tag is text. Untagged,
    // the line end is the task's too (none after a piece of a long line); tagged, every piece is a line.
    if (!options.noPrefix()) target.print("[" + tag(task) + "] ");
    target.write(line, 0, line.length);
    if (options.noPrefix()) {
      byte[] ending = end.bytes();
      target.write(ending, 0, ending.length);
    } else {
      target.write('\n');
    }
    // After an untagged piece with no line end the cursor is mid-line: the status line waits.
    midLine = overStatus && options.noPrefix() && !end.endsLine();
    if (overStatus && !shownStatus.isEmpty()) {
      target.flush();
      drawStatus();
    }
  }

  /** {@code job/3}, and {@code job/3#2} for attempts after the first. */
  static String tag(TaskSpec task) {
    return task.attempt() > 1 ? task.tag() + "#" + task.attempt() : task.tag();
  }

  /** The run's steps, so a step's task is kept under its run-wide instance index. */
  synchronized void showing(io.mesosrunner.job.Pipeline steps) {
    this.pipeline = steps;
  }

  private int runWideIndex(TaskSpec task) {
    return task.step() == null || pipeline == null ? task.instance() : pipeline.step(task.step()).first() + task.instance();
  }

  private String label(int index) {
    if (pipeline == null || pipeline.single()) return Integer.toString(index);
    String tag = pipeline.tag(index);
    return tag.substring(tag.indexOf('/') + 1);
  }

  private void keepTail(TaskSpec task, String line) {
    Tail t = tails.computeIfAbsent(runWideIndex(task), k -> new Tail());
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
  public synchronized void onAttemptEnded(AttemptEnded e) {
    printEvent(new RunEvents.Line(RunEvents.attemptEnded(label(e.instance()), e.attempt(), e.cause(), e.state(), e.exitCode(),
        e.message(), !e.retried(), e.retried() ? e.retryIn() : Duration.ZERO), !e.retried()));
  }

  private void printEvent(RunEvents.Line line) {
    if (options.quiet()) return;
    clearStatus();
    String text = "runner: " + line.text();
    err.println(line.givenUp() ? errStyle.failed(text) : errStyle.waiting(text));
    err.flush();
    drawStatus();
  }

  /**
   * A warning from the runner itself, on stderr on a line of its own: the live status line is
   * cleared before it and drawn again after. Shown with {@code --quiet} too.
   */
  synchronized void warn(String text) {
    clearStatus();
    err.println(errStyle.waiting(text));
    err.flush();
    drawStatus();
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (options.quiet()) return;
    Instant now = clock.instant();
    if (terminal.liveStatus()) {
      // Three columns short of the width: writing the last column makes some terminals wrap, and the
      // terminal's echo of Ctrl-C ("^C") after the line must not wrap either, or the clear before
      // the summary would leave the line's start on screen.
      String line = statusLine.render(p, now, terminal.width() - 3);
      if (line.equals(shownStatus) || midLine) return;
      err.print("\r\033[K");
      shownStatus = line;
      drawStatus();
    } else if (lastPlain == Instant.MIN || !now.isBefore(lastPlain.plus(options.plainEvery()))) {
      lastPlain = now;
      err.println(statusLine.render(p, now, 0));
    }
  }

  /** Removes the live status line before the summary is printed. */
  synchronized void finish() {
    clearStatus();
    shownStatus = "";
    err.flush();
    out.flush();
  }

  private void clearStatus() {
    if (!shownStatus.isEmpty() && !midLine) {
      err.print("\r\033[K");
      err.flush();
    }
  }

  private void drawStatus() {
    if (!shownStatus.isEmpty() && !midLine) {
      err.print(shownStatus);
      err.flush();
    }
  }

  /**
   * The end-of-run summary with its states coloured: the verdict on the first line, and each
   * failed instance.
   */
  static String colourSummary(String summary, Style style) {
    if (!style.on() || summary.isEmpty()) return summary;
    String[] lines = summary.split("\n", -1);
    StringBuilder b = new StringBuilder(summary.length() + 64);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (i == 0) {
        int colon = l.indexOf(": ");
        if (colon > 0) {
          String verdict = l.substring(colon + 2);
          String coloured = verdict.startsWith("succeeded") ? style.done(verdict)
              : verdict.startsWith("FAILED") || verdict.startsWith("could not run") ? style.failed(verdict)
              : style.waiting(verdict);
          l = style.bold(l.substring(0, colon)) + ": " + coloured;
        }
      } else if (l.startsWith("  instance ") && l.contains(" failed after ")) {
        l = style.failed(l);
      }
      b.append(l);
      if (i < lines.length - 1) b.append('\n');
    }
    return b.toString();
  }
}
