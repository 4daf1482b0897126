package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;


import java.time.Instant;

/**
 * One attempt of one instance, as the summary and the JSON report show it. Immutable snapshot.
 *
 * @param taskId    the task id
 * @param attempt   1-based attempt number of the instance
 * @param agentId   the agent it was placed on
 * @param hostname  that agent's host name
 * @param state     the latest state reported
 * @param exitCode  the command's exit status when known, else null
 * @param message   the latest status message, or null
 * @param cause     why the attempt ended, when it ended other than by finishing (else null)
 * @param startedAt when it was launched
 * @param endedAt   when its terminal update arrived, or null while it runs
 * @param sandbox   where its files are, when the cluster says, else null
 */
public record AttemptRecord(
    String taskId, int attempt, String agentId, String hostname, TaskState state, Integer exitCode,
    String message, EndCause cause, Instant startedAt, Instant endedAt, String sandbox) {

  /** Why an attempt did not finish. */
  public enum EndCause {
    /** TASK_FAILED or TASK_ERROR: the job's own failure, uses up a retry. */
    FAILED,
    /** Ran past the job's per-attempt timeout and was killed: uses up a retry. */
    TIMED_OUT,
    /** Lost to the infrastructure (lost, dropped, gone, unreachable, killed by someone else). */
    LOST,
    /** Killed by the runner because the run was stopping. */
    STOPPED,
    /** Replaced: reported running again after a replacement was launched, and killed. */
    DUPLICATE
  }
}
