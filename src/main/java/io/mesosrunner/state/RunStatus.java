package io.mesosrunner.state;

import io.mesosrunner.schedule.Outcome;

/**
 * Where a run stands, in the words and with the exit code every command uses for it ({@code
 * status}, {@code status -o json}, {@code wait}, {@code report}, the summary at the end of {@code
 * run}). The README's table of run states is this enum.
 */
public enum RunStatus {
  /** Not ended, and its runner is alive. */
  RUNNING("running", null, false),
  /** Every instance completed. */
  SUCCEEDED("succeeded", 0, false),
  /** An instance ran out of retries, or the deadline passed. */
  FAILED("failed", 1, false),
  /** The cluster could not be reached or refused the framework; the same command resumes what it launched. */
  COULD_NOT_RUN("could not run", 3, true),
  /**
   * The run's journal could not be written (no space, read-only, deleted): the runner killed what
   * it launched and stopped; the same command resumes once that is fixed.
   */
  JOURNAL_FAILED("journal not written", 4, true),
  /** Ctrl-C, SIGTERM or SIGHUP stopped its runner after its tasks were killed; the same command resumes. */
  INTERRUPTED("interrupted", 130, true),
  /** Not ended, and no runner is attached (killed with SIGKILL, power lost); the same command resumes. */
  NOT_ATTACHED("not attached", 130, true),
  /** {@code runner kill} ended it: tasks killed, framework torn down; the next run is a new one. */
  KILLED("killed", 137, false);

  private final String word;
  private final Integer exitCode;
  private final boolean resumable;

  RunStatus(String word, Integer exitCode, boolean resumable) {
    this.word = word;
    this.exitCode = exitCode;
    this.resumable = resumable;
  }

  /** The word commands print ({@code could not run}). */
  public String word() {
    return word;
  }

  /** The exit code of the run, {@code wait} and {@code status}; null while it runs. */
  public Integer exitCode() {
    return exitCode;
  }

  /** Whether running the same command again carries this run on (rather than starting a new one). */
  public boolean resumable() {
    return resumable;
  }

  /** Whether the run is over (no runner works on it now). */
  public boolean over() {
    return exitCode != null;
  }

  /** The state of a run that recorded {@code outcome} as its end. */
  public static RunStatus of(Outcome outcome) {
    return switch (outcome) {
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case CLUSTER_FAILED -> COULD_NOT_RUN;
      case INTERRUPTED -> INTERRUPTED;
      case KILLED -> KILLED;
    };
  }

  /** The state of a run whose runner exited with {@code exitCode} without recording an end. */
  public static RunStatus ofExitCode(int exitCode) {
    for (RunStatus s : values()) {
      if (s != NOT_ATTACHED && s.exitCode != null && s.exitCode == exitCode) return s;
    }
    return FAILED;
  }
}
