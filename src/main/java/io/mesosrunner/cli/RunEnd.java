package io.mesosrunner.cli;

import io.mesosrunner.report.RunReport;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalWriter;
import io.mesosrunner.state.RunFold;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunView;
import io.mesosrunner.state.RunnerExit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The end of {@code runner run}: its exit code, the last records of its journal, and its report,
 * built from the run's {@link RunFold} (the records the journal holds, as every other command reads
 * them), so the summary printed here is what {@code runner report} and {@code status} say later.
 */
final class RunEnd {

  private final CliContext ctx;
  private final Path jobDir;
  private final String runId;
  private final RunFold fold;
  private final JournalWriter writer;
  private String couldNotRunReason;

  RunEnd(CliContext ctx, Path jobDir, String runId, RunFold fold, JournalWriter writer) {
    this.ctx = ctx;
    this.jobDir = jobDir;
    this.runId = runId;
    this.fold = fold;
    this.writer = writer;
  }

  /**
   * The run's exit code; a run stopped by {@code runner kill} is recorded as killed here (its end
   * record goes with the next flush).
   */
  int exitCode(Outcome outcome, String outcomeReason, JobRun jobRun) {
    // A run whose cluster failed before it began has no end record (it can be run again), so its
    // reason (authentication failed, cannot reach master) comes from the scheduler, not the journal.
    if (outcome == Outcome.CLUSTER_FAILED) couldNotRunReason = outcomeReason;
    if (jobRun.journalError() != null) return ExitCode.JOURNAL;
    if (outcome == Outcome.INTERRUPTED && KillRequest.take(jobDir, runId)) {
      writer.runEnded(Outcome.KILLED, "killed by runner kill", ctx.clock().instant());
      return ExitCode.KILLED;
    }
    if (jobRun.internalError() != null && outcome == Outcome.INTERRUPTED) {
      ctx.err().println("runner: internal error: " + jobRun.internalError() + " (launched tasks were killed)");
      return ExitCode.FAILED;
    }
    return ExitCode.of(outcome);
  }

  /**
   * Records what the report needs beyond resuming (unless the journal cannot be written), then
   * builds the report from the fold.
   *
   * @param recordTails adds the stderr tails of the attempts that did not finish to the writer
   */
  RunReport report(int exit, double cpus, String clusterDescription, Runnable recordTails,
      Function<String, String> sandboxOf) {
    if (exit != ExitCode.JOURNAL) {
      recordTails.run();
      try {
        writer.flush();
      } catch (IOException e) {
        ctx.err().println("runner: cannot write the end of the run to its journal: " + StateDirProblem.reason(e));
      }
    }
    RunView view = RunView.of(fold, new RunView.Attachment(null, false, new RunnerExit.Recorded(runId, exit)));
    RunReport r = RunReport.of(fold, view, sandboxOf).withCluster(clusterDescription)
        .withReasonIfNone(couldNotRunReason);
    return r.cpusPerTask() == null ? r.withCpusPerTask(cpus) : r;
  }

  /** The stderr tail of an instance's last attempt: as recorded, else as the terminal read it. */
  IntFunction<List<String>> stderrTails(RunReport r, IntFunction<List<String>> read) {
    return i -> {
      RunReport.Attempt last = r.instanceList().get(i).lastAttempt();
      return last == null || last.stderrTail().isEmpty() ? read.apply(i) : last.stderrTail();
    };
  }

  /**
   * Says in one line which journal could not be written and why, and puts a deleted state
   * directory back (with the journal as far as it was written), so the same command resumes.
   */
  void journalFailed(RunJournal journal, IOException e, JobStore store, Path stateDir) {
    String restored = "";
    try {
      if (store.restoreIfDeleted(stateDir)) restored = "; its state directory was put back";
    } catch (IOException again) {
      restored = "; it could not be put back (" + StateDirProblem.reason(again) + ")";
    }
    ctx.err().println("runner: cannot write the run journal " + journal.file() + ": " + StateDirProblem.reason(e)
        + "; stopped launching and killed the tasks it had launched" + restored
        + "; once that is fixed, run the same command to resume the run");
  }
}
