package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a job runs: the options that pick and configure the cluster, shared by {@code run} and
 * {@code plan}. Flags win over the environment ({@code RUNNER_MASTER}, {@code MESOS_MASTER},
 * {@code RUNNER_STATE_DIR}), which wins over the default (the embedded local cluster). {@link
 * ClusterWiring} builds the cluster from them.
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
  io.mesosrunner.job.Pipeline applyTo(io.mesosrunner.job.Pipeline pipeline) {
    return role != null ? pipeline.withRole(role) : pipeline;
  }

  Job applyTo(Job job) {
    return role != null ? job.withRole(role) : job;
  }

  /** The state directory of a job read from {@code jobFile} (null: from stdin). */
  Path stateDir(Path jobFile, CliContext ctx) {
    return state.forJobFile(jobFile, ctx);
  }

  /** The framework name on Mesos: {@code --framework-name}, else {@code runner:<job name>}. */
  String frameworkName(Job job) {
    return frameworkName != null ? frameworkName : "runner:" + job.name();
  }
}
