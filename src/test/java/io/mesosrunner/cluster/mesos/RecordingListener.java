package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that queues what it gets, for tests to take in order. */
final class RecordingListener implements ClusterListener {

  record Line(String taskId, OutputStreamKind stream, String text) {}

  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();

  @Override
  public void onEvent(Event event) {
    events.add(event);
  }

  @Override
  public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line) {
    lines.add(new Line(task.taskId(), stream, new String(line, java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** The next event of this type, skipping others; fails after 20 s. */
  <T extends Event> T next(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      long left = deadline - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no " + type.getSimpleName() + " event within 20 s");
      }
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
  }

  /**
   * The first event matching {@code wanted} that arrives within {@code window}, or null: for
   * asserting that something does not happen during a bounded window.
   */
  Event eventWithin(java.time.Duration window, java.util.function.Predicate<Event> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    for (Event e : events) {
      if (wanted.test(e)) return e;
    }
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return null;
      Event e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e != null && wanted.test(e)) return e;
    }
  }
}
