package io.mesosrunner.schedule;

/** How a run ended; the CLI maps each to its exit code. */
public enum Outcome {
  /** Every instance completed (exit 0). */
  SUCCEEDED(0),
  /** An instance ran out of retries, or the deadline passed (exit 1). */
  FAILED(1),
  /** The cluster could not be reached or refused the framework (exit 3). */
  CLUSTER_FAILED(3),
  /** Ctrl-C or SIGTERM, after the launched tasks were killed (exit 130). */
  INTERRUPTED(130);

  private final int exitCode;

  Outcome(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
