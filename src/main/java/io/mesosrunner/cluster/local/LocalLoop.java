package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's event-loop thread and the listener it reports to. Everything the
 * {@link LocalMaster} keeps is touched on this thread only: other threads {@link #post} work to
 * it. An exception in posted work becomes a {@link Event.ClusterFailed}, never a dead thread.
 *
 * <p>Thread-safe. Events are delivered on the loop thread, output lines on the tailer's thread;
 * after a teardown ({@link #tearDown}) neither is delivered any more.
 */
final class LocalLoop {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLoop.class);

  private final ScheduledThreadPoolExecutor loop;
  /** The uuids of updates sent and not acknowledged yet. */
  final Set<String> unacked = ConcurrentHashMap.newKeySet();
  private volatile ClusterListener listener;
  private volatile boolean tornDown;

  LocalLoop() {
    this.loop = new ScheduledThreadPoolExecutor(1, named("local-cluster"));
    loop.setRemoveOnCancelPolicy(true);
  }

  static ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  void listenWith(ClusterListener listener) {
    this.listener = listener;
  }

  boolean started() {
    return listener != null;
  }

  /** No event or output line is delivered from now on. */
  void tearDown() {
    tornDown = true;
  }

  boolean tornDown() {
    return tornDown;
  }

  /** Runs {@code r} on the loop thread; dropped once the loop is shut down. */
  void post(Runnable r) {
    if (loop.isShutdown()) {
      return;
    }
    try {
      loop.execute(() -> guarded(r));
    } catch (RejectedExecutionException e) {
      LOG.debug("local cluster closed, dropped a command");
    }
  }

  /** Runs {@code r} on the loop thread, unguarded; throws when the loop is shut down. */
  void execute(Runnable r) {
    loop.execute(r);
  }

  /** Runs {@code r} on the loop thread after {@code delayNanos}. */
  ScheduledFuture<?> schedule(Runnable r, long delayNanos) {
    return loop.schedule(() -> guarded(r), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void guarded(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("local cluster internal error: {}", e.toString(), e);
      emit(new Event.ClusterFailed("local cluster internal error: " + e));
    }
  }

  /** Delivers an event to the listener, unless torn down. */
  void emit(Event event) {
    ClusterListener l = listener;
    if (tornDown || l == null) {
      return;
    }
    try {
      l.onEvent(event);
    } catch (RuntimeException e) {
      LOG.error("cluster listener failed on {}: {}", event, e.toString(), e);
    }
  }

  /** Delivers a line of task output, unless torn down; on the tailer's thread. */
  void deliverLine(TaskSpec task, ClusterListener.OutputStreamKind kind, byte[] line, LineEnd end) {
    ClusterListener l = listener;
    if (l != null && !tornDown) {
      l.onOutput(task, kind, line, end);
    }
  }

  /** Stops the loop thread, waiting up to {@code millis} for work in progress. */
  void shutDown(long millis) {
    loop.shutdownNow();
    awaitQuietly(loop, millis);
  }

  static void awaitQuietly(ExecutorService e, long millis) {
    try {
      if (!e.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        e.shutdownNow();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
