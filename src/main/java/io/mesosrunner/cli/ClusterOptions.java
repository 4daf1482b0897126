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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a job runs: the options that pick and configure the cluster, shared by {@code run} and
 * {@code plan}. Flags win over the environment ({@code MESOS_MASTER}), which wins over the
 * default (the embedded local cluster).
 */
final class ClusterOptions {

  @Option(names = "--master", paramLabel = "URL",
      description = "Mesos master: host:port, http(s)://host:port or zk://host1:2181,host2:2181/mesos. Default: $MESOS_MASTER, else the embedded local cluster.")
  String master;

  @Option(names = "--framework-name", paramLabel = "NAME", description = "Framework name on Mesos. Default: runner:<job name>.")
  String frameworkName;

  @Option(names = "--role", paramLabel = "ROLE", description = "Mesos role to use instead of the job's role.")
  String role;

  @Option(names = "--principal", paramLabel = "NAME", description = "Principal for HTTP Basic authentication with the master.")
  String principal;

  @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the principal's secret (its first line). Never logged.")
  Path secretFile;

  @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM CA certificate to trust for an https master.")
  Path caCert;

  @Option(names = "--failover-timeout", paramLabel = "DURATION",
      description = "How long Mesos keeps the framework's tasks while the runner is away (e.g. 10m, 7d). Default: 7d.")
  String failoverTimeout;

  @Option(names = "--connect-retries", paramLabel = "N", defaultValue = "8",
      description = "Attempts to reach (or reach again) the master, with growing pauses, before giving up with exit 3 (default: ${DEFAULT-VALUE}).")
  int connectRetries;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where runs keep their files (local sandboxes). Default: .runner next to the job file.")
  Path stateDir;

  @Option(names = "--local-cpus", paramLabel = "N", description = "CPUs the local cluster offers. Default: this machine's.")
  Double localCpus;

  @Option(names = "--local-mem", paramLabel = "SIZE",
      description = "Memory the local cluster offers (512, 512MiB, 4GiB). Default: this machine's less a margin.")
  String localMem;

