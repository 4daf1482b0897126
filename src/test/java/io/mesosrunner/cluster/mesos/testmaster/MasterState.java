package io.mesosrunner.cluster.mesos.testmaster;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Everything the test master knows, under one lock, and the parts that act on it. HTTP handlers
 * and timers take {@link #lock}; every method of the parts expects it held unless it says
 * otherwise. Stream writes happen under the lock, so events are totally ordered.
 */
final class MasterState {
    final TestMasterSettings<?> config;
    final String masterId;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final SecureRandom random = new SecureRandom();
    /** Shuffles the offers inside an OFFERS event; seeded so that a benchmark's runs repeat. */
    final java.util.Random offerOrder = new java.util.Random(20261207);
    final MasterTimers timers;
    volatile boolean closed;
    /** The master's HTTP port, once started. */
    volatile int port;

    final Map<String, Framework> frameworks = new LinkedHashMap<>();
    final Set<String> removedFrameworks = new HashSet<>();
    final Map<String, FakeAgent> agents = new LinkedHashMap<>();
    final Map<String, OfferState> offers = new LinkedHashMap<>();
    final List<ReceivedCall> calls = new ArrayList<>();
    final List<TestMaster.SentEvent> sentEvents = new ArrayList<>();
    final List<Violation> violations = new ArrayList<>();
    final List<Race> races = new ArrayList<>();
    /** Streams the master ended while their framework stayed known: stream id to when (timer nanos). */
    final Map<String, Long> endedStreams = new HashMap<>();
    final Map<ByteString, TestMaster.SentUpdate> unacked = new LinkedHashMap<>();
    final Set<ByteString> everSent = new HashSet<>();
    final List<org.apache.mesos.v1.Protos.TaskInfo> launched = new ArrayList<>();
    final Map<String, Integer> finishedCounts = new LinkedHashMap<>();
    final AtomicInteger frameworkSeq = new AtomicInteger();
    final AtomicInteger offerSeq = new AtomicInteger();
    final AtomicInteger agentSeq = new AtomicInteger();
    FrameworkInfo lastFrameworkInfo;
    boolean heartbeatsStopped;
    int failCount;
    int failStatus;
    String failBody = "";
    java.net.URI redirect;
    /** The periodic allocation; replaced by a pending phase at the next new framework's SUBSCRIBE. */
    ScheduledFuture<?> allocations;
    Duration pendingAllocationPhase;

    final Allocator allocator;
    final TaskLife taskLife;
    final Streams streams;

    MasterState(TestMasterSettings<?> config) {
        this.config = config;
        this.masterId = config.masterId;
        this.timers = new MasterTimers();
        this.allocator = new Allocator(this);
        this.taskLife = new TaskLife(this);
        this.streams = new Streams(this);
    }

    void violation(String kind, String detail) {
        violations.add(new Violation(kind, detail));
    }

    static String describe(TaskStatus s) {
        return "update " + s.getState() + " of task " + s.getTaskId().getValue() + " (uuid "
                + Base64.getEncoder().encodeToString(s.getUuid().toByteArray()) + ")";
    }

    FakeAgent requireAgent(String agentId) {
        FakeAgent agent = agents.get(agentId);
        if (agent == null) {
            throw new IllegalArgumentException("no agent '" + agentId + "' (known: " + agents.keySet() + ")");
        }
        return agent;
    }

    MasterTask findTask(String taskId) {
        for (Framework fw : frameworks.values()) {
            MasterTask t = fw.tasks.get(taskId);
            if (t != null) {
                return t;
            }
        }
        throw new IllegalArgumentException("no known task '" + taskId + "'");
    }

    /** Forgets every framework, as a new master would. */
    void forgetFrameworks() {
        for (Framework fw : List.copyOf(frameworks.values())) {
            allocator.removeOffersOf(fw, false);
            fw.tasks.values().forEach(taskLife::stopTask);
            if (fw.stream != null) {
                streams.endStream(fw.stream);
            }
        }
        frameworks.clear();
        unacked.clear();
    }

    /** Runs {@code action} under the lock unless the master is closed; wakes waiters. Lock not held. */
    void locked(Runnable action) {
        lock.lock();
        try {
            if (!closed) {
                action.run();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock after {@code delay} on the master's timer. */
    ScheduledFuture<?> later(Duration delay, Runnable action) {
        return timers.schedule(() -> locked(action), delay);
    }

    /** Runs {@code action} under the lock on the master's timer thread, as soon as it can. */
    void soon(Runnable action) {
        timers.execute(() -> locked(action));
    }

    <T> T read(Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code probe} gives a value; fails after {@code timeout} with {@code why}. Lock not held. */
    <T> T await(Supplier<T> probe, Duration timeout, Supplier<String> why) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new AssertionError("timed out after " + timeout + ": " + why.get());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        } finally {
            lock.unlock();
        }
    }

    /** Protocol errors so far, with the updates unacknowledged for longer than the ack grace. */
    List<Violation> violationsNow() {
        List<Violation> out = new ArrayList<>(violations);
        Instant limit = timers.now().minus(config.ackGrace);
        for (TestMaster.SentUpdate u : unacked.values()) {
            if (u.firstSent().isBefore(limit)) {
                out.add(new Violation("UNACKNOWLEDGED_UPDATE", describe(u.status()) + " unacknowledged since "
                        + u.firstSent()));
            }
        }
        return out;
    }
}
