package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskReason;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.time.Duration;
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
 * @param reason    the reason name of its latest update ({@link TaskReason}), or null
 * @param source    who sent its latest update, or null when not known
 * @param unreachableFor how long its agent was unreachable before the task was heard from again,
 *                  or null when it never was (or never came back)
 */
public record AttemptRecord(
    String taskId, int attempt, String agentId, String hostname, TaskState state, Integer exitCode,
    String message, EndCause cause, Instant startedAt, Instant endedAt, String sandbox, String reason,
    TaskStatus.Source source, Duration unreachableFor) {

  /** An attempt whose updates gave no reason. */
  public AttemptRecord(String taskId, int attempt, String agentId, String hostname, TaskState state, Integer exitCode,
      String message, EndCause cause, Instant startedAt, Instant endedAt, String sandbox) {
    this(taskId, attempt, agentId, hostname, state, exitCode, message, cause, startedAt, endedAt, sandbox, null, null,
        null);
  }

  /** Why an attempt did not finish. */
  public enum EndCause {
    /** The task's own failure (see {@code cluster.Blame}): uses up a retry. */
    FAILED,
    /** Ran past the job's per-attempt timeout and was killed: uses up a retry. */
    TIMED_OUT,
    /**
     * Lost to the cluster (lost, dropped, gone, unreachable past the grace, killed by someone else,
     * or failed for a reason that is the cluster's, see {@code cluster.Blame}).
     */
    LOST,
    /** Killed by the runner because the run was stopping. */
    STOPPED,
    /** Replaced: reported running again after a replacement was launched, and killed. */
    DUPLICATE
  }
}