  @Option(names = "--keep-runs", paramLabel = "N", defaultValue = "" + RunDirectories.DEFAULT_KEEP,
      description = "Local sandboxes of how many runs of the job to keep, this one included; older ones are removed when a run starts (default: ${DEFAULT-VALUE}).")
  int keepRuns;

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
    String url = master != null ? master : ctx.env().get("MESOS_MASTER");
    return url == null || url.isBlank() ? null : url.trim();
  }

  /** The job as these options run it: {@code --role} wins over the file's role. */
  Job applyTo(Job job) {
    return role != null ? job.withRole(role) : job;
  }

  Path stateDir(Path jobFile) {
    if (stateDir != null) return stateDir;
    Path parent = jobFile.toAbsolutePath().getParent();
    return (parent == null ? Path.of(".") : parent).resolve(".runner");
  }

  /**
   * Opens the cluster the options name.
   *
   * @param frameworkId the framework to resubscribe as (resuming a run on Mesos), or null
   */
  Opened open(Job job, Path jobFile, String runId, String frameworkId, boolean tailOutput, CliContext ctx)
      throws BadOptionException {
    String url = masterUrl(ctx);
    if (url == null) return openLocal(job, jobFile, runId, tailOutput, ctx);
    MasterAddress address;
    try {
      address = MasterAddress.parse(url);
    } catch (IllegalArgumentException e) {
      throw new BadOptionException("--master: " + e.getMessage());
    }
    String name = frameworkName != null ? frameworkName : "runner:" + job.name();
    MesosConfig.Builder b = mesosConfig(address, name, job.role(), job.user(), ctx);
    if (frameworkId != null) b.frameworkId(frameworkId);
    b.tailOutput(tailOutput);
    MesosConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new BadOptionException(e.getMessage());
    }
    MesosCluster cluster = new MesosCluster(config);
    return new Opened(cluster, false);
  }

  private Opened openLocal(Job job, Path jobFile, String runId, boolean tailOutput, CliContext ctx)
      throws BadOptionException {
    List<String> unsupported = LocalCluster.unsupportedFields(job);
    if (!unsupported.isEmpty()) {
      throw new BadOptionException(jobFile + ": the local cluster cannot honour " + String.join(", ", unsupported)
          + "; run this job on Mesos with --master URL (or remove those fields)");
    }
    Path runDir = stateDir(jobFile).resolve("runs").resolve(job.name() + "-" + runId).toAbsolutePath().normalize();
    LocalConfig config = localConfig(runDir, ctx).withTailOutput(tailOutput);
    checkFits(job, jobFile, config);
    if (keepRuns < 1) throw new BadOptionException("--keep-runs must be at least 1 (got " + keepRuns + ")");
    if (!runId.startsWith("plan")) RunDirectories.prune(runDir.getParent(), job.name(), runDir, keepRuns);
    return new Opened(new LocalCluster(config), true);
  }

  /**
   * Fails (exit 2) when the job can never start on the local cluster these options give: it never
   * grows, so the job would wait for ever. Does nothing for a run on Mesos.
   */
  void checkLocalFit(Job job, Path jobFile, CliContext ctx) throws BadOptionException {
    if (masterUrl(ctx) != null) return;
    checkFits(job, jobFile, localConfig(stateDir(jobFile).toAbsolutePath(), ctx));
  }

  private static void checkFits(Job job, Path jobFile, LocalConfig config) throws BadOptionException {
    List<String> never = LocalCluster.neverFits(job, config);
    if (!never.isEmpty()) {
      throw new BadOptionException(jobFile + ": " + job.name() + " can never start on the local cluster (it never grows):\n  "
          + String.join("\n  ", never)
          + "\nask for less, give the local cluster more (--local-cpus, --local-mem), or run it on Mesos with --master URL");
    }
  }

  private LocalConfig localConfig(Path runDir, CliContext ctx) throws BadOptionException {
    LocalConfig config = LocalConfig.defaults(runDir).withClock(ctx.clock());
    try {
      if (localCpus != null) {
        if (!(localCpus > 0)) throw new BadOptionException("--local-cpus must be greater than 0 (got " + localCpus + ")");
        config = config.withCpus(localCpus);
      }
      if (localMem != null) config = config.withMemMb(Sizes.parseMib(localMem));
    } catch (IllegalArgumentException e) {
      throw new BadOptionException("--local-mem: " + e.getMessage());
    }
    return config;
  }

  /** The Mesos settings these options give, for a framework {@code name} in {@code role}. */
  MesosConfig.Builder mesosConfig(MasterAddress address, String name, String role, String user, CliContext ctx)
      throws BadOptionException {
    if (connectRetries < 1) throw new BadOptionException("--connect-retries must be at least 1 (got " + connectRetries + ")");
    MesosConfig.Builder b = MesosConfig.builder(address, name).role(role).clock(ctx.clock())
        .maxReconnectAttempts(connectRetries).reconnectMin(Duration.ofMillis(500)).reconnectMax(Duration.ofSeconds(5));
    if (user != null) b.user(user);
    if (principal != null) b.principal(principal);
    if (secretFile != null) {
      if (principal == null) throw new BadOptionException("--secret-file needs --principal");
      b.secret(readSecret(secretFile));
    }
    if (caCert != null) {
      if (!Files.isReadable(caCert)) throw new BadOptionException("--ca-cert: cannot read " + caCert);
      b.caCert(caCert);
    }
    if (failoverTimeout != null) {
      try {
        b.failoverTimeout(Durations.parse(failoverTimeout));
      } catch (IllegalArgumentException e) {
        throw new BadOptionException("--failover-timeout: " + e.getMessage());
      }
    }
    return b;
  }

  private static String readSecret(Path file) throws BadOptionException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String first = text.lines().findFirst().orElse("").strip();
      if (first.isEmpty()) throw new BadOptionException("--secret-file: " + file + " is empty");
      return first;
    } catch (IOException e) {
      throw new BadOptionException("--secret-file: cannot read " + file + " (" + e.getMessage() + ")");
    }
  }
}
