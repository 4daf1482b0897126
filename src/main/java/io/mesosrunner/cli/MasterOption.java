package io.mesosrunner.cli;

import picocli.CommandLine.Option;

/**
 * {@code --master}: the Mesos master. The flag wins over {@code RUNNER_MASTER}, which wins over
 * {@code MESOS_MASTER}; with none of them a job runs on the embedded local cluster.
 */
final class MasterOption {

  static final String ENV = "RUNNER_MASTER";
  static final String MESOS_ENV = "MESOS_MASTER";

  @Option(names = "--master", paramLabel = "URL",
      description = {"Mesos master, as host:port, http(s)://host:port or zk://host:2181/mesos.",
          "Default: $RUNNER_MASTER, else $MESOS_MASTER, else the embedded local cluster."})
  String master;

  /** The master as given by the flag or the environment, or null for the local cluster. */
  String url(CliContext ctx) {
    for (String candidate : new String[] {master, ctx.env().get(ENV), ctx.env().get(MESOS_ENV)}) {
      if (candidate != null && !candidate.isBlank()) return candidate.trim();
    }
    return null;
  }

  /** Where the address came from, to name it in an error. */
  String source(CliContext ctx) {
    if (master != null && !master.isBlank()) return "--master";
    String env = ctx.env().get(ENV);
    return env != null && !env.isBlank() ? ENV : MESOS_ENV;
  }
}
