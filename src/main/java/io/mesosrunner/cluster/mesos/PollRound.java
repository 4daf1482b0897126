package io.mesosrunner.cluster.mesos;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;

/**
 * One pass of the {@link AgentFileTailer} over the tasks it tracked when the pass began, one task
 * at a time, in the order they were tracked. A task is read as it stands when its turn comes:
 * whether it has ended, and whether its linger time is over (then this is its last read).
 *
 * <p>Threading: the tailer's owner thread only.
 */
final class PollRound {

  private final Deque<String> left;
  private TaskOutput.Read reading;

  PollRound(Collection<String> taskIds) {
    this.left = new ArrayDeque<>(taskIds);
  }

  /**
   * The read of the next task still tracked, not started yet; null when none is left.
   *
   * @param now    the tailer clock's millis
   * @param linger how long a task is still read after its terminal update
   */
  TaskOutput.Read next(Map<String, TaskOutput> tasks, long now, Duration linger) {
    String id;
    while ((id = left.poll()) != null) {
      TaskOutput out = tasks.get(id);
      if (out != null && out.read == null) {
        boolean ended = out.terminalAt >= 0;
        boolean last = ended && now >= out.terminalAt + linger.toMillis();
        reading = out.new Read(TaskOutput.Purpose.POLL, ended, last);
        return reading;
      }
    }
    reading = null;
    return null;
  }

  /** Whether {@code read} is the one this round is waiting for. */
  boolean isReading(TaskOutput.Read read) {
    return read == reading;
  }
}
