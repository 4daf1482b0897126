package io.mesosrunner.cli;

import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.local.LocalCluster;
import io.mesosrunner.cluster.local.LocalConfig;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobError;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.job.Sizes;
import io.mesosrunner.report.JsonReport;
import io.mesosrunner.report.JunitReport;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.report.TextSummary;
import io.mesosrunner.schedule.JobRun;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner [run] JOBFILE}: runs a job to completion and exits with a code CI can trust. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a job file to completion.",
        "With no --master (and no MESOS_MASTER), the job runs on an embedded local cluster on this machine."})
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Option(names = "--master", paramLabel = "URL",
      description = "Mesos master: host:port, http(s)://host:port or zk://host1:2181,host2:2181/mesos. Default: $MESOS_MASTER, else the local cluster.")
  String master;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON summary of the run (every instance and attempt).")
  Path report;

  @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML summary (one test case per instance).")
  Path junit;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary (no task output, no progress).")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also print the runner's own log (on stderr).")
  boolean verbose;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where runs keep their files (local sandboxes). Default: .runner next to the job file.")
  Path stateDir;

  @Option(names = "--local-cpus", paramLabel = "N", description = "CPUs the local cluster offers. Default: this machine's.")
  Double localCpus;

  @Option(names = "--local-mem", paramLabel = "SIZE", description = "Memory the local cluster offers (512, 512MiB, 4GiB). Default: this machine's less a margin.")
  String localMem;

  private final CliContext ctx;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    Job job;
    byte[] content;
    try {
      content = readJobFile();
      job = new JobLoader(ctx.env()).parse(jobFile.toString(), content);
    } catch (JobFileException e) {
      for (JobError error : e.errors()) ctx.err().println(error);
      return Main.EXIT_USAGE;
    }
    String url = master != null ? master : ctx.env().get("MESOS_MASTER");
    if (url != null && !url.isBlank()) {
      ctx.err().println("runner: Mesos masters are not supported by this build yet; omit --master to run on the local cluster");
      return 3;
    }
    List<String> unsupported = LocalCluster.unsupportedFields(job);
    if (!unsupported.isEmpty()) {
      ctx.err().println(jobFile + ": the local cluster cannot honour " + String.join(", ", unsupported)
          + "; run this job on Mesos with --master URL (or remove those fields)");
      return Main.EXIT_USAGE;
    }
    RunInfo run = new RunInfo(RunFiles.newRunId(), jobFile.toString(), RunFiles.sha256(content), RunFiles.gitCommit(jobFile));
    LocalConfig config;
    try {
      config = localConfig(job, run);
    } catch (IllegalArgumentException e) {
      ctx.err().println("runner: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    if (!quiet) ctx.err().println("runner: no master named (--master or MESOS_MASTER): running on the embedded local cluster");
    try (LocalCluster cluster = new LocalCluster(config)) {
      return runOn(job, run, cluster, id -> {
        Path p = cluster.sandbox(id);
        return p == null ? null : p.toString();
      });
    }
  }

  private byte[] readJobFile() throws JobFileException {
    try {
      if (Files.isRegularFile(jobFile) && Files.size(jobFile) <= JobLoader.MAX_BYTES) return Files.readAllBytes(jobFile);
    } catch (IOException e) {
      // fall through: the loader reports the problem with the file's name
    }
    new JobLoader(ctx.env()).load(jobFile);
    throw new IllegalStateException("the loader accepted " + jobFile + " but it cannot be read");
  }

  private LocalConfig localConfig(Job job, RunInfo run) {
    Path base = stateDir != null ? stateDir : jobDir().resolve(".runner");
    Path runDir = base.resolve("runs").resolve(job.name() + "-" + run.runId()).toAbsolutePath().normalize();
    LocalConfig config = LocalConfig.defaults(runDir).withClock(ctx.clock());
    if (localCpus != null) {
      if (!(localCpus > 0)) throw new IllegalArgumentException("--local-cpus must be greater than 0 (got " + localCpus + ")");
      config = config.withCpus(localCpus);
    }
    if (localMem != null) config = config.withMemMb(Sizes.parseMib(localMem));
    return config;
  }

  private Path jobDir() {
    Path parent = jobFile.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private int runOn(Job job, RunInfo run, Cluster cluster, java.util.function.Function<String, String> sandboxOf) {
    TerminalUi ui = new TerminalUi(ctx.out(), ctx.err(), ctx.terminal(), quiet, ctx.clock(), Duration.ofSeconds(5), job.name());
    JobScheduler scheduler = new JobScheduler(job, run, ctx.clock());
    JobRun jobRun = new JobRun(scheduler, cluster, ctx.clock(), Duration.ofMillis(100), Duration.ofMillis(200), ui);
    ctx.signals().onInterrupt(jobRun::interrupt);
    Outcome outcome = jobRun.run();
    ui.finish();
    int exit = jobRun.internalError() != null && outcome != Outcome.SUCCEEDED ? 1 : outcome.exitCode();
    RunReport r = RunReport.of(scheduler, cluster.description(), sandboxOf, exit);
    ctx.out().print(TextSummary.render(r, ui::stderrTail));
    ctx.out().flush();
    try {
      if (report != null) JsonReport.write(r, report);
      if (junit != null) JunitReport.write(r, junit);
    } catch (IOException e) {
      ctx.err().println("runner: cannot write the report: " + e.getMessage());
    }
    return exit;
  }
}
