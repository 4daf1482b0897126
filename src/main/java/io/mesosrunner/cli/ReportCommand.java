package io.mesosrunner.cli;

import java.nio.charset.StandardCharsets;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner report JOBFILE [--run ID] --html FILE}: rebuilds a run's reports from its journal
 * in the state directory (read-only; safe while the run goes on).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Rebuild the reports of a job's latest run (or of --run ID) from its journal.",
        "JOB is the job file, the job's name or its state directory (.runner/NAME).",
        "With no --html, --report or --junit, prints the run's summary."})
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file, the job name or the job's state directory.")
  String job;

  @Option(names = "--run", paramLabel = "ID", description = "The run to report: the latest or the one before. Default: the latest.")
  String runId;

  @Mixin StateDirOption state;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the run as one self-contained HTML page; - for standard output.")
  Path html;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON summary; - for standard output.")
  Path report;

  @Option(names = "--junit", paramLabel = "FILE", description = "Write the JUnit XML summary; - for standard output.")
  Path junit;

  private final CliContext ctx;

  ReportCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    JobTarget target = JobTarget.resolveOrSay(job, state, ctx);
    if (target == null) return ExitCode.USAGE;
    RunReports reports = new RunReports(report, junit, html);
    List<String> unwritable = reports.problems();
    if (!unwritable.isEmpty()) {
      unwritable.forEach(p -> ctx.err().println("runner: " + p));
      return ExitCode.USAGE;
    }
    String name = target.jobName();
    Path dir = JobStore.jobDir(target.stateDir(), name);
    Optional<RunReader.Read> read;
    try {
      read = RunReader.read(dir, runId);
    } catch (IOException e) {
      ctx.err().println("runner: cannot read the run journal in " + dir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
    if (read.isEmpty()) {
      List<String> kept = RunReader.runIds(dir);
      ctx.err().println(runId == null ? "runner: " + name + ": no run recorded in " + dir
          : "runner: no run " + runId + " of " + name + " in " + dir
              + (kept.isEmpty() ? "" : " (runs kept: " + String.join(", ", kept) + ")"));
      return ExitCode.USAGE;
    }
    RunReport read0 = RunReport.of(read.get().fold(), read.get().view(), t -> null);
    RunReport withCpus = read0.cpusPerTask() == null ? withCpusFromJobText(read0, read.get().fold().started()) : read0;
    RunReport r = RunReports.withSteps(withCpus, read.get().fold().started().jobText(), ctx.env());
    if (!reports.any()) {
      ctx.out().print(TextSummary.render(r, i -> r.instanceList().get(i).lastAttempt() == null ? List.of()
          : r.instanceList().get(i).lastAttempt().stderrTail()));
      ctx.out().flush();
      return 0;
    }
    return reports.write(r, ctx.out(), ctx.err()) ? 0 : 1;
  }

  /**
   * The samples tell the cpus per task only when one caught a task running (short tasks can end
   * between two): then the job text the run recorded tells it.
   */
  private RunReport withCpusFromJobText(RunReport r, JournalRecord.RunStarted started) {
    try {
      return r.withCpusPerTask(new JobLoader(ctx.env())
          .parse(started.jobFile(), started.jobText().getBytes(StandardCharsets.UTF_8)).cpus());
    } catch (JobFileException | RuntimeException e) {
      return r; // a job text that no longer parses here (an unset ${VAR}): the strip draws without it
    }
  }
}
