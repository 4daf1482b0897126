package io.mesosrunner.cli;

import io.mesosrunner.schedule.Outcome;

/**
 * The runner's exit codes, named once (the help footer and the README list the same). Every
 * command returns one of these.
 */
final class ExitCode {

  /** Every instance completed; or the command did what it was asked. */
  static final int OK = 0;
  /** The job failed: an instance ran out of retries, the deadline passed, or an internal error. */
  static final int FAILED = 1;
  /** An invalid job file or command line. */
  static final int USAGE = 2;
  /** The cluster could not be reached or refused the framework. */
  static final int CLUSTER = 3;
  /** Ctrl-C or SIGTERM, after the launched tasks were killed (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  private ExitCode() {}

  /** The exit code of a run that ended with {@code outcome}. */
  static int of(Outcome outcome) {
    switch (outcome) {
      case SUCCEEDED: return OK;
      case FAILED: return FAILED;
      case CLUSTER_FAILED: return CLUSTER;
      case INTERRUPTED: return INTERRUPTED;
      default: throw new AssertionError("unknown outcome " + outcome);
    }
  }
}
