package io.mesosrunner.cli;

import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.StateLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Follows a job's latest run from outside the runner, through the journal in its state directory
 * as the runner writes it: {@code runner status JOB --watch} (the live line, the instance events
 * and, at the end, the summary) and {@code runner wait JOB} (nothing until the end). Ends when the
 * run has ended, or its runner exited (its exit code is then kept in the job's {@code exit} file,
 * see {@link RunnerExit}), or no runner is attached any more (killed with SIGKILL, power loss),
 * or the timeout passed.
 *
 * <p>Exit codes: the run's own (0 succeeded, 1 failed, 3 the cluster could not be used, 130
 * interrupted; also 130 when its runner is gone without ending it, which leaves it resumable), 2
 * when the job has no run recorded or its journal cannot be read, 124 when the timeout passed first.
 */
final class RunWatch {

  /** Exit code when {@code --timeout} passed before the run ended (as timeout(1) has it). */
  static final int EXIT_TIMED_OUT = 124;
  /** Exit code when the run did not end and no runner is attached to it. */
  static final int EXIT_NOT_ATTACHED = ExitCode.INTERRUPTED;

  /** How often the journal is read again. */
  static final Duration POLL = Duration.ofMillis(200);

  /** What the watcher prints: everything as the runner does; one line at the end; nothing. */
  enum Mode { WATCH, WAIT, WAIT_QUIET }


  /** Where a run stands, as seen from outside its runner. */
  record Verdict(String state, Integer exitCode, String detail) {
    boolean over() {
      return exitCode != null;
    }
  }

  private final Path jobDir;
  private final CliContext ctx;
  private final Duration poll;

  RunWatch(Path stateDir, String jobName, CliContext ctx, Duration poll) {
    this.jobDir = JobStore.jobDir(stateDir, jobName);
    this.ctx = ctx;
    this.poll = poll;
  }

