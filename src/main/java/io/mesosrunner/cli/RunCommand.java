package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterKind;
import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.run.RunTrace;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.Resume;
import io.mesosrunner.schedule.RunInfo;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalException;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalWriter;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunFold;
import io.mesosrunner.state.RunnerExit;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.StateLockedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Map;
import java.util.ArrayList;
import io.mesosrunner.state.JournalRecord.InstancesCarriedOver;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.schedule.IndexRanges;
import io.mesosrunner.job.OnFailure;
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
        "With no --master (nor RUNNER_MASTER, MESOS_MASTER), the job runs on an",
        "embedded local cluster on this machine. JOBFILE - reads the job from stdin",
        "(its state is then kept under the job's name in ./.runner).",
        "An earlier run of the same file that was interrupted (runner killed, Ctrl-C,",
        "SIGTERM, SIGHUP, cluster lost) is resumed; completed instances do not rerun."})
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML), or - to read it from stdin.")
  Path jobFile;

  /** Further job files: refused with a clear word rather than picocli's "unmatched argument". */
  @Parameters(index = "1..*", hidden = true)
  List<Path> moreJobFiles = List.of();

  @Mixin ClusterOptions where;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Write a JSON summary of the run (every instance and attempt); - for standard output.")
  Path report;

  @Option(names = "--junit", paramLabel = "FILE",
      description = "Write a JUnit XML summary (one test case per instance); - for standard output.")
  Path junit;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Write the run as one self-contained HTML page (timeline, utilisation, failures); - for standard output.")
  Path html;

  @Option(names = "--restart",
      description = "Do not resume an interrupted earlier run: kill what it left running and start a new run.")
  boolean restart;

  @Option(names = "--keep-going",
      description = "When an instance fails for good, let the others run to their end (on_failure: continue); exit 1 at the end.")
  boolean keepGoing;

  @Option(names = "--unreachable-grace", paramLabel = "DURATION", description = "How long a task whose agent became unreachable keeps its instance before a replacement is launched (the job's unreachable_grace, default 60s; 0s replaces at once).") String unreachableGrace;

  @Option(names = "--retry-failed",
      description = "Start a new run that launches only the instances the latest run did not complete (same indexes).")
  boolean retryFailed;

  @Option(names = "--keep-runs", paramLabel = "N", defaultValue = "" + ClusterWiring.DEFAULT_KEEP_RUNS,
      description = "Local sandboxes of how many runs of the job to keep, this one included; older ones are removed when a run starts (default: ${DEFAULT-VALUE}).")
  int keepRuns;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary (no task output, no progress).")
  boolean quiet;

  @Option(names = "--no-prefix", description = "Print task output as it is, without the [job/instance] tag.")
  boolean noPrefix;

  @Option(names = {"-v", "--verbose"}, description = "Also print the runner's own log (on stderr).")
  boolean verbose;

  private final CliContext ctx;
  /** With --retry-failed: which instances were not launched, and which runs completed them. */
  private String skippedSummary;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** The command ends before a run begins, with this exit code; what to say was said. */
  private static final class EndsEarly extends Exception {
    final int exitCode;

    EndsEarly(int exitCode) {
      super(null, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /**
   * The run this command goes on with: the earlier one resumed, or a new one, its journal and the
   * records the journal holds so far (folded into what the run shows at its end).
   */
  private record Beginning(RunInfo run, Resume resume, RunJournal journal, List<JournalRecord> history) {}

  @Override
  public Integer call() throws InterruptedException {
    if (!moreJobFiles.isEmpty()) return refuseMoreJobFiles();
    JobSource source = JobSource.of(jobFile);
    JobFiles.Loaded loaded = source.load(ctx);
    if (loaded == null) return ExitCode.USAGE;
    Pipeline pipeline = where.applyTo(loaded.pipeline());
    if (keepGoing) pipeline = pipeline.withOnFailure(OnFailure.CONTINUE);
    if (unreachableGrace != null) {
      try {
        pipeline = pipeline.withUnreachableGrace(Durations.parse(unreachableGrace));
      } catch (IllegalArgumentException e) {
        ctx.err().println("runner: --unreachable-grace: " + e.getMessage());
        return ExitCode.USAGE;
      }
    }
    Job job = pipeline.summary();
    List<String> unwritable = reports().problems();
    if (!unwritable.isEmpty()) {
      unwritable.forEach(p -> ctx.err().println("runner: " + p));
      return ExitCode.USAGE;
    }
    if (keepRuns < 1) {
      ctx.err().println("runner: --keep-runs must be at least 1 (got " + keepRuns + ")");
      return ExitCode.USAGE;
    }
    Path stateDir = where.stateDir(source.file(), ctx);
    ClusterKind cluster;
    try {
      // Before anything is recorded: a bad --master, or a job that can never start on the local
      // cluster, must not leave a run that later commands trip on.
      cluster = ClusterWiring.check(where, job, source.label(), stateDir, ctx);
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    }
    JobStore store;
    try {
      store = openStore(stateDir, job.name());
    } catch (StateLockedException e) {
      refuseLocked(e, stateDir, job.name(), source);
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: " + StateDirProblem.describe(stateDir, e));
      return ExitCode.USAGE;
    }
    try (store) {
      RunState earlier = store.canResume() ? store.previous().orElseThrow() : null;
      if (earlier != null) earlier = carriedOn(earlier, loaded, source, stateDir, cluster);
      Beginning begun = earlier != null ? resume(earlier, job, source, loaded, stateDir, cluster, store)
          : startNew(job, source, loaded, stateDir, cluster, store);
      RunFold fold = new RunFold();
      begun.history().forEach(fold::accept);
      return runOn(pipeline, source, stateDir, begun.run(), begun.resume(), begun.journal(), fold, store);
    } catch (EndsEarly e) {
      return e.exitCode;
    } catch (IOException e) {
      ctx.err().println("runner: cannot write the run journal in " + stateDir + ": " + StateDirProblem.reason(e));
      return ExitCode.USAGE;
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    }
  }

  private int refuseMoreJobFiles() {
    List<String> names = java.util.stream.Stream.concat(java.util.stream.Stream.of(jobFile), moreJobFiles.stream())
        .map(Path::toString).toList();
    ctx.err().println("runner: one run takes one job file (got " + names.size() + ": " + String.join(", ", names)
        + "); run them one after another, or check them all with: runner validate " + String.join(" ", names));
    return ExitCode.USAGE;
  }

  /**
   * The unfinished earlier run, if this command carries it on; null when a new run starts (with
   * --restart, what the earlier run left is stopped first). Ends the command when the earlier
   * run can be neither carried on nor silently replaced.
   */
  private RunState carriedOn(RunState earlier, JobFiles.Loaded loaded, JobSource source, Path stateDir,
      ClusterKind cluster) throws EndsEarly, ClusterOptions.BadOptionException, InterruptedException {
    if (retryFailed && !restart) {
      ctx.err().println("runner: run " + earlier.runId() + " of " + source.label() + " was interrupted: resume it with"
          + " 'runner run " + source.label() + "', or stop it and retry its failed instances with --retry-failed --restart");
      throw new EndsEarly(ExitCode.USAGE);
    }
    if (restart) {
      String done = EarlierRuns.stop(stateDir, earlier, where.access, ctx);
      if (!quiet) ctx.err().println("runner: --restart: " + done);
      return null;
    }
    String blocker = EarlierRuns.resumeBlocker(earlier, loaded, source, cluster, ctx);
    boolean nothingToResume = EarlierRuns.launchedNothing(earlier);
    if (nothingToResume && (blocker != null || earlier.frameworkId() == null)) {
      // It never launched a task: there is nothing of it to carry on or to kill.
      if (!quiet && blocker != null) {
        ctx.err().println("runner: earlier run " + earlier.runId() + " launched no task (" + blocker + "); starting a new run");
      }
      return null;
    }
    if (blocker != null) {
      ctx.err().println("runner: cannot resume run " + earlier.runId() + " of " + source.label() + ": " + blocker);
      ctx.err().println("runner: run with --restart to kill what that run left and start over");
      throw new EndsEarly(ExitCode.USAGE);
    }
    return earlier;
  }

  /** Carries the earlier run on, under its own id and journal. */
  private Beginning resume(RunState earlier, Job job, JobSource source, JobFiles.Loaded loaded, Path stateDir,
      ClusterKind cluster, JobStore store) throws IOException, ClusterOptions.BadOptionException, InterruptedException {
    RunInfo run = new RunInfo(earlier.runId(), source.label(), loaded.sha256(), source.gitCommit());
    Resume resume = earlier.toResume(cluster.tasksOutliveTheRunner());
    // What is left of tasks that die with their runner is killed; they count as lost.
    if (!cluster.tasksOutliveTheRunner()) EarlierRuns.stop(stateDir, earlier, where.access, ctx);
    RunJournal journal = store.resume();
    if (!quiet) {
      ctx.err().println("runner: resuming run " + earlier.runId() + " (started "
          + Instant.ofEpochMilli(earlier.started().startedAtEpochMs()) + "): " + earlier.completedCount() + " of "
          + job.instances() + " instances already completed");
    }
    return new Beginning(run, resume, journal, journal.records());
  }

  /** Starts a new run (with --retry-failed, of the instances the latest run did not complete) in a new journal. */
  private Beginning startNew(Job job, JobSource source, JobFiles.Loaded loaded, Path stateDir, ClusterKind cluster,
      JobStore store) throws IOException, EndsEarly {
    Map<String, List<Integer>> skipped = retryFailed ? completedEarlier(job, stateDir, store) : Map.of();
    RunInfo run = new RunInfo(RunFiles.newRunId(), source.label(), loaded.sha256(), source.gitCommit());
    RunStarted started = new RunStarted(run.runId(), job.name(), source.identity(), loaded.sha256(),
        run.gitCommit(), cluster.recorded(), ctx.clock().millis(), job.instances(), loaded.text());
    RunJournal journal = store.startNew(started);
    if (skipped.isEmpty()) return new Beginning(run, null, journal, List.of(started));
    List<JournalRecord> carried = new ArrayList<>();
    List<Resume.Instance> done = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : skipped.entrySet()) {
      carried.add(new InstancesCarriedOver(e.getKey(), IndexRanges.format(e.getValue()), ctx.clock().millis()));
      for (int i : e.getValue()) done.add(new Resume.Instance(i, true, false, 0, 0, 0, List.of()));
    }
    done.sort(java.util.Comparator.comparingInt(Resume.Instance::index));
    journal.append(carried);
    skippedSummary = "skipped as already completed: " + describe(skipped);
    List<JournalRecord> history = new ArrayList<>(List.of(started));
    history.addAll(carried);
    return new Beginning(run, new Resume(null, done, false), journal, history);
  }

  /** For --retry-failed: the instances earlier runs completed, by run; ends the command when there is nothing to retry. */
  private Map<String, List<Integer>> completedEarlier(Job job, Path stateDir, JobStore store) throws EndsEarly {
    RunState latest = store.previous().orElse(null);
    if (latest == null) {
      ctx.err().println("runner: --retry-failed: no earlier run of " + job.name() + " in " + stateDir);
      throw new EndsEarly(ExitCode.USAGE);
    }
    Map<String, List<Integer>> skipped = latest.completedByRun(job.instances());
    int done = skipped.values().stream().mapToInt(List::size).sum();
    if (done == job.instances()) {
      ctx.err().println("runner: nothing to retry: all " + done + " instances completed (" + describe(skipped) + ")");
      throw new EndsEarly(ExitCode.OK);
    }
    ctx.err().println("runner: retrying run " + latest.runId() + ": launching " + (job.instances() - done) + " of "
        + job.instances() + " instances; skipped as already completed: " + describe(skipped));
    return skipped;
  }

  /** {@code run a1b2: 0-2, 4; run c3d4: 5}. */
  private static String describe(Map<String, List<Integer>> byRun) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<Integer>> e : byRun.entrySet()) {
      if (b.length() > 0) b.append("; ");
      b.append("run ").append(e.getKey()).append(": ").append(IndexRanges.format(e.getValue()));
    }
    return b.toString();
  }

  /** Another runner holds the job's state: say which file it runs, and how to stop it or keep out of its way. */
  private void refuseLocked(StateLockedException e, Path stateDir, String name, JobSource source) {
    Path jobDir = JobStore.jobDir(stateDir, name);
    String owner = null;
    try {
      owner = JobStore.status(stateDir, name).map(r -> r.started().jobFile()).orElse(null);
    } catch (IOException | RuntimeException ex) {
      // the journal cannot be read while it is written: the lock alone must do
    }
    String pid = e.holderPid() == null ? "" : " (runner pid " + e.holderPid() + ")";
    if (owner != null && !source.isRecordedAs(owner)) {
      ctx.err().println("runner: job " + name + " is already running" + pid + " from " + owner
          + ", a different file with the same job name; its state is in " + jobDir + ".");
      ctx.err().println("runner: stop it with: runner kill " + (owner.equals(JobSource.STDIN) ? jobDir : owner)
          + ", or give " + source.label() + " its own --state-dir");
    } else {
      ctx.err().println("runner: " + name + " is already running" + pid + "; its state is in " + jobDir
          + ". Stop it with: runner kill " + (source.isStdin() ? jobDir : source.label()));
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

  private int runOn(Pipeline pipeline, JobSource source, Path stateDir, RunInfo run, Resume resume, RunJournal journal,
      RunFold fold, JobStore store) throws ClusterOptions.BadOptionException {
    Job job = pipeline.summary();
    Path jobDir = store.dir();
    RunnerExit.clear(jobDir);
    // With --quiet no task output is shown, so none is read (it stays in the sandboxes).
    ClusterWiring.Opened opened = ClusterWiring.open(where, job, source.label(), source.file(), stateDir, run.runId(),
        resume == null ? null : resume.frameworkId(), !quiet, keepRuns, ctx);
    if (!quiet && opened.local()) {
      ctx.err().println("runner: no master named (--master, RUNNER_MASTER or MESOS_MASTER): running on the embedded local cluster");
    }
    if (!opened.local() && pipeline.steps().stream().anyMatch(s -> !s.outputs().isEmpty())) {
      ctx.err().println("runner: warning: step outputs are collected on the local cluster only; on Mesos they stay in"
          + " the tasks' sandboxes (runner logs, or the agent's /files API)");
    }
    try (var cluster = opened.cluster()) {
      // Standard output is the tasks' stdout (as with GNU parallel, xargs, make); the runner's own
      // text goes to stderr. A report on standard output keeps it clean: task output goes to stderr.
      java.io.PrintStream shown = reports().toStdout() ? ctx.err() : ctx.out();
      int doneBefore = resume == null ? 0 : (int) resume.instances().stream().filter(Resume.Instance::completed).count();
      TerminalUi ui = new TerminalUi(shown, ctx.err(), ctx.terminal(),
          new TerminalUi.Options(quiet, noPrefix, Duration.ofSeconds(5)), ctx.clock(), job.name(), job.parallelism(),
          doneBefore);
      ui.showing(pipeline);
      ClusterWiring.noticesTo(opened, ui::warn);
      JournalWriter writer = new JournalWriter(journal, fold::accept);
      JobScheduler scheduler = new JobScheduler(pipeline, run, ctx.clock(), JobScheduler.DEFAULT_MAX_LOSSES, writer,
          resume);
      RunTrace trace = new RunTrace(ctx.clock(), job.cpus(), writer);
      // On Mesos offers change, so a job that fits none waits; a line says so (the local cluster
      // refused such a job before the run).
      JobRun.Observer shownUi = opened.local() ? ui
          : new NoFitWarning(ui, ui::warn, ctx.clock(), job.name(), job.deadline() != null);
      JobRun jobRun = new JobRun(scheduler, trace.around(cluster), ctx.clock(), Duration.ofMillis(100),
          Duration.ofMillis(200), trace.around(shownUi), writer);
      ctx.signals().onInterrupt(jobRun::interrupt);
      Outcome outcome = jobRun.run();
      cluster.close(); // delivers the last output lines and the last calls before the summary
      ui.finish();
      String where = scheduler.clusterDescription() != null ? scheduler.clusterDescription() : cluster.description();
      RunEnd end = new RunEnd(ctx, jobDir, run.runId(), fold, writer);
      int exit = end.exitCode(outcome, scheduler.outcomeReason(), jobRun);
      RunReport plain = end.report(exit, job.cpus(), where,
          () -> trace.recordTails(scheduler.instances(), cluster::sandboxOf), cluster::sandboxOf);
      String outputs = opened.local()
          ? stateDir.resolve("runs").resolve(job.name() + "-" + run.runId()).resolve("outputs").toString() : null;
      RunReport r = plain.withSteps(io.mesosrunner.report.ReportSteps.of(pipeline, plain.instanceList(), outputs));
      ctx.err().print(TerminalUi.colourSummary(TextSummary.render(r, end.stderrTails(r, ui::stderrTail)),
          Style.of(ctx.terminal().colourOnStderr())));
      if (skippedSummary != null) ctx.err().println(skippedSummary);
      ctx.err().flush();
      reports().write(r, ctx.out(), ctx.err());
      if (jobRun.journalError() != null) end.journalFailed(journal, jobRun.journalError(), store, stateDir);
      // Before the lock is released: a `runner wait` that sees the runner gone finds its exit code.
      RunnerExit.write(jobDir, run.runId(), exit);
      return exit;
    }
  }

  private RunReports reports() {
    return new RunReports(report, junit, html);
  }
}
