package io.mesosrunner.schedule;

/** How a run ended; the CLI maps each to its exit code. */
public enum Outcome {
  /** Every instance completed. */
  SUCCEEDED,
  /** An instance ran out of retries, or the deadline passed. */
  FAILED,
  /** The cluster could not be reached or refused the framework. */
  CLUSTER_FAILED,
  /** Ctrl-C or SIGTERM, after the launched tasks were killed. */
  INTERRUPTED,
  /**
   * {@code runner kill} ended the run: its tasks killed, its framework torn down; the next run of
   * the job is a new run. Never decided by the scheduler, only recorded by the command.
   */
  KILLED
}
