package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.report.JsonReport;
import io.mesosrunner.report.JunitReport;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.Resume;
import io.mesosrunner.schedule.RunInfo;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalException;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalWriter;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.StateLockedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner [run] JOBFILE}: runs a job to completion and exits with a code CI can trust. The
 * run is journaled in the state directory; running the same command again after the runner was
 * killed resumes it.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a job file to completion.",
        "With no --master (and no MESOS_MASTER), the job runs on an embedded local cluster on this machine.",
        "If an earlier run of the same job file was interrupted (runner killed, Ctrl-C, cluster lost), it is resumed:",
        "completed instances are not run again."})
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Mixin ClusterOptions where;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON summary of the run (every instance and attempt).")
  Path report;

  @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML summary (one test case per instance).")
  Path junit;

  @Option(names = "--restart",
      description = "Do not resume an interrupted earlier run: kill what it left running and start a new run.")
  boolean restart;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary (no task output, no progress).")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also print the runner's own log (on stderr).")
  boolean verbose;

  private final CliContext ctx;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    JobFiles.Loaded loaded = JobFiles.load(jobFile, ctx);
    if (loaded == null) return ExitCode.USAGE;
    Job job = where.applyTo(loaded.job());
    try {
      where.checkLocalFit(job, jobFile, ctx);
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    }
    Path stateDir = where.stateDir(jobFile);
    String masterUrl = where.masterUrl(ctx);
    String clusterName = masterUrl == null ? EarlierRuns.LOCAL : masterUrl;
    JobStore store;
    try {
      store = openStore(stateDir, job.name());
    } catch (StateLockedException e) {
      ctx.err().println("runner: " + job.name() + " is already running" + (e.holderPid() == null ? "" : " (runner pid " + e.holderPid() + ")")
          + "; its state is in " + JobStore.jobDir(stateDir, job.name()) + ". Stop it with: runner kill " + jobFile);
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: cannot use the state directory " + stateDir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
    try (store) {
      RunState earlier = store.canResume() ? store.previous().orElseThrow() : null;
      if (earlier != null) {
        String blocker = resumeBlocker(earlier, loaded, clusterName);
        if (blocker != null && !restart) {
          ctx.err().println("runner: cannot resume run " + earlier.runId() + " of " + jobFile + ": " + blocker);
          ctx.err().println("runner: run with --restart to kill what that run left and start over");
          return ExitCode.USAGE;
        }
        if (restart) {
          String failed = stopEarlier(stateDir, earlier);
          if (failed != null) {
            ctx.err().println("runner: cannot stop earlier run " + earlier.runId() + ": " + failed);
            return ExitCode.CLUSTER;
          }
          earlier = null;
        }
      }
      RunInfo run;
      Resume resume = null;
      RunJournal journal;
      boolean local = clusterName.equals(EarlierRuns.LOCAL);
      if (earlier != null) {
        run = new RunInfo(earlier.runId(), jobFile.toString(), loaded.sha256(), RunFiles.gitCommit(jobFile));
        resume = earlier.toResume(!local);
        if (local) EarlierRuns.killLocal(stateDir, earlier);
        journal = store.resume();
        if (!quiet) {
          ctx.err().println("runner: resuming run " + earlier.runId() + " (started "
              + Instant.ofEpochMilli(earlier.started().startedAtEpochMs()) + "): " + earlier.completedCount() + " of "
              + job.instances() + " instances already completed");
        }
      } else {
        run = new RunInfo(RunFiles.newRunId(), jobFile.toString(), loaded.sha256(), RunFiles.gitCommit(jobFile));
        journal = store.startNew(new RunStarted(run.runId(), job.name(), jobFile.toString(), loaded.sha256(),
            run.gitCommit(), clusterName, ctx.clock().millis(), job.instances(), loaded.text()));
      }
      return runOn(job, run, resume, journal);
    } catch (IOException e) {
      ctx.err().println("runner: cannot write the run journal in " + stateDir + ": " + e.getMessage());
      return ExitCode.USAGE;
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    }
  }

  /** Opens the job's state; with --restart, a damaged journal is moved aside instead of refusing. */
  private JobStore openStore(Path stateDir, String jobName) throws IOException {
    try {
      return JobStore.open(stateDir, jobName);
    } catch (JournalException e) {
      if (!restart) throw e;
      Path dir = JobStore.jobDir(stateDir, jobName);
      Path aside = dir.resolve("journal.damaged-" + System.currentTimeMillis() + ".log");
      Files.move(dir.resolve(RunJournal.FILE_NAME), aside, StandardCopyOption.ATOMIC_MOVE);
      ctx.err().println("runner: the run journal was damaged (" + e.getMessage() + "); kept it as " + aside);
      return JobStore.open(stateDir, jobName);
    }
  }

  /** Why the earlier run cannot be carried on by this command, or null. */
  private String resumeBlocker(RunState earlier, JobFiles.Loaded now, String clusterName) {
    if (!earlier.started().cluster().equals(clusterName)) {
      return "it ran on " + earlier.started().cluster() + ", this run would use " + clusterName;
    }
    if (earlier.started().fileSha256().equals(now.sha256())) return null;
    StringBuilder why = new StringBuilder("the job file changed since it began");
    String before = earlier.started().jobText();
    if (before != null) {
      try {
        Job old = new JobLoader(ctx.env()).parse(jobFile.toString(), before.getBytes(StandardCharsets.UTF_8));
        List<String> changes = JobDiff.changes(old, now.job());
        if (!changes.isEmpty()) why.append(" (").append(String.join("; ", changes)).append(')');
      } catch (JobFileException e) {
        // the old text no longer loads (e.g. an env variable is gone): the hashes say enough
      }
    }
    return why.toString();
  }

  /** Kills what an earlier run left and marks it ended; null when done, else why not. */
  private String stopEarlier(Path stateDir, RunState earlier) throws InterruptedException {
    if (earlier.started().cluster().equals(EarlierRuns.LOCAL)) {
      EarlierRuns.killLocal(stateDir, earlier);
      return null;
    }
    try {
      return EarlierRuns.teardownMesos(earlier, EarlierRuns.mesosConfig(earlier, where, ctx));
    } catch (ClusterOptions.BadOptionException e) {
      return e.getMessage();
    }
  }

  private int runOn(Job job, RunInfo run, Resume resume, RunJournal journal) throws ClusterOptions.BadOptionException {
    // With --quiet no task output is shown, so none is read (it stays in the sandboxes).
    ClusterOptions.Opened opened = where.open(job, jobFile, run.runId(), resume == null ? null : resume.frameworkId(),
        !quiet, ctx);
    if (!quiet && opened.local()) {
      ctx.err().println("runner: no master named (--master or MESOS_MASTER): running on the embedded local cluster");
    }
    try (var cluster = opened.cluster()) {
      TerminalUi ui = new TerminalUi(ctx.out(), ctx.err(), ctx.terminal(), quiet, ctx.clock(), Duration.ofSeconds(5), job.name());
      JournalWriter writer = new JournalWriter(journal);
      JobScheduler scheduler = new JobScheduler(job, run, ctx.clock(), JobScheduler.DEFAULT_MAX_LOSSES, writer, resume);
      JobRun.Observer observer = opened.local() ? ui
          : new NoFitWarning(ui, ctx.err(), ctx.clock(), job.name(), job.deadline() != null);
      JobRun jobRun = new JobRun(scheduler, cluster, ctx.clock(), Duration.ofMillis(100), Duration.ofMillis(200), observer, writer);
      ctx.signals().onInterrupt(jobRun::interrupt);
      Outcome outcome = jobRun.run();
      cluster.close(); // delivers the last output lines and the last calls before the summary
      ui.finish();
      int exit = ExitCode.of(outcome);
      if (jobRun.internalError() != null && outcome == Outcome.INTERRUPTED) {
        ctx.err().println("runner: internal error: " + jobRun.internalError() + " (launched tasks were killed)");
        exit = ExitCode.FAILED;
      }
      String where = scheduler.clusterDescription() != null ? scheduler.clusterDescription() : cluster.description();
      RunReport r = RunReport.of(scheduler, where, cluster::sandboxOf, exit);
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
