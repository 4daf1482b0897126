package io.mesosrunner.state;

import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.SchedulerJournal;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scheduler's journal, written to a {@link RunJournal}: records collect in memory while the
 * scheduler handles a batch of events, and {@link #flush()} appends them as one durable batch.
 * Called from the scheduler's thread only.
 */
public final class JournalWriter implements SchedulerJournal {

  private final RunJournal journal;
  private final List<JournalRecord> batch = new ArrayList<>();
  private final Consumer<JournalRecord> appended;

  public JournalWriter(RunJournal journal) {
    this(journal, r -> { });
  }

  /**
   * A writer that hands each record to {@code appended} once it is durable (the run's own
   * {@link RunFold}, so that what the runner shows at its end is what its journal says).
   */
  public JournalWriter(RunJournal journal, Consumer<JournalRecord> appended) {
    this.journal = journal;
    this.appended = appended;
  }

  @Override
  public void frameworkRegistered(String frameworkId) {
    batch.add(new FrameworkRegistered(frameworkId));
  }

  @Override
  public void taskLaunched(String taskId, int instance, int attempt, String agentId, String hostname, Instant at) {
    batch.add(new TaskLaunched(taskId, instance, attempt, agentId, hostname, at.toEpochMilli()));
  }

  @Override
  public void taskStateChanged(String taskId, TaskState state, Integer exitCode, String message, EndCause cause,
      Instant at) {
    batch.add(new TaskStateChanged(taskId, state.name(), exitCode, message, cause == null ? null : cause.name(),
        at.toEpochMilli()));
  }

  @Override
  public void taskReason(String taskId, String reason, TaskStatus.Source source, Instant at) {
    if (reason == null) return;
    batch.add(new JournalRecord.TaskReasonGiven(taskId, reason, source == null ? null : source.name(),
        at.toEpochMilli()));
  }

  @Override
  public void instanceCompleted(int instance, String taskId, Instant at) {
    batch.add(new InstanceCompleted(instance, taskId, at.toEpochMilli()));
  }

  @Override
  public void instanceFailed(int instance, String reason, Instant at) {
    batch.add(new InstanceFailed(instance, reason, at.toEpochMilli()));
  }

  @Override
  public void runEnded(Outcome outcome, String reason, Instant at) {
    batch.add(new RunEnded(outcome.name(), reason, at.toEpochMilli()));
  }

  /** Records a utilisation sample (see {@link JournalRecord.Utilisation}); flushed with the next batch. */
  public void utilisation(Instant at, double cpusInUse, double cpusOffered, int running, int waiting,
      String waitReason) {
    batch.add(new JournalRecord.Utilisation(at.toEpochMilli(), Math.round(cpusInUse * 1000),
        Math.round(cpusOffered * 1000), running, waiting, waitReason == null || waitReason.isEmpty() ? null : waitReason));
  }

  /** Records the last stderr lines of an attempt; flushed with the next batch. */
  public void stderrTail(String taskId, List<String> lines) {
    batch.add(new JournalRecord.StderrTail(taskId, String.join("\n", lines)));
  }

  @Override
  public void flush() throws IOException {
    if (batch.isEmpty()) return;
    journal.append(batch);
    journal.checkInPlace();
    for (JournalRecord r : batch) appended.accept(r);
    batch.clear();
  }
}
