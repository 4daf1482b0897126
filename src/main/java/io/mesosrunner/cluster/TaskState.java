package io.mesosrunner.cluster;

/** Task states, with the Mesos meaning and names (without the {@code TASK_} prefix). */
public enum TaskState {
  STAGING, STARTING, RUNNING, KILLING,
  FINISHED, FAILED, KILLED, ERROR,
  LOST, DROPPED, UNREACHABLE, GONE, GONE_BY_OPERATOR, UNKNOWN;

  /**
   * Whether the task has ended for good. {@code LOST} counts as terminal for the attempt, but a
   * non-partition-aware master can still report the same task running later; the scheduler
   * handles that.
   */
  public boolean isTerminal() {
    return switch (this) {
      case FINISHED, FAILED, KILLED, ERROR, LOST, DROPPED, GONE, GONE_BY_OPERATOR, UNKNOWN -> true;
      default -> false;
    };
  }
}
