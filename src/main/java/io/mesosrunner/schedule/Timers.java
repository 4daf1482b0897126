package io.mesosrunner.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * What is due when: the end of an instance's backoff, an attempt's timeout, the resend of a kill
 * that got no terminal update, the end of the grace an unreachable attempt's agent has to come back. Each queue is ordered by due time; the scheduler takes what is due
 * at the time of each event. Entries are not removed when they become moot: the scheduler checks,
 * when one falls due, whether it still applies.
 */
final class Timers {

  static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(60);

  /** 1 s, 2 s, 4 s ... at most 60 s, for the n-th failure (n >= 1). */
  static Duration backoff(int failures) {
    int shift = Math.min(failures - 1, 20);
    Duration d = BACKOFF_BASE.multipliedBy(1L << shift);
    return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
  }

  /** One due time, for an instance (backoff) or an attempt (timeout, kill resend). */
  record Timer(Instant at, int instance, String taskId) {}

  /** Instance index to its step's per-attempt timeout, null for none. */
  private final java.util.function.IntFunction<Duration> timeout;
  private final PriorityQueue<Timer> backoffs = new PriorityQueue<>(Comparator.comparing(Timer::at));
  private final PriorityQueue<Timer> timeouts = new PriorityQueue<>(Comparator.comparing(Timer::at));
  private final PriorityQueue<Timer> killResends = new PriorityQueue<>(Comparator.comparing(Timer::at));
  private final PriorityQueue<Timer> graceEnds = new PriorityQueue<>(Comparator.comparing(Timer::at));

  /** @param timeout the job's per-attempt timeout, or null for none */
  Timers(Duration timeout) {
    this(i -> timeout);
  }

  /** @param timeout the per-attempt timeout of an instance (its step's), or null for none */
  Timers(java.util.function.IntFunction<Duration> timeout) {
    this.timeout = timeout;
  }

  void backoffUntil(Instant at, int instance) {
    backoffs.add(new Timer(at, instance, null));
  }

  /** The next backoff due at {@code now}, taken off the queue, or null. */
  Timer dueBackoff(Instant now) {
    return due(backoffs, now);
  }

  /** When the earliest backoff ends, or null. */
  Instant nextBackoffEnd() {
    Timer next = backoffs.peek();
    return next == null ? null : next.at();
  }

  void clearBackoffs() {
    backoffs.clear();
  }

  /** Starts the job's timeout for an attempt launched (or adopted) at {@code now}; none without one. */
  void startTimeout(int instance, String taskId, Instant now) {
    Duration limit = timeout.apply(instance);
    if (limit != null) timeouts.add(new Timer(now.plus(limit), instance, taskId));
  }

  Timer dueTimeout(Instant now) {
    return due(timeouts, now);
  }

  void resendKillAt(Instant at, int instance, String taskId) {
    killResends.add(new Timer(at, instance, taskId));
  }

  Timer dueKillResend(Instant now) {
    return due(killResends, now);
  }

  /** The grace of an attempt whose agent became unreachable ends at {@code at}. */
  void graceEndsAt(Instant at, int instance, String taskId) {
    graceEnds.add(new Timer(at, instance, taskId));
  }

  Timer dueGraceEnd(Instant now) {
    return due(graceEnds, now);
  }

  private static Timer due(PriorityQueue<Timer> queue, Instant now) {
    Timer next = queue.peek();
    return next != null && !next.at().isAfter(now) ? queue.poll() : null;
  }
}
