package io.mesosrunner.cli;

import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.state.RunStatus;

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
  /** The run's journal could not be written (no space, read-only, deleted): tasks killed, resumable once fixed. */
  static final int JOURNAL = 4;
  /** {@code runner kill} ended the run (128 + SIGKILL, as a shell reports a killed process). */
  static final int KILLED = 137;
  /** Ctrl-C, SIGTERM or SIGHUP, after the launched tasks were killed (128 + SIGINT for all three). */
  static final int INTERRUPTED = 130;

  private ExitCode() {}

  /** The exit code of a run that ended with {@code outcome}. */
  static int of(Outcome outcome) {
    return RunStatus.of(outcome).exitCode();
  }
}
