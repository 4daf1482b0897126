package io.mesosrunner.cluster.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.job.Command;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
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
 * A scheduler-like test helper: queues everything the cluster delivers, in the order it came,
 * and has small helpers to wait for offers and updates and to build tasks.
 */
final class RecordingListener implements ClusterListener {

  /** One output line, as delivered. */
  /** A line of output, as text (decoded as UTF-8) and as the bytes delivered. */
  record Output(String taskId, OutputStreamKind kind, String line, byte[] bytes) {}

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /** Everything taken from the queue so far, in order. */
  final List<Object> seen = new ArrayList<>();

  @Override
  public void onEvent(Event event) {
    queue.add(event);
  }

  @Override
  public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line) {
    queue.add(new Output(task.taskId(), stream, new String(line, java.nio.charset.StandardCharsets.UTF_8), line));
  }

  /** The next item (event or output), or null after {@code timeout}. */
  Object poll(Duration timeout) throws InterruptedException {
    Object o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (o != null) {
      seen.add(o);
    }
    return o;
  }

  /** Skips items until one of type {@code type} arrives; fails after {@code timeout}. */
  <T> T next(Class<T> type, Duration timeout) throws InterruptedException {
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
  Offer nextOffer() throws InterruptedException {
    Event.OffersReceived e = next(Event.OffersReceived.class, Duration.ofSeconds(5));
    assertThat(e.offers()).hasSize(1);
    return e.offers().get(0);
  }

  /** Whether an offer arrives within {@code within}. */
  Offer offerWithin(Duration within) throws InterruptedException {
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
  TaskStatus nextUpdate(String taskId) throws InterruptedException {
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
  List<TaskStatus> updatesUntilTerminal(String taskId) throws InterruptedException {
    List<TaskStatus> out = new ArrayList<>();
    TaskStatus s;
    do {
      s = nextUpdate(taskId);
      out.add(s);
    } while (!s.state().isTerminal());
    return out;
  }

  /** The task's terminal update, after the ones before it. */
  TaskStatus terminalUpdate(String taskId) throws InterruptedException {
    List<TaskStatus> updates = updatesUntilTerminal(taskId);
    return updates.get(updates.size() - 1);
  }

  /** Output lines of a task seen so far. */
  List<String> lines(String taskId, OutputStreamKind kind) {
    List<String> out = new ArrayList<>();
    for (Object o : seen) {
      if (o instanceof Output l && l.taskId().equals(taskId) && l.kind() == kind) {
        out.add(l.line());
      }
    }
    return out;
  }

  // ---- fixtures ----

  static Job job(String name, Command command, double cpus, double memMb) {
    return new Job(name, command, cpus, memMb, 0, 0, 0, 1, 1, 0, null, null,
        Map.of(), List.of(), "*", null, List.of(), null, Map.of());
  }

  static Job shellJob(String name, String command) {
    return job(name, Command.shell(command), 0.1, 32);
  }

  static TaskSpec task(String taskId, Job job, Offer offer) {
    return task(taskId, job, offer, Map.of());
  }

  static TaskSpec task(String taskId, Job job, Offer offer, Map<String, String> env) {
    Placement placement = new Placement(taskId, offer,
        new Resources(job.cpus(), job.memMb(), job.diskMb(), job.gpus()), List.of());
    return new TaskSpec(taskId, job, 0, 1, placement, env, Map.of());
  }

  static TaskState state(TaskStatus s) {
    return s.state();
  }
}
