package io.mesosrunner.cluster.mesos.testmaster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test master's time: one timer thread for every delayed step, and the clock its delays are
 * measured on. All of the master's waiting goes through here.
 */
final class MasterTimers {
    private final ScheduledThreadPoolExecutor executor;

    MasterTimers() {
        AtomicInteger n = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "test-master-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Monotonic nanoseconds for intervals. */
    long nanoTime() {
        return System.nanoTime();
    }

    /** Wall-clock time for what the master records and sends. */
    Instant now() {
        return Instant.now();
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    ScheduledFuture<?> every(Runnable task, Duration first, Duration period) {
        return executor.scheduleAtFixedRate(task, first.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    void execute(Runnable task) {
        executor.execute(task);
    }

    void shutdown() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
