package io.mesosrunner.schedule;

import java.util.List;

/**
 * One instance of a job, as the summary and the JSON report show it. Immutable snapshot.
 *
 * @param index    0..instances-1
 * @param state    where it stands
 * @param failures attempts that failed on their own (counted against {@code retries})
 * @param losses   attempts lost to the infrastructure (counted against the loss bound)
 * @param attempts every attempt, oldest first
 */
public record InstanceRecord(int index, InstanceState state, int failures, int losses, List<AttemptRecord> attempts) {
  public InstanceRecord {
    attempts = List.copyOf(attempts);
  }

  /** The latest attempt, or null if none was launched. */
  public AttemptRecord lastAttempt() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }
}
