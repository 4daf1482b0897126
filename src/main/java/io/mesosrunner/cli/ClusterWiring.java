package io.mesosrunner.cli;

import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.cluster.ClusterKind;
import io.mesosrunner.cluster.local.LocalCluster;
import io.mesosrunner.cluster.local.LocalConfig;
import io.mesosrunner.cluster.local.MachineLedger;
import io.mesosrunner.cluster.local.LocalRunAdmin;
import io.mesosrunner.cluster.local.ProcessSpawning;
import io.mesosrunner.cluster.local.RunDirectories;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosCluster;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.cluster.mesos.MesosRunAdmin;
import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.Sizes;
import io.mesosrunner.state.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The one place in {@code cli} that knows the adapters: it builds a {@link Cluster} to run a job
 * on, or a {@link ClusterAdmin} to ask about a recorded run, from the options and the run's
 * {@link ClusterKind}. Every other command talks to the port. A new adapter is wired here.
 */
final class ClusterWiring {

  /** Local sandboxes of how many runs of a job are kept by default, the one starting included. */
  static final int DEFAULT_KEEP_RUNS = RunDirectories.DEFAULT_KEEP;

  /** A cluster ready to start, and which kind it is. */
  record Opened(Cluster cluster, ClusterKind kind) {
    boolean local() {
      return kind instanceof ClusterKind.Local;
    }
  }

  /** A run recorded a master that cannot be parsed. */
  static final class UnknownMasterException extends Exception {
    final String master;

    UnknownMasterException(String master, String reason) {
      super(reason);
      this.master = master;
    }
  }

  private ClusterWiring() {}

  /** Before the JVM starts its first child process: VFORK halves the cost of each local task. */
  static void prepareProcessSpawning() {
    ProcessSpawning.preferVfork();
  }

  /**
   * The cluster these options pick: local, or the master's address as parsed (so {@code
   * host:port} and {@code http://host:port} are one cluster). Checks every option that can be
   * checked without the cluster, so a bad one is refused before anything is recorded; on the
   * local cluster this includes whether the job can ever start there (it never grows, so a job
   * that asks for more than it has would wait for ever).
   *
   * @param source   the job file as named in messages
   * @param stateDir the job's state directory (the local cluster's disk is measured where it is)
   */
  static ClusterKind check(ClusterOptions where, Job job, String source, Path stateDir, CliContext ctx)
      throws ClusterOptions.BadOptionException {
    MasterAddress address = address(where.masterOption, ctx);
    if (address == null) {
      localConfig(where, job, source, stateDir.toAbsolutePath(), ctx);
      return new ClusterKind.Local();
    }
    mesosConfig(where, address, job, ctx).build();
    return new ClusterKind.Mesos(address.toString());
  }

  /**
   * A recorded cluster as {@link #check} spells it today (older runs recorded the address as
   * typed); one that no longer parses is left as it was.
   */
  static ClusterKind sameSpelling(ClusterKind recorded) {
    if (!(recorded instanceof ClusterKind.Mesos mesos)) return recorded;
    try {
      return new ClusterKind.Mesos(MasterAddress.parse(mesos.master()).toString());
    } catch (IllegalArgumentException e) {
      return recorded;
    }
  }

  /** The local cluster, sharing this machine with the other runners on it (alone, when the ledger cannot be made). */
  private static LocalCluster localCluster(LocalConfig config, Job job, CliContext ctx) {
    Path dir = MachineLedger.defaultDir(ctx.env());
    try {
      return new LocalCluster(config, MachineLedger.open(dir, job.name()),
          new io.mesosrunner.match.Resources(job.cpus(), job.memMb(), 0, 0));
    } catch (IOException e) {
      ctx.err().println("runner: cannot keep the ledger of this machine's local cpus and memory in " + dir + " ("
          + e + "); this run counts only its own tasks");
      return new LocalCluster(config);
    }
  }

