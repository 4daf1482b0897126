package io.mesosrunner.cli;

import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalTail;
import io.mesosrunner.state.RunFold;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunReader;
import io.mesosrunner.state.RunStatus;
import io.mesosrunner.state.RunView;
import io.mesosrunner.state.StateLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Follows a job's run from outside the runner, through the journal in its state directory as the
 * runner writes it: {@code runner status JOB --watch} (the live line, the instance events and, at
 * the end, the summary) and {@code runner wait JOB} (nothing until the end). The journal is read
 * incrementally ({@link JournalTail}) into one {@link RunFold}, and where the run stands is its
 * {@link RunView}, as for every other command. Ends when the run is over (ended, its runner exited,
 * or no runner is attached any more) or the timeout passed. Without a run id it follows the latest
 * recorded run: while a runner holds the job and has not written the exit code of the run recorded
 * (it is starting a new run, or ending this one), the answer is not in.
 *
 * <p>Exit codes: the run's own ({@link RunStatus#exitCode()}), 2 when the job has no such run
 * recorded or its journal cannot be read, 124 when the timeout passed first.
 */
final class RunWatch {

  /** Exit code when {@code --timeout} passed before the run ended (as timeout(1) has it). */
  static final int EXIT_TIMED_OUT = 124;

  /** How often the journal is read again. */
  static final Duration POLL = Duration.ofMillis(200);

  /** What the watcher prints: everything as the runner does; one line at the end; nothing. */
  enum Mode { WATCH, WAIT, WAIT_QUIET }

  private final Path jobDir;
  private final CliContext ctx;
  private final Duration poll;

  RunWatch(Path stateDir, String jobName, CliContext ctx, Duration poll) {
    this.jobDir = JobStore.jobDir(stateDir, jobName);
    this.ctx = ctx;
    this.poll = poll;
  }

  /** Follows the job's latest run until it is over; see {@link #follow(Mode, Duration, String)}. */
  int follow(Mode mode, Duration timeout) throws InterruptedException {
    return follow(mode, timeout, null);
  }

  /**
   * Follows run {@code runId} (null: the latest recorded run, and the one that replaces it) until
   * it is over; returns the exit code (see the class comment). The journal is read incrementally:
   * each poll reads only what was appended since the last.
   */
  int follow(Mode mode, Duration timeout, String runId) throws InterruptedException {
    Following f = new Following(mode, runId);
    try (JournalTail tail = JournalTail.of(jobDir)) {
      Instant giveUpAt = timeout == null ? null : ctx.clock().instant().plus(timeout);
      while (true) {
        JournalTail.Poll p;
        try {
          p = tail.poll(f::accept);
        } catch (IOException | IllegalArgumentException e) {
          f.clearLine();
          ctx.err().println("runner: cannot read the run journal in " + jobDir + ": " + e.getMessage());
          return ExitCode.USAGE;
        }
        if (p == JournalTail.Poll.REPLACED) {
          Integer answer = f.replaced();
          if (answer != null) return answer;
          continue;
        }
        RunView.Attachment att = RunView.Attachment.of(jobDir);
        if (f.fold == null) {
          // No run recorded yet: wait only while a runner holds the job (it is about to record one).
          if (runId == null && att.alive()) {
            if (giveUpAt != null && !ctx.clock().instant().isBefore(giveUpAt)) return f.timedOut(timeout);
            Thread.sleep(poll.toMillis());
            continue;
          }
          return f.notRecorded();
        }
        if (runId != null && !runId.equals(f.fold.started().runId())) return f.fromPrevious();
        RunView view = RunView.of(f.fold, att);
        boolean over = view.status().over();
        // The latest run: a live runner that has not written this run's exit code is either ending it or
        // about to record a new one; either way, the answer is not in yet.
        if (over && runId == null && att.alive() && !(att.exit() != null && att.exit().runId().equals(view.runId()))) {
          over = false;
        }
        if (over) return f.finish(tail, view);
        Instant now = ctx.clock().instant();
        if (giveUpAt != null && !now.isBefore(giveUpAt)) return f.timedOut(timeout);
        f.showProgress(now);
        Thread.sleep(poll.toMillis());
      }
    } catch (IOException e) {
      return ExitCode.USAGE; // closing a read-only file
    }
  }

  /** What one {@link #follow} has seen and shown. */
  private final class Following {
    final Mode mode;
    final String wanted;
    final PrintStream err = ctx.err();
    final Style errStyle = Style.of(ctx.terminal().colourOnStderr());
    final boolean live;
    RunFold fold;
    RunEvents events;
    StatusLine line;
    String shown = "";
    Instant lastPlain = Instant.MIN;

    Following(Mode mode, String wanted) {
      this.mode = mode;
      this.wanted = wanted;
      this.live = mode == Mode.WATCH && ctx.terminal().liveStatus();
    }

    void accept(JournalRecord r) {
      if (fold == null) start((RunStarted) r);
      clearLine(); // event lines go above the status line
      fold.accept(r);
      events.accept(r);
    }

