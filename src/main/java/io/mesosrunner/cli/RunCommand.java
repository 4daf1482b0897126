package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import io.mesosrunner.report.JsonReport;
import io.mesosrunner.report.JunitReport;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.schedule.JobRun;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.RunInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner [run] JOBFILE}: runs a job to completion and exits with a code CI can trust. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a job file to completion.",
        "With no --master (and no MESOS_MASTER), the job runs on an embedded local cluster on this machine."})
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Mixin ClusterOptions where;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON summary of the run (every instance and attempt).")
  Path report;

  @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML summary (one test case per instance).")
  Path junit;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary (no task output, no progress).")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also print the runner's own log (on stderr).")
  boolean verbose;

  private final CliContext ctx;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    JobFiles.Loaded loaded = JobFiles.load(jobFile, ctx);
    if (loaded == null) return Main.EXIT_USAGE;
    Job job = loaded.job();
    if (where.role != null) job = job.withRole(where.role);
    RunInfo run = new RunInfo(RunFiles.newRunId(), jobFile.toString(), loaded.sha256(), RunFiles.gitCommit(jobFile));
    ClusterOptions.Opened opened;
    try {
      opened = where.open(job, jobFile, run.runId(), ctx);
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    if (!quiet && opened.local()) {
      ctx.err().println("runner: no master named (--master or MESOS_MASTER): running on the embedded local cluster");
    }
    try (var cluster = opened.cluster()) {
      TerminalUi ui = new TerminalUi(ctx.out(), ctx.err(), ctx.terminal(), quiet, ctx.clock(), Duration.ofSeconds(5), job.name());
      JobScheduler scheduler = new JobScheduler(job, run, ctx.clock());
      JobRun jobRun = new JobRun(scheduler, cluster, ctx.clock(), Duration.ofMillis(100), Duration.ofMillis(200), ui);
      ctx.signals().onInterrupt(jobRun::interrupt);
      Outcome outcome = jobRun.run();
      cluster.close(); // delivers the last output lines and the last calls before the summary
      ui.finish();
      int exit = outcome.exitCode();
      if (jobRun.internalError() != null && outcome == Outcome.INTERRUPTED) {
        ctx.err().println("runner: internal error: " + jobRun.internalError() + " (launched tasks were killed)");
        exit = 1;
      }
      String where = scheduler.clusterDescription() != null ? scheduler.clusterDescription() : cluster.description();
      RunReport r = RunReport.of(scheduler, where, opened.sandboxOf(), exit);
      ctx.out().print(TextSummary.render(r, ui::stderrTail));
      ctx.out().flush();
      writeReports(r);
      return exit;
    }
  }

  private void writeReports(RunReport r) {
    try {
      if (report != null) JsonReport.write(r, report);
      if (junit != null) JunitReport.write(r, junit);
    } catch (IOException e) {
      ctx.err().println("runner: cannot write the report: " + e.getMessage());
    }
  }
}
