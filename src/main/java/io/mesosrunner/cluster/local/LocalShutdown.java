package io.mesosrunner.cluster.local;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a local cluster closes without leaving anything running: a teardown on the event loop
 * (SIGTERM to every task's tree), then, on the closing thread, SIGTERM again to tasks whose
 * process started while the teardown ran, SIGKILL to every tree after the grace period, a wait
 * for the processes and the descendants seen, and last the threads and the starter.
 *
 * <p>Threading: {@link #run} runs on the thread that calls {@link LocalCluster#close} (or the
 * JVM's shutdown hook), once; it reads only the thread-safe fields of the tasks it got from the
 * event loop.
 */
final class LocalShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(LocalShutdown.class);

  private final LocalConfig config;
  private final LocalLoop loop;
  private final LocalMaster master;
  private final LocalExecutor executor;

  LocalShutdown(LocalConfig config, LocalLoop loop, LocalMaster master, LocalExecutor executor) {
    this.config = config;
    this.loop = loop;
    this.master = master;
    this.executor = executor;
  }

  void run() {
    loop.tearDown();
    CompletableFuture<List<LocalTask>> running = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          master.teardown();
          running.complete(master.activeTasks());
        } catch (RuntimeException e) {
          running.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      running.complete(List.of());
    }
    List<LocalTask> tasks;
    try {
      tasks = running.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("local cluster did not stop its tasks in time: {}", e.toString());
      tasks = List.of();
    }
    ProcessTrees trees = executor.trees();
    if (trees == null) {
      stopThreads();
      return;
    }
    waitForStarts(tasks, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    executor.stopSignalling(5_000);
    // Tasks whose process started while the teardown ran were not signalled by it.
    for (LocalTask t : tasks) {
      if (t.pid != 0 && t.gone.getCount() > 0) {
        trees.signal(t.pid, t.seen, false);
      }
    }
    long deadline = System.nanoTime() + config.killGrace().toNanos() + TimeUnit.SECONDS.toNanos(1);
    waitForExit(tasks, deadline);
    for (LocalTask t : tasks) {
      if (t.pid != 0) {
        trees.signal(t.pid, t.seen, true);
      }
    }
    waitForExit(tasks, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    waitForDescendants(tasks, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    for (LocalTask t : tasks) {
      if (t.pid != 0) {
        trees.sweepLater(t.pid);
      }
    }
    stopThreads();
    trees.sweep();
    executor.closeStarter();
  }

  private void stopThreads() {
    executor.stopSignallingNow();
    loop.shutDown(2_000);
    executor.stopTailer();
  }

  /** Waits until every task's start has been reported (a pid, or its end). */
  private static void waitForStarts(List<LocalTask> tasks, long deadlineNanos) {
    for (LocalTask t : tasks) {
      while (t.pid == 0 && t.gone.getCount() > 0 && System.nanoTime() < deadlineNanos) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void waitForExit(List<LocalTask> tasks, long deadlineNanos) {
    for (LocalTask t : tasks) {
      long left = deadlineNanos - System.nanoTime();
      if (t.pid == 0 || left <= 0) {
        continue;
      }
      try {
        t.gone.await(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until every descendant seen by a kill is gone (re-parented ones are not our children). */
  private static void waitForDescendants(List<LocalTask> tasks, long deadlineNanos) {
    for (LocalTask t : tasks) {
      for (ProcessHandle h : t.seen) {
        while (h.isAlive() && System.nanoTime() < deadlineNanos) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
