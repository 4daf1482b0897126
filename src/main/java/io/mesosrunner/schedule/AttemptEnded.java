package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import java.time.Duration;

/**
 * An attempt that ended without completing its instance, and counted for it: it failed, timed
 * out, or was lost to the infrastructure. What a user wants to see as it happens ("instance 3
 * attempt 1 failed (exit 7), retrying in 1s"); taken from {@link JobScheduler#takeEndedAttempts()}.
 * Attempts killed because the run stops, and duplicates, are not reported.
 *
 * @param instance the instance index
 * @param attempt  the attempt number (1 for the first)
 * @param taskId   the attempt's task id
 * @param cause    FAILED, TIMED_OUT or LOST
 * @param state    the terminal state reported
 * @param exitCode the command's exit status when known, else null
 * @param message  the status message, or null
 * @param retryIn  when the instance is launched again: {@link Duration#ZERO} after a loss (at
 *                 once, once an offer comes), the backoff after a failure; null when it is not
 *                 launched again (out of retries, an exit code not retried, too many losses)
 */
public record AttemptEnded(int instance, int attempt, String taskId, EndCause cause, TaskState state,
    Integer exitCode, String message, Duration retryIn) {

  /** Whether the instance gets another attempt. */
  public boolean retried() {
    return retryIn != null;
  }
}