  /** The lines saying why a local run waits for other runners go to {@code sink}. */
  static void noticesTo(Opened opened, java.util.function.Consumer<String> sink) {
    if (opened.cluster() instanceof LocalCluster local) local.onNotice(sink);
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
  static Opened open(ClusterOptions where, Job job, String source, Path jobFile, Path stateDir, String runId,
      String frameworkId, boolean tailOutput, Integer keepRuns, CliContext ctx) throws ClusterOptions.BadOptionException {
    MasterAddress address = address(where.masterOption, ctx);
    if (address == null) {
      Path runDir = runDir(stateDir, job.name(), runId);
      Path jobDir = jobFile == null ? Path.of("") : jobFile.toAbsolutePath().getParent();
      LocalConfig config = localConfig(where, job, source, runDir, ctx).withTailOutput(tailOutput).withUriBase(jobDir);
      if (keepRuns != null) RunDirectories.prune(runDir.getParent(), job.name(), runDir, keepRuns);
      return new Opened(localCluster(config, job, ctx), new ClusterKind.Local());
    }
    MesosConfig.Builder b = mesosConfig(where, address, job, ctx);
    if (frameworkId != null) b.frameworkId(frameworkId);
    b.tailOutput(tailOutput);
    return new Opened(new MesosCluster(build(b)), new ClusterKind.Mesos(address.toString()));
  }

  /**
   * The admin of the cluster a run recorded, for the run's framework.
   *
   * @param purpose the framework name it would subscribe with (only tearing down subscribes)
   */
  static ClusterAdmin adminOf(RunState run, Path stateDir, MasterAccessOptions access, String purpose, CliContext ctx)
      throws ClusterOptions.BadOptionException, UnknownMasterException {
    ClusterKind kind = run.started().clusterKind();
    if (!(kind instanceof ClusterKind.Mesos mesos)) {
      return new LocalRunAdmin(runDir(stateDir, run.started().jobName(), run.runId()), run.runId());
    }
    MasterAddress master;
    try {
      master = MasterAddress.parse(mesos.master());
    } catch (IllegalArgumentException e) {
      throw new UnknownMasterException(mesos.master(), e.getMessage());
    }
    return mesosAdmin(run, master, mesos.master(), access, purpose, ctx);
  }

  /** The admin of the master {@code --master} names (or the environment), for the run's framework. */
  static ClusterAdmin adminAt(MasterOption masterOption, RunState run, MasterAccessOptions access, String purpose,
      CliContext ctx) throws ClusterOptions.BadOptionException {
    MasterAddress master = address(masterOption, ctx);
    if (master == null) throw new ClusterOptions.BadOptionException("no master named (--master, " + MasterOption.ENV + ")");
    return mesosAdmin(run, master, master.toString(), access, purpose, ctx);
  }

  private static ClusterAdmin mesosAdmin(RunState run, MasterAddress master, String recordedAs,
      MasterAccessOptions access, String purpose, CliContext ctx) throws ClusterOptions.BadOptionException {
    MesosConfig.Builder config = access(access, master, purpose, "*", null, ctx).tailOutput(false);
    if (run.frameworkId() != null) config.frameworkId(run.frameworkId());
    return new MesosRunAdmin(build(config), run.runId(), recordedAs);
  }

  /** Where the local cluster keeps a run's sandboxes. */
  private static Path runDir(Path stateDir, String jobName, String runId) {
    return stateDir.resolve("runs").resolve(jobName + "-" + runId).toAbsolutePath().normalize();
  }

  /** The master parsed, or null for the local cluster; a bad address is a usage error naming its source. */
  private static MasterAddress address(MasterOption option, CliContext ctx) throws ClusterOptions.BadOptionException {
    String url = option.url(ctx);
    if (url == null) return null;
    try {
      return MasterAddress.parse(url);
    } catch (IllegalArgumentException e) {
      throw new ClusterOptions.BadOptionException(option.source(ctx) + ": " + e.getMessage());
    }
  }

  private static MesosConfig build(MesosConfig.Builder b) throws ClusterOptions.BadOptionException {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ClusterOptions.BadOptionException(e.getMessage());
    }
  }

