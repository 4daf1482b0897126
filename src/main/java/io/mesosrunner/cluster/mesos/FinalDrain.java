package io.mesosrunner.cluster.mesos;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AgentFileTailer}'s last read of every task not yet read to the end: which tasks are
 * still to read, which reads are in flight, and until when it may take. It begins once the poll
 * round in flight (if any) has finished its task.
 *
 * <p>Threading: the tailer's owner thread only.
 */
final class FinalDrain {

  private static final Logger log = LoggerFactory.getLogger(FinalDrain.class);

  private final long deadline;
  private final CompletableFuture<Void> done;
  /** The tasks not started yet; null until the drain begins. */
  private Deque<TaskOutput> pending;
  private final Set<TaskOutput.Read> reading = new HashSet<>();

  /** {@code deadline} in the tailer clock's millis; {@code done} is completed when the drain ends. */
  FinalDrain(long deadline, CompletableFuture<Void> done) {
    this.deadline = deadline;
    this.done = done;
  }

  long deadline() {
    return deadline;
  }

  CompletableFuture<Void> done() {
    return done;
  }

  /**
   * The poll round is out of the way: the drain reads these tasks, but for those read to the end
   * after their terminal update (a command task's files are complete once it has ended).
   */
  void begin(Collection<TaskOutput> tasks) {
    pending = new ArrayDeque<>();
    for (TaskOutput t : tasks) {
      if (!t.complete) {
        pending.add(t);
      }
    }
  }

  /** Whether the drain has begun and fewer than {@code max} reads are in flight. */
  boolean canStartAnother(int max) {
    return pending != null && reading.size() < max;
  }

  /** The next task to read, or null when none is left to start. */
  TaskOutput nextTask() {
    return pending.poll();
  }

  void started(TaskOutput.Read read) {
    reading.add(read);
  }

  void ended(TaskOutput.Read read) {
    reading.remove(read);
  }

  /** Every task has been read (or failed). */
  boolean isDone() {
    return pending != null && pending.isEmpty() && reading.isEmpty();
  }

  /** The budget is spent: says how many tasks' output is given up. */
  void giveUp() {
    if (pending == null) {
      return;
    }
    int unanswered = reading.size() + pending.size();
    if (unanswered > 0) {
      log.warn("output of {} task(s) not read to the end within the close time; giving up on it", unanswered);
    }
  }
}
