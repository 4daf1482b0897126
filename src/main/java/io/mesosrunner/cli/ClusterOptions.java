package io.mesosrunner.cli;

import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.local.LocalCluster;
import io.mesosrunner.cluster.local.LocalConfig;
import io.mesosrunner.cluster.local.RunDirectories;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosCluster;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.Sizes;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a job runs: the options that pick and configure the cluster, shared by {@code run} and
 * {@code plan}. Flags win over the environment ({@code RUNNER_MASTER}, {@code MESOS_MASTER},
 * {@code RUNNER_STATE_DIR}), which wins over the default (the embedded local cluster).
 */
final class ClusterOptions {

  @Mixin MasterOption masterOption;

  @Option(names = "--framework-name", paramLabel = "NAME", description = "Framework name on Mesos. Default: runner:<job name>.")
  String frameworkName;

  @Option(names = "--role", paramLabel = "ROLE", description = "Mesos role to use instead of the job's role.")
  String role;

  @Mixin MasterAccessOptions access;

  @Option(names = "--failover-timeout", paramLabel = "DURATION",
      description = "How long Mesos keeps the framework's tasks while the runner is away (e.g. 10m, 7d). Default: 7d.")
  String failoverTimeout;

  @Mixin StateDirOption state;

  @Option(names = "--local-cpus", paramLabel = "N", description = "CPUs the local cluster offers. Default: this machine's.")
  Double localCpus;

  @Option(names = "--local-mem", paramLabel = "SIZE",
      description = "Memory the local cluster offers (512, 512MiB, 4GiB). Default: this machine's less a margin.")
  String localMem;

  /** A cluster ready to start, and whether it is the embedded local one. */
  record Opened(Cluster cluster, boolean local) {}

  /** Thrown for options that make no sense; the message is for the user (exit 2). */
  static final class BadOptionException extends Exception {
    BadOptionException(String message) {
      super(message);
    }
  }

  /** The master URL from the flag or the environment, or null for the local cluster. */
  String masterUrl(CliContext ctx) {
    return masterOption.url(ctx);
  }

  /** The job as these options run it: {@code --role} wins over the file's role. */
  Job applyTo(Job job) {
    return role != null ? job.withRole(role) : job;
  }

  /** The state directory of a job read from {@code jobFile} (null: from stdin). */
  Path stateDir(Path jobFile, CliContext ctx) {
    return state.forJobFile(jobFile, ctx);
  }

  /**
   * The name a run records for the cluster these options pick: {@code local}, or the master's
   * address as parsed (so {@code host:port} and {@code http://host:port} are one cluster).
   * Checks every option that can be checked without the cluster, so a bad one is refused before
   * anything is recorded.
   *
   * On the local cluster this includes whether the job can ever start there (it never grows, so
   * a job that asks for more than it has would wait for ever).
   *
   * @param source   the job file as named in messages
   * @param stateDir the job's state directory (the local cluster's disk is measured where it is)
   */
  String check(Job job, String source, Path stateDir, CliContext ctx) throws BadOptionException {
    MasterAddress address = masterOption.address(ctx);
    if (address == null) {
      localConfig(job, source, stateDir.toAbsolutePath(), ctx);
      return EarlierRuns.LOCAL;
    }
    mesosConfig(address, frameworkName(job), job.role(), job.user(), ctx).build();
    return address.toString();
  }

  /**
   * Opens the cluster the options name.
   *
   * @param source      the job file as named in messages
   * @param jobFile     the job file (a relative path in its uris is resolved against its
   *                    directory on the local cluster), or null when read from stdin (the
   *                    working directory then)
   * @param stateDir    the run's state directory (local sandboxes go under it)
   * @param frameworkId the framework to resubscribe as (resuming a run on Mesos), or null
   * @param keepRuns    local sandboxes of how many runs of the job to keep, this one included
   *                    (&ge; 1); null keeps them all (a plan)
   */
  Opened open(Job job, String source, Path jobFile, Path stateDir, String runId, String frameworkId,
      boolean tailOutput, Integer keepRuns, CliContext ctx) throws BadOptionException {
    MasterAddress address = masterOption.address(ctx);
    if (address == null) {
      return openLocal(job, source, jobFile, stateDir, runId, tailOutput, keepRuns, ctx);
    }
    MesosConfig.Builder b = mesosConfig(address, frameworkName(job), job.role(), job.user(), ctx);
    if (frameworkId != null) b.frameworkId(frameworkId);
    b.tailOutput(tailOutput);
    return new Opened(new MesosCluster(build(b)), false);
  }

  private Opened openLocal(Job job, String source, Path jobFile, Path stateDir, String runId, boolean tailOutput,
      Integer keepRuns, CliContext ctx) throws BadOptionException {
    Path runDir = stateDir.resolve("runs").resolve(job.name() + "-" + runId).toAbsolutePath().normalize();
    Path jobDir = jobFile == null ? Path.of("") : jobFile.toAbsolutePath().getParent();
    LocalConfig config = localConfig(job, source, runDir, ctx).withTailOutput(tailOutput).withUriBase(jobDir);
    if (keepRuns != null) RunDirectories.prune(runDir.getParent(), job.name(), runDir, keepRuns);
    return new Opened(new LocalCluster(config), true);
  }

  private String frameworkName(Job job) {
    return frameworkName != null ? frameworkName : "runner:" + job.name();
  }

  private static MesosConfig build(MesosConfig.Builder b) throws BadOptionException {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new BadOptionException(e.getMessage());
    }
  }

  private LocalConfig localConfig(Job job, String source, Path runDir, CliContext ctx) throws BadOptionException {
    Double memMb = checkLocal(job, source);
    LocalConfig config = LocalConfig.defaults(runDir).withClock(ctx.clock());
    if (localCpus != null) config = config.withCpus(localCpus);
    if (memMb != null) config = config.withMemMb(memMb);
    List<String> never = LocalCluster.neverFits(job, config);
    if (!never.isEmpty()) {
      throw new BadOptionException(source + ": " + job.name() + " can never start on the local cluster (it never grows):\n  "
          + String.join("\n  ", never)
          + "\nask for less, give the local cluster more (--local-cpus, --local-mem), or run it on Mesos with --master URL");
    }
    return config;
  }

  /** Checks the job and the local options against the local cluster; returns --local-mem in MiB, or null. */
  private Double checkLocal(Job job, String source) throws BadOptionException {
    List<String> unsupported = LocalCluster.unsupportedFields(job);
    if (!unsupported.isEmpty()) {
      throw new BadOptionException(source + ": the local cluster cannot honour " + String.join(", ", unsupported)
          + "; run this job on Mesos with --master URL (or remove those fields)");
    }
    if (localCpus != null && !(localCpus > 0)) {
      throw new BadOptionException("--local-cpus must be greater than 0 (got " + localCpus + ")");
    }
    try {
      return localMem == null ? null : Sizes.parseMib(localMem);
    } catch (IllegalArgumentException e) {
      throw new BadOptionException("--local-mem: " + e.getMessage());
    }
  }

  /** The Mesos settings these options give, for a framework {@code name} in {@code role}. */
  MesosConfig.Builder mesosConfig(MasterAddress address, String name, String role, String user, CliContext ctx)
      throws BadOptionException {
    MesosConfig.Builder b = access.mesosConfig(address, name, role, user, ctx);
    if (failoverTimeout != null) {
      try {
        b.failoverTimeout(Durations.parse(failoverTimeout));
      } catch (IllegalArgumentException e) {
        throw new BadOptionException("--failover-timeout: " + e.getMessage());
      }
    }
    return b;
  }
}