  private static LocalConfig localConfig(ClusterOptions where, Job job, String source, Path runDir, CliContext ctx)
      throws ClusterOptions.BadOptionException {
    Double memMb = checkLocal(where, job, source);
    LocalConfig config = LocalConfig.defaults(runDir).withClock(ctx.clock());
    if (where.localCpus != null) config = config.withCpus(where.localCpus);
    if (memMb != null) config = config.withMemMb(memMb);
    List<String> never = LocalCluster.neverFits(job, config);
    if (!never.isEmpty()) {
      throw new ClusterOptions.BadOptionException(source + ": " + job.name()
          + " can never start on the local cluster (it never grows):\n  " + String.join("\n  ", never)
          + "\nask for less, give the local cluster more (--local-cpus, --local-mem), or run it on Mesos with --master URL");
    }
    return config;
  }

  /** Checks the job and the local options against the local cluster; returns --local-mem in MiB, or null. */
  private static Double checkLocal(ClusterOptions where, Job job, String source) throws ClusterOptions.BadOptionException {
    List<String> unsupported = LocalCluster.unsupportedFields(job);
    if (!unsupported.isEmpty()) {
      throw new ClusterOptions.BadOptionException(source + ": the local cluster cannot honour " + String.join(", ", unsupported)
          + "; run this job on Mesos with --master URL (or remove those fields)");
    }
    if (where.localCpus != null && !(where.localCpus > 0)) {
      throw new ClusterOptions.BadOptionException("--local-cpus must be greater than 0 (got " + where.localCpus + ")");
    }
    try {
      return where.localMem == null ? null : Sizes.parseMib(where.localMem);
    } catch (IllegalArgumentException e) {
      throw new ClusterOptions.BadOptionException("--local-mem: " + e.getMessage());
    }
  }

  /** The Mesos settings the run options give for the job's framework. */
  private static MesosConfig.Builder mesosConfig(ClusterOptions where, MasterAddress address, Job job, CliContext ctx)
      throws ClusterOptions.BadOptionException {
    MesosConfig.Builder b = access(where.access, address, where.frameworkName(job), job.role(), job.user(), ctx);
    if (where.failoverTimeout != null) {
      try {
        b.failoverTimeout(Durations.parse(where.failoverTimeout));
      } catch (IllegalArgumentException e) {
        throw new ClusterOptions.BadOptionException("--failover-timeout: " + e.getMessage());
      }
    }
    return b;
  }

  /** The Mesos settings the access options give, for a framework {@code name} in {@code role}. */
  private static MesosConfig.Builder access(MasterAccessOptions access, MasterAddress address, String name, String role,
      String user, CliContext ctx) throws ClusterOptions.BadOptionException {
    if (access.connectRetries < 1) {
      throw new ClusterOptions.BadOptionException("--connect-retries must be at least 1 (got " + access.connectRetries + ")");
    }
    MesosConfig.Builder b = MesosConfig.builder(address, name).role(role).clock(ctx.clock())
        .maxReconnectAttempts(access.connectRetries).reconnectMin(Duration.ofMillis(500)).reconnectMax(Duration.ofSeconds(5))
        .retryNotice((problem, retry, retries, delay) -> ctx.err().println(
            "runner: " + problem + "; retry " + retry + " of " + retries + " in " + MasterAccessOptions.seconds(delay)));
    if (user != null) b.user(user);
    if (access.principal != null) b.principal(access.principal);
    if (access.secretFile != null) {
      if (access.principal == null) throw new ClusterOptions.BadOptionException("--secret-file needs --principal");
      b.secret(readSecret(access.secretFile));
    }
    if (access.caCert != null) {
      if (!Files.isReadable(access.caCert)) throw new ClusterOptions.BadOptionException("--ca-cert: cannot read " + access.caCert);
      b.caCert(access.caCert);
    }
    return b;
  }

  private static String readSecret(Path file) throws ClusterOptions.BadOptionException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String first = text.lines().findFirst().orElse("").strip();
      if (first.isEmpty()) throw new ClusterOptions.BadOptionException("--secret-file: " + file + " is empty");
      return first;
    } catch (IOException e) {
      throw new ClusterOptions.BadOptionException("--secret-file: cannot read " + file + " (" + e.getMessage() + ")");
    }
  }
}
