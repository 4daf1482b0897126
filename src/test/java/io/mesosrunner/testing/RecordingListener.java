package io.mesosrunner.testing;

import io.mesosrunner.cluster.LineEnd;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.match.Offer;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The adapters' tests' stand-in for the scheduler: queues everything a cluster delivers, in the
 * order it came, with waits for offers, updates and output that fail after a timeout. Besides
 * the ordered queue ({@link #next}, which skips what it does not want), every output line also
 * goes to a queue of its own ({@link #nextLine}) and every event to a list ({@link #events()}),
 * so a test can look at lines and events independently.
 */
public final class RecordingListener implements ClusterListener {

  /** A line of output, as text (decoded as UTF-8) and as the bytes delivered. */
  public record Output(String taskId, OutputStreamKind kind, String line, byte[] bytes) {}

  /** A line of output as text, comparable with equals. */
  public record Line(String taskId, OutputStreamKind stream, String text) {}

  private final BlockingQueue<Line> lineQueue = new LinkedBlockingQueue<>();
  private final List<Event> allEvents = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /** Everything taken from the queue so far, in order. */
  public final List<Object> seen = new ArrayList<>();

  @Override
  public void onEvent(Event event) {
    allEvents.add(event);
    queue.add(event);
  }

  @Override
  public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {
    String text = new String(line, java.nio.charset.StandardCharsets.UTF_8);
    lineQueue.add(new Line(task.taskId(), stream, text));
    queue.add(new Output(task.taskId(), stream, text, line));
  }

  /** The next item (event or output), or null after {@code timeout}. */
  public Object poll(Duration timeout) throws InterruptedException {
    Object o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (o != null) {
      seen.add(o);
    }
    return o;
  }

  /** Skips items until one of type {@code type} arrives; fails after {@code timeout}. */
  public <T> T next(Class<T> type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Object o = left > 0 ? poll(Duration.ofNanos(left)) : null;
      if (o == null) {
        throw new AssertionError("no " + type.getSimpleName() + " within " + timeout + "; seen " + seen);
      }
      if (type.isInstance(o)) {
        return type.cast(o);
      }
    }
  }

  /** The next offer (the first of the next offers event). */
  public Offer nextOffer() throws InterruptedException {
    Event.OffersReceived e = next(Event.OffersReceived.class, Duration.ofSeconds(5));
    assertThat(e.offers()).hasSize(1);
    return e.offers().get(0);
  }

  /** Whether an offer arrives within {@code within}. */
  public Offer offerWithin(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Object o = left > 0 ? poll(Duration.ofNanos(left)) : null;
      if (o == null) {
        return null;
      }
      if (o instanceof Event.OffersReceived r) {
        return r.offers().get(0);
      }
    }
  }

  /** The next update about {@code taskId}. */
  public TaskStatus nextUpdate(String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Event.StatusUpdate u = next(Event.StatusUpdate.class,
          Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (u.status().taskId().equals(taskId)) {
        return u.status();
      }
    }
  }

  /** Updates about {@code taskId} until a terminal one (included). */
  public List<TaskStatus> updatesUntilTerminal(String taskId) throws InterruptedException {
    List<TaskStatus> out = new ArrayList<>();
    TaskStatus s;
    do {
      s = nextUpdate(taskId);
      out.add(s);
    } while (!s.state().isTerminal());
    return out;
  }

  /** The task's terminal update, after the ones before it. */
  public TaskStatus terminalUpdate(String taskId) throws InterruptedException {
    List<TaskStatus> updates = updatesUntilTerminal(taskId);
    return updates.get(updates.size() - 1);
  }

  /** Output lines of a task seen so far. */
  public List<String> lines(String taskId, OutputStreamKind kind) {
    List<String> out = new ArrayList<>();
    for (Object o : seen) {
      if (o instanceof Output l && l.taskId().equals(taskId) && l.kind() == kind) {
        out.add(l.line());
      }
    }
    return out;
  }

  /** The next event of this type, skipping others; fails after 20 s. */
  public <T> T next(Class<T> type) throws InterruptedException {
    return next(type, Duration.ofSeconds(20));
  }

  /** The next output line (in the order lines came, whatever events were taken), or null after {@code timeout}. */
  public Line nextLine(Duration timeout) throws InterruptedException {
    return lineQueue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Every event delivered so far, in order. */
  public List<Event> events() {
    return List.copyOf(allEvents);
  }

  /**
   * The first event matching {@code wanted} delivered so far or within {@code window}, or null:
   * for asserting that something does not happen during a bounded window.
   */
  public Event eventWithin(Duration window, java.util.function.Predicate<Event> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      for (Event e : allEvents) {
        if (wanted.test(e)) return e;
      }
      if (System.nanoTime() > deadline) return null;
      Thread.sleep(10);
    }
  }
}
