package io.mesosrunner.cli;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.SchedulerJournal;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The scheduler's journal with an observer: every fact is passed on to the real journal and, as
 * the {@link JournalRecord} the journal will hold, to {@code observer}, so the running runner shows
 * the same instance events that {@code runner status --watch} reads back from the file. Called
 * from the scheduler's thread only, like the journal itself.
 */
final class ObservedJournal implements SchedulerJournal {

  private final SchedulerJournal journal;
  private final Consumer<JournalRecord> observer;

  ObservedJournal(SchedulerJournal journal, Consumer<JournalRecord> observer) {
    this.journal = journal;
    this.observer = observer;
  }

  @Override
  public void frameworkRegistered(String frameworkId) {
    journal.frameworkRegistered(frameworkId);
    observer.accept(new FrameworkRegistered(frameworkId));
  }

  @Override
  public void taskLaunched(String taskId, int instance, int attempt, String agentId, String hostname, Instant at) {
    journal.taskLaunched(taskId, instance, attempt, agentId, hostname, at);
    observer.accept(new TaskLaunched(taskId, instance, attempt, agentId, hostname, at.toEpochMilli()));
  }

  @Override
  public void taskStateChanged(String taskId, TaskState state, Integer exitCode, String message, EndCause cause,
      Instant at) {
    journal.taskStateChanged(taskId, state, exitCode, message, cause, at);
    observer.accept(new TaskStateChanged(taskId, state.name(), exitCode, message, cause == null ? null : cause.name(),
        at.toEpochMilli()));
  }

  @Override
  public void instanceCompleted(int instance, String taskId, Instant at) {
    journal.instanceCompleted(instance, taskId, at);
    observer.accept(new InstanceCompleted(instance, taskId, at.toEpochMilli()));
  }

  @Override
  public void instanceFailed(int instance, String reason, Instant at) {
    journal.instanceFailed(instance, reason, at);
    observer.accept(new InstanceFailed(instance, reason, at.toEpochMilli()));
  }

  @Override
  public void runEnded(Outcome outcome, String reason, Instant at) {
    journal.runEnded(outcome, reason, at);
    observer.accept(new RunEnded(outcome.name(), reason, at.toEpochMilli()));
  }

  @Override
  public void flush() throws IOException {
    journal.flush();
  }
}
