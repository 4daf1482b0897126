package io.mesosrunner.cluster.mesos;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs submitted calls in submission order on a few threads: an independent call starts as soon
 * as it is at the head and a thread is free (so up to {@code threads} of them run at once); any
 * other call is a barrier: it starts only when every call submitted before it has finished, and
 * runs alone. The thread that takes a call runs it, so a call costs one hand-off (the submitter
 * to a call thread), not two through an ordering thread and a pool.
 *
 * <p>Thread-safe. Threads start with the first submitted call and end after {@link #close}.
 */
final class CallQueue {

  private static final Logger log = LoggerFactory.getLogger(CallQueue.class);

  private record Queued(boolean independent, Runnable attempt) {}

  private final int threads;
  private final ThreadFactory factory;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final List<Thread> started = new ArrayList<>();
  private int independentRunning;
  private boolean barrierRunning;
  private boolean closed;

  CallQueue(int threads, ThreadFactory factory) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads (" + threads + ") must be >= 1");
    }
    this.threads = threads;
    this.factory = factory;
  }

  /** Queues a call; false (and the call is dropped) once the queue is closed. */
  boolean submit(boolean independent, Runnable attempt) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      if (started.isEmpty()) {
        for (int i = 0; i < threads; i++) {
          Thread t = factory.newThread(this::work);
          started.add(t);
          t.start();
        }
      }
      queue.add(new Queued(independent, attempt));
      changed.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The head of the queue if it may start now, taken and counted as running. Lock held. */
  private Queued takeReady() {
    Queued head = queue.peek();
    if (head == null || barrierRunning) {
      return null;
    }
    if (head.independent()) {
      independentRunning++;
    } else if (independentRunning == 0) {
      barrierRunning = true;
    } else {
      return null;
    }
    return queue.poll();
  }

  private void work() {
    while (true) {
      Queued next;
      lock.lock();
      try {
        while ((next = takeReady()) == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          changed.await();
        }
        if (!queue.isEmpty()) {
          // More may be startable: wake another thread rather than leave it to the next submit.
          changed.signal();
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        next.attempt().run();
      } catch (RuntimeException e) {
        log.error("a call failed unexpectedly", e);
      } finally {
        lock.lock();
        try {
          if (next.independent()) {
            independentRunning--;
          } else {
            barrierRunning = false;
          }
          // This thread looks at the head itself next; on close every thread must see the end.
          if (closed) {
            changed.signalAll();
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * Stops taking calls and waits up to {@code drain} for the queued and running ones to finish;
   * after that the call threads are interrupted. Returns whether everything finished in time.
   */
  boolean close(Duration drain) throws InterruptedException {
    List<Thread> threadsToJoin;
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
      threadsToJoin = List.copyOf(started);
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + drain.toNanos();
    boolean drained = true;
    for (Thread t : threadsToJoin) {
      long leftMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      if (leftMs > 0) {
        t.join(leftMs);
      }
      if (t.isAlive()) {
        drained = false;
      }
    }
    if (!drained) {
      threadsToJoin.forEach(Thread::interrupt);
    }
    return drained;
  }
}
