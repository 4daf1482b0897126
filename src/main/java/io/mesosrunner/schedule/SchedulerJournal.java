package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;


import java.io.IOException;
import java.time.Instant;

/**
 * Where the scheduler writes down what happened, so a restarted runner can resume the run. The
 * scheduler calls the recording methods while it handles an event; the run loop calls
 * {@link #flush()} before it carries out the event's actions. That order is the write-ahead rule:
 * a task is recorded before the ACCEPT that launches it is sent, and a state change is recorded
 * before the update that reported it is acknowledged.
 *
 * <p>Called from the scheduler's thread only.
 */
public interface SchedulerJournal {

  void frameworkRegistered(String frameworkId);

  void taskLaunched(String taskId, int instance, int attempt, String agentId, String hostname, Instant at);

  void taskStateChanged(String taskId, TaskState state, Integer exitCode, String message, AttemptRecord.EndCause cause,
      Instant at);

  /**
   * The reason and sender of the update just recorded by {@link #taskStateChanged} for the same
   * task (either may be null), so that reports can say whose fault an end was. Journals without it
   * still read.
   */
  default void taskReason(String taskId, String reason, TaskStatus.Source source, Instant at) {}

  void instanceCompleted(int instance, String taskId, Instant at);

  void instanceFailed(int instance, String reason, Instant at);

  /** The run is over for good (succeeded or failed); interrupted runs stay resumable. */
  void runEnded(Outcome outcome, String reason, Instant at);

  /** Makes everything recorded so far durable. */
  void flush() throws IOException;

  /** Records nothing. */
  SchedulerJournal NONE = new SchedulerJournal() {
    @Override public void frameworkRegistered(String frameworkId) {}
    @Override public void taskLaunched(String taskId, int instance, int attempt, String agentId, String hostname, Instant at) {}
    @Override public void taskStateChanged(String taskId, TaskState state, Integer exitCode, String message,
        AttemptRecord.EndCause cause, Instant at) {}
    @Override public void instanceCompleted(int instance, String taskId, Instant at) {}
    @Override public void instanceFailed(int instance, String reason, Instant at) {}
    @Override public void runEnded(Outcome outcome, String reason, Instant at) {}
    @Override public void flush() {}
  };
}
