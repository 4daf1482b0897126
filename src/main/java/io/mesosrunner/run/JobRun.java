package io.mesosrunner.run;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.schedule.AttemptEnded;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.schedule.SchedulerJournal;


import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link JobScheduler} against one {@link Cluster}: the single thread that owns the
 * scheduler's state. Adapters only enqueue events (through {@link #listener()}); this loop takes
 * them one at a time, feeds them to the scheduler and carries out the actions it returns. When no
 * event arrives for a tick interval, a {@link Event.Tick} lets time-based rules act.
 *
 * <p>An exception thrown while handling an event never kills the loop silently: it is logged and
 * turned into an interrupt, so what was launched is killed and the run ends.
 */
public final class JobRun {

  private static final Logger log = LoggerFactory.getLogger(JobRun.class);

  /** Sees the run as it goes. Called on the loop thread, except {@link #onOutput}. */
  public interface Observer {
    /**
     * A line of task output, its bytes as the task wrote them (see {@link ClusterListener#onOutput});
     * called from adapter threads, must be thread-safe.
     */
    void onOutput(TaskSpec task, ClusterListener.OutputStreamKind stream, byte[] line, LineEnd end);

    /** Called after events, at most every {@code progressEvery}. */
    void onProgress(Progress progress);

    /**
     * An attempt failed, timed out or was lost, with whether and when its instance is retried;
     * called once its batch of events is durable in the journal, in the order they ended. Not a
     * default method on purpose: an observer that wraps another must pass it on.
     */
    void onAttemptEnded(AttemptEnded ended);
  }

  private final JobScheduler scheduler;
  private final Cluster cluster;
  private final Clock clock;
  private final Duration tick;
  private final Duration progressEvery;
  private final Observer observer;
  private final SchedulerJournal journal;
  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final List<Action> pending = new ArrayList<>();
  private volatile Throwable internalError;
  private volatile IOException journalError;

  public JobRun(JobScheduler scheduler, Cluster cluster, Clock clock, Duration tick, Duration progressEvery,
      Observer observer) {
    this(scheduler, cluster, clock, tick, progressEvery, observer, SchedulerJournal.NONE);
  }

  /**
   * A run whose scheduler records into {@code journal} (the same journal the scheduler was built
   * with): after each batch of events the journal is flushed, and only then are the batch's
   * actions carried out.
   */
  public JobRun(JobScheduler scheduler, Cluster cluster, Clock clock, Duration tick, Duration progressEvery,
      Observer observer, SchedulerJournal journal) {
    this.journal = journal;
    this.scheduler = scheduler;
    this.cluster = cluster;
    this.clock = clock;
    this.tick = tick;
    this.progressEvery = progressEvery;
    this.observer = observer;
  }

  /** What adapters deliver to; thread-safe, never blocks. */
  ClusterListener listener() {
    return new ClusterListener() {
      @Override
      public void onEvent(Event event) {
        queue.add(event);
      }

      @Override
      public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {
        observer.onOutput(task, stream, line, end);
      }
    };
  }

  /** Asks the run to stop (Ctrl-C, SIGTERM); thread-safe. */
  public void interrupt(String why) {
    queue.add(new Event.InterruptRequested(why));
  }

  /**
   * Why the journal could not be written (no space, read-only, deleted under the run), or null:
   * the run then stopped launching and killed what it had launched.
   */
  public IOException journalError() {
    return journalError;
  }

  /** The exception that broke the loop, if any. */
  public Throwable internalError() {
    return internalError;
  }

  /** Runs until the scheduler says the run is over. Blocks the calling thread, which owns the state. */
  public Outcome run() {
    cluster.start(listener());
    Instant lastProgress = Instant.MIN;
    long tickMillis = Math.max(1, tick.toMillis());
    while (!scheduler.isEnded()) {
      Event event;
      try {
        event = queue.poll(tickMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        event = new Event.InterruptRequested("interrupted");
      }
      if (event == null) event = new Event.Tick();
      step(event);
      // Group commit: take what else is queued, then one durable write for the whole batch.
      for (int i = 0; i < MAX_BATCH && !scheduler.isEnded(); i++) {
        Event more = queue.poll();
        if (more == null) break;
        step(more);
      }
      commit();
      for (AttemptEnded ended : scheduler.takeEndedAttempts()) observer.onAttemptEnded(ended);
      Instant now = clock.instant();
      if (lastProgress == Instant.MIN || !now.isBefore(lastProgress.plus(progressEvery)) || scheduler.isEnded()) {
        lastProgress = now;
        observer.onProgress(scheduler.progress());
      }
    }
    return scheduler.outcome();
  }

  /** Without a durable record nothing new may be launched or acknowledged: keep only what stops the run. */
  private void stopWithoutJournal(String why) {
    pending.removeIf(a -> a instanceof Action.Launch || a instanceof Action.Acknowledge);
    pending.addAll(scheduler.handle(new Event.InterruptRequested(why)));
    pending.removeIf(a -> a instanceof Action.Launch || a instanceof Action.Acknowledge);
  }

  /** Events handled before one journal flush, at most. */
  static final int MAX_BATCH = 256;

  private void step(Event event) {
    try {
      pending.addAll(scheduler.handle(event));
    } catch (RuntimeException e) {
      log.error("internal error while handling {}", event.getClass().getSimpleName(), e);
      if (internalError == null) internalError = e;
      pending.addAll(scheduler.handle(new Event.InterruptRequested("internal error: " + e)));
    }
  }

  /** Makes the batch's state durable, then carries out its actions (the write-ahead rule). */
  private void commit() {
    if (journalError != null) {
      // Nothing more can be made durable: only what stops the run is carried out.
      pending.removeIf(a -> a instanceof Action.Launch || a instanceof Action.Acknowledge);
    } else {
      try {
        journal.flush();
      } catch (IOException e) {
        // One line for the user comes from the command; the trace only with --verbose.
        log.debug("cannot write the run journal", e);
        journalError = e;
        stopWithoutJournal("cannot write the run journal: " + e.getMessage());
      } catch (RuntimeException e) {
        log.error("cannot write the run journal", e);
        if (internalError == null) internalError = e;
        stopWithoutJournal("cannot write the run journal: " + e);
      }
    }
    for (Action a : pending) {
      try {
        cluster.execute(a);
      } catch (RuntimeException e) {
        log.error("cluster failed to carry out {}", a.getClass().getSimpleName(), e);
        if (internalError == null) internalError = e;
      }
    }
    pending.clear();
  }
}