  /** Follows the run until it is over; returns the exit code (see the class comment). */
  int follow(Mode mode, Duration timeout) throws InterruptedException {
    Instant giveUpAt = timeout == null ? null : ctx.clock().instant().plus(timeout);
    PrintStream err = ctx.err();
    Style errStyle = Style.of(ctx.terminal().colourOnStderr());
    boolean live = mode == Mode.WATCH && ctx.terminal().liveStatus();
    String shown = "";
    Instant lastPlain = Instant.MIN;
    RunEvents events = null;
    StatusLine line = null;
    String runId = null;
    int seen = 0;
    List<JournalRecord> records;
    Verdict verdict;
    Path journal = jobDir.resolve(RunJournal.FILE_NAME);
    JournalStamp readAt = null;
    records = List.of();
    while (true) {
      try {
        // A journal only grows, or is replaced by a new run's: unchanged attributes, nothing new to read.
        JournalStamp now = JournalStamp.of(journal);
        if (!now.equals(readAt)) {
          records = RunJournal.read(jobDir).records();
          readAt = now;
        }
      } catch (NoSuchFileException e) {
        records = List.of();
        readAt = null;
      } catch (IOException e) {
        err.println("runner: cannot read the run journal in " + jobDir + ": " + e.getMessage());
        return ExitCode.USAGE;
      }
      if (records.isEmpty()) {
        err.println("runner: no run of " + jobDir.getFileName() + " is recorded in " + jobDir.getParent());
        return ExitCode.USAGE;
      }
      RunStarted started = (RunStarted) records.get(0);
      if (runId != null && !runId.equals(started.runId())) {
        if (!shown.isEmpty()) err.print("\r\033[K");
        shown = "";
        err.println("runner: run " + runId + " was replaced by run " + started.runId() + "; following that one");
        runId = null;
      }
      if (runId == null) {
        runId = started.runId();
        seen = 0;
        final boolean print = mode == Mode.WATCH;
        events = new RunEvents(started.instances(), l -> {
          if (!print) return;
          String text = "runner: " + l.text();
          err.println(l.givenUp() ? errStyle.failed(text) : errStyle.waiting(text));
        });
        line = new StatusLine(started.jobName(), 0, Instant.ofEpochMilli(started.startedAtEpochMs()), 0, errStyle);
        if (mode == Mode.WATCH) {
          err.println("runner: following run " + runId + " of " + started.jobName() + " (" + started.jobFile()
              + ", started " + Instant.ofEpochMilli(started.startedAtEpochMs()) + ")");
        }
      }
      if (records.size() > seen) {
        if (!shown.isEmpty()) {
          // Event lines go above the status line.
          err.print("\r\033[K");
          shown = "";
        }
        for (int i = seen; i < records.size(); i++) events.accept(records.get(i));
        seen = records.size();
      }
      verdict = verdict(events, runId);
      if (verdict.over()) break;
      Instant now = ctx.clock().instant();
      if (giveUpAt != null && !now.isBefore(giveUpAt)) break;
      if (mode == Mode.WATCH) {
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
      Thread.sleep(poll.toMillis());
    }
    if (!shown.isEmpty()) {
      err.print("\r\033[K");
      err.flush();
    }
    if (!verdict.over()) {
      err.println("runner: timed out after " + StatusLine.duration(timeout) + " waiting for run " + runId + " ("
          + describe(events) + ")");
      return EXIT_TIMED_OUT;
    }
    // The runner records the run's end before it writes its exit code: read what came with it.
    try {
      records = RunJournal.read(jobDir).records();
      if (!records.isEmpty() && ((RunStarted) records.get(0)).runId().equals(runId)) {
        for (int i = seen; i < records.size(); i++) events.accept(records.get(i));
        seen = records.size();
      }
    } catch (IOException e) {
      // what was read before stands
    }
    if (verdict.detail() != null) err.println("runner: " + verdict.detail());
    if (mode == Mode.WATCH) {
      RunReport r = RunReport.fromJournal(records, verdict.exitCode(), ExitCode.unendedOutcome(verdict.exitCode()));
      ctx.out().print(TerminalUi.colourSummary(TextSummary.render(r, i -> List.of()),
          Style.of(ctx.terminal().colourOnStdout())));
    } else if (mode == Mode.WAIT) {
      Style outStyle = Style.of(ctx.terminal().colourOnStdout());
      String state = verdict.state();
      ctx.out().println(events.started().jobName() + ": run " + runId + " "
          + (verdict.exitCode() == 0 ? outStyle.done(state) : outStyle.failed(state)) + " (exit " + verdict.exitCode()
          + ")");
    }
    ctx.out().flush();
    return verdict.exitCode();
  }

  private static String describe(RunEvents events) {
    var p = events.progress();
    return p.done() + "/" + p.instances() + " done, " + p.active() + " running, " + p.waiting() + " waiting"
        + (p.failed() > 0 ? ", " + p.failed() + " failed" : "");
  }

  /** Where run {@code runId} stands, from its journal records so far, its exit file and its lock. */
  Verdict verdict(RunEvents events, String runId) {
    if (events.ended() != null) {
      Outcome o = events.ended().runOutcome();
      return new Verdict(o == Outcome.SUCCEEDED ? "succeeded" : "failed", ExitCode.of(o), null);
    }
    var exit = RunnerExit.read(jobDir).filter(e -> e.runId().equals(runId));
    if (exit.isPresent()) {
      int code = exit.get().exitCode();
      return new Verdict(stateOf(code), code, null);
    }
    Long pid = StateLock.readPid(jobDir.resolve(StateLock.FILE_NAME));
    if (pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return new Verdict("running", null, null);
    }
    return new Verdict("not attached", EXIT_NOT_ATTACHED, "no runner is attached to run " + runId
        + (pid == null ? "" : " (pid " + pid + " is gone)") + " and it did not end; run the same command to resume it");
  }

  /** Whether the job has a journal to follow. */
  boolean exists() {
    return Files.isRegularFile(jobDir.resolve(RunJournal.FILE_NAME));
  }

  static String stateOf(int exitCode) {
    return switch (exitCode) {
      case ExitCode.OK -> "succeeded";
      case ExitCode.FAILED -> "failed";
      case ExitCode.CLUSTER -> "could not run";
      case ExitCode.INTERRUPTED -> "interrupted";
      default -> "ended";
    };
  }

  /** What tells one state of the journal file from another: the file (replaced by a new run), its size and its last write. */
  private record JournalStamp(Object fileKey, long size, FileTime modified) {
    static JournalStamp of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new JournalStamp(a.fileKey(), a.size(), a.lastModifiedTime());
    }
  }
}