    private void start(RunStarted started) {
      fold = new RunFold();
      boolean print = mode == Mode.WATCH && (wanted == null || wanted.equals(started.runId()));
      events = new RunEvents(started.instances(), l -> {
        if (!print) return;
        String text = "runner: " + l.text();
        err.println(l.givenUp() ? errStyle.failed(text) : errStyle.waiting(text));
      });
      line = new StatusLine(started.jobName(), 0, Instant.ofEpochMilli(started.startedAtEpochMs()), 0, errStyle);
      if (print) {
        err.println("runner: following run " + started.runId() + " of " + started.jobName() + " (" + started.jobFile()
            + ", started " + Instant.ofEpochMilli(started.startedAtEpochMs()) + ")");
      }
    }

    /** The journal was replaced by a new run's: follow that (the latest), or answer for the one wanted. */
    Integer replaced() {
      clearLine();
      String was = fold == null ? null : fold.started().runId();
      fold = null;
      events = null;
      if (wanted != null) return was != null && wanted.equals(was) ? fromPrevious() : null;
      if (was != null) err.println("runner: run " + was + " was replaced by a new run; following that one");
      return null;
    }

    /** The run wanted is not the latest: it is over, as the job's earlier journal says. */
    int fromPrevious() {
      clearLine();
      try {
        var read = RunReader.read(jobDir, wanted);
        if (read.isPresent() && !read.get().latest()) return end(read.get().fold(), read.get().view());
      } catch (IOException e) {
        err.println("runner: cannot read the run journal in " + jobDir + ": " + e.getMessage());
        return ExitCode.USAGE;
      }
      err.println("runner: no run " + wanted + " of " + jobDir.getFileName() + " in " + jobDir
          + " (runs kept: " + String.join(", ", RunReader.runIds(jobDir)) + ")");
      return ExitCode.USAGE;
    }

    int notRecorded() {
      if (wanted != null) return fromPrevious();
      err.println("runner: no run of " + jobDir.getFileName() + " is recorded in " + jobDir.getParent());
      return ExitCode.USAGE;
    }

    int timedOut(Duration timeout) {
      clearLine();
      err.println("runner: timed out after " + StatusLine.duration(timeout) + " waiting for "
          + (fold == null ? "a run to be recorded" : "run " + fold.started().runId() + " (" + describe(events) + ")"));
      return EXIT_TIMED_OUT;
    }

    /** The run is over: read what came with its end, then say so. */
    int finish(JournalTail tail, RunView seen) throws IOException {
      RunView view = seen;
      if (tail.poll(this::accept) == JournalTail.Poll.GREW) view = RunView.of(fold, RunView.Attachment.of(jobDir));
      return end(fold, view);
    }

    int end(RunFold run, RunView view) {
      clearLine();
      if (view.status() == RunStatus.NOT_ATTACHED) {
        Long pid = StateLock.readPid(jobDir.resolve(StateLock.FILE_NAME));
        err.println("runner: no runner is attached to run " + view.runId() + (pid == null ? "" : " (pid " + pid + " is gone)")
            + " and it did not end; run the same command to resume it");
      }
      if (mode == Mode.WATCH) {
        RunReport r = RunReport.of(run, view, t -> null);
        ctx.out().print(TerminalUi.colourSummary(TextSummary.render(r, i -> List.of()),
            Style.of(ctx.terminal().colourOnStdout())));
      } else if (mode == Mode.WAIT) {
        Style outStyle = Style.of(ctx.terminal().colourOnStdout());
        String word = view.status().word();
        ctx.out().println(view.jobName() + ": run " + view.runId() + " "
            + (view.exitCode() == 0 ? outStyle.done(word) : outStyle.failed(word)) + " (exit " + view.exitCode() + ")");
      }
      ctx.out().flush();
      return view.exitCode();
    }

    void showProgress(Instant now) {
      if (mode != Mode.WATCH || events == null) return;
      if (live) {
        String text = line.render(events.progress(), now, ctx.terminal().width() - 1);
        if (!text.equals(shown)) {
          err.print("\r\033[K" + text);
          err.flush();
          shown = text;
        }
      } else if (lastPlain == Instant.MIN || !now.isBefore(lastPlain.plusSeconds(5))) {
        lastPlain = now;
        err.println(line.render(events.progress(), now, 0));
      }
    }

    void clearLine() {
      if (shown.isEmpty()) return;
      err.print("\r\033[K");
      err.flush();
      shown = "";
    }
  }

  private static String describe(RunEvents events) {
    var p = events.progress();
    return p.done() + "/" + p.instances() + " done, " + p.active() + " running, " + p.waiting() + " waiting"
        + (p.failed() > 0 ? ", " + p.failed() + " failed" : "");
  }

  /** Whether the job has a journal to follow. */
  boolean exists() {
    return Files.isRegularFile(jobDir.resolve(RunJournal.FILE_NAME));
  }
}
