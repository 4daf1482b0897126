package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A protocol-level Mesos master for end-to-end tests: a real HTTP server on 127.0.0.1 speaking
 * the v1 scheduler API with protobufs, answering with the status codes, headers and texts a real
 * 1.12 master gave (see {@code src/test/resources/mesos-recordings/README.md}), and checking every call strictly.
 *
 * <p>Fake agents ({@link #addAgent}) are offered to subscribed frameworks; launched tasks play a
 * {@link TaskBehaviour} chosen per TaskInfo. Executor updates carry a uuid and follow the agent's
 * rule: a task's next update is sent only after the previous one was acknowledged, and an
 * unacknowledged one is resent after {@link Builder#updateRetryInterval}.
 *
 * <p>The real master's habits, and which of them are recorded or chosen, are the table in this
 * package's {@code package-info.java}, grouped by the class that owns them; this class is only
 * the facade over them.
 *
 * <p>Thread-safety: one lock guards all state; HTTP handlers and timers take it. Stream writes
 * happen under the lock, so events are totally ordered. {@link #close()} ends every thread and
 * socket. Protobuf bodies only: JSON bodies are answered 415 and recorded as a violation.
 */
public final class TestMaster implements AutoCloseable {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    private final MasterState m;
    private final Agents agents;
    private final ExecutorService httpThreads;
    private HttpServer server;

    /** An event written to a subscriber's stream. */
    public record SentEvent(Instant at, String frameworkId, String streamId, Event event) {
    }

    /** An executor update sent with a uuid and not acknowledged yet. */
    public record SentUpdate(Instant firstSent, String frameworkId, TaskStatus status) {
    }

    private TestMaster(Builder config) {
        this.m = new MasterState(config);
        this.agents = new Agents(m);
        AtomicInteger n = new AtomicInteger();
        this.httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-master-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A started master with default settings and one {@link AgentSpec#standard()} agent. */
    public static TestMaster startWithOneAgent() {
        TestMaster master = builder().build().start();
        master.addAgent(AgentSpec.standard());
        return master;
    }

    // ------------------------------------------------------------------------------------------
    // configuration

    /** Settings of a {@link TestMaster} (see {@link TestMasterSettings} for each one and its default). */
    public static final class Builder extends TestMasterSettings<Builder> {
        private Builder() {
        }

        public TestMaster build() {
            return new TestMaster(this);
        }
    }

    // ------------------------------------------------------------------------------------------
    // lifecycle

    /** Binds 127.0.0.1 on an ephemeral port and starts the allocator. Returns this. */
    public TestMaster start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the test master on 127.0.0.1", e);
        }
        SchedulerEndpoint scheduler = new SchedulerEndpoint(m);
        OperatorEndpoints operator = new OperatorEndpoints(m);
        server.setExecutor(httpThreads);
        server.createContext("/api/v1/scheduler", scheduler::handle);
        server.createContext("/master/api/v1/scheduler", scheduler::handle);
        server.createContext("/version", operator::version);
        server.createContext("/master/tasks", operator::tasks);
        server.createContext("/tasks", operator::tasks);
        server.createContext("/master/slaves", operator::slaves);
        server.createContext("/slaves", operator::slaves);
        server.start();
        m.port = server.getAddress().getPort();
        m.locked(m.allocator::startPeriodic);
        return this;
    }

    /**
     * The next SUBSCRIBE of a new framework moves the periodic allocation: its first tick comes
     * {@code phase} after that SUBSCRIBE, then one every allocation interval. The real master
     * allocates on a clock of its own, so where a framework's SUBSCRIBE falls between two ticks is
     * luck (up to one interval of waiting for freed resources per wave of tasks); a benchmark that
     * compares two frameworks gives both the same phase in a round instead of whatever their
     * start-up times make of it.
     */
    public void phaseAllocationsAfterNextSubscribe(Duration phase) {
        if (phase.isNegative() || phase.compareTo(m.config.allocationInterval) >= 0) {
            throw new IllegalArgumentException("phase " + phase + " is not within one allocation interval");
        }
        m.locked(() -> m.pendingAllocationPhase = phase);
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("the test master is not started");
        }
        return server.getAddress().getPort();
    }

    public String masterId() {
        return m.masterId;
    }

    @Override
    public void close() {
        List<FakeAgent> toClose;
        m.lock.lock();
        try {
            if (m.closed) {
                return;
            }
            m.closed = true;
            for (Framework fw : m.frameworks.values()) {
                if (fw.stream != null) {
                    m.streams.endStream(fw.stream);
                }
            }
            toClose = new ArrayList<>(m.agents.values());
            m.changed.signalAll();
        } finally {
            m.lock.unlock();
        }
        m.timers.shutdown();
        if (server != null) {
            server.stop(0);
        }
        httpThreads.shutdownNow();
        toClose.forEach(FakeAgent::close);
        try {
            httpThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------
    // agents

    /** Registers a fake agent (starting its HTTP server); it is offered at once. */
    public FakeAgent addAgent(AgentSpec spec) {
        return m.read(() -> agents.add(spec, server != null));
    }

    public FakeAgent agent(String agentId) {
        return m.read(() -> m.requireAgent(agentId));
    }

    public List<FakeAgent> agents() {
        return m.read(() -> List.copyOf(m.agents.values()));
    }

    /**
     * The agent stops answering: its offers are rescinded at once; after the agent removal delay
     * its tasks become TASK_UNREACHABLE (PARTITION_AWARE) or TASK_LOST, REASON_AGENT_REMOVED,
     * "health check timed out", then FAILURE {agent_id}. Task scripts pause meanwhile.
     */
    public void removeAgent(String agentId) {
        m.locked(() -> agents.remove(agentId));
    }

    /** The removed agent registers again: unreachable tasks go TASK_RUNNING (REASON_AGENT_REREGISTERED). */
    public void reAddAgent(String agentId) {
        m.locked(() -> agents.reAdd(agentId));
    }

    // ------------------------------------------------------------------------------------------
    // fault injection

    /** Ends the subscriber's stream; the framework stays known but disconnected (calls get 403). */
    public void dropStream() {
        m.locked(() -> List.copyOf(m.frameworks.values()).forEach(m.streams::disconnect));
    }

    /** No more HEARTBEAT events until {@link #resumeHeartbeats()}. */
    public void stopHeartbeats() {
        m.locked(() -> m.heartbeatsStopped = true);
    }

    public void resumeHeartbeats() {
        m.locked(() -> m.heartbeatsStopped = false);
    }

    /** Rescinds one outstanding offer (RESCIND event); its resources go back to the agent. */
    public void rescind(String offerId) {
        m.locked(() -> m.allocator.rescind(offerId));
    }

    public void rescindAllOutstanding() {
        m.locked(() -> List.copyOf(m.offers.values()).forEach(m.allocator::rescind));
    }

    /** The next {@code n} scheduler requests are answered {@code status} with {@code body} (text/plain). */
    public void failNextCalls(int n, int status, String body) {
        if (n < 0 || status < 100 || status > 599) {
            throw new IllegalArgumentException("failNextCalls(" + n + ", " + status + ") is out of range");
        }
        m.locked(() -> {
            m.failCount = n;
            m.failStatus = status;
            m.failBody = Objects.requireNonNull(body, "body");
        });
    }

    /** Every scheduler request is answered 307 with {@code Location: //host:port/master/api/v1/scheduler}. */
    public void redirectTo(URI otherMaster) {
        Objects.requireNonNull(otherMaster, "otherMaster");
        m.locked(() -> m.redirect = otherMaster);
    }

    public void stopRedirecting() {
        m.locked(() -> m.redirect = null);
    }

    /** Sends the task's last sent executor update again (same uuid), as an agent retry does. */
    public void resendLastUpdate(String taskId) {
        m.locked(() -> m.taskLife.resendLast(taskId));
    }

    /**
     * Sends a custom update to the (first) subscribed framework. One with a uuid must be
     * acknowledged like any executor update.
     */
    public void sendUpdate(TaskStatus status) {
        m.locked(() -> m.taskLife.sendCustom(status));
    }

    /** Ends a running task now with this exit code (e.g. one that runs forever). */
    public void completeTask(String taskId, int exitCode) {
        m.locked(() -> m.taskLife.complete(taskId, exitCode));
    }

    /** Forgets every framework (as a new master would): later calls get 400 "Framework cannot be found". */
    public void forgetFramework() {
        m.locked(m::forgetFrameworks);
    }

    // ------------------------------------------------------------------------------------------
    // observation

    public List<ReceivedCall> calls() {
        return m.read(() -> List.copyOf(m.calls));
    }

    public List<ReceivedCall> calls(Call.Type type) {
        return m.read(() -> m.calls.stream().filter(c -> c.is(type)).toList());
    }

    public List<SentEvent> sentEvents() {
        return m.read(() -> List.copyOf(m.sentEvents));
    }

    /** Updates sent with a uuid and not acknowledged yet, oldest first. */
    public List<TaskStatus> unacknowledgedUpdates() {
        return m.read(() -> m.unacked.values().stream().map(SentUpdate::status).toList());
    }

    /** TaskInfos of every valid launch, in order (allocation_info injected for non-MULTI_ROLE frameworks). */
    public List<TaskInfo> launchedTasks() {
        return m.read(() -> List.copyOf(m.launched));
    }

    /** Ids of tasks whose latest state is TASK_RUNNING and whose agent is reachable. */
    public Set<String> runningTaskIds() {
        return m.read(() -> {
            Set<String> out = new LinkedHashSet<>();
            m.frameworks.values().forEach(fw -> fw.tasks.values().stream()
                    .filter(t -> t.state == TaskState.TASK_RUNNING && !t.unreachable).forEach(t -> out.add(t.id())));
            return out;
        });
    }

    /** Ids of tasks that reached TASK_FINISHED at least once. */
    public Set<String> finishedTaskIds() {
        return m.read(() -> Set.copyOf(m.finishedCounts.keySet()));
    }

    /** How often each task id reached TASK_FINISHED (more than 1 = the same id finished twice). */
    public Map<String, Integer> finishedCounts() {
        return m.read(() -> Map.copyOf(m.finishedCounts));
    }

    /** The latest state the master holds for a task still known to it. */
    public Optional<TaskState> taskState(String taskId) {
        return m.read(() -> m.frameworks.values().stream().map(fw -> fw.tasks.get(taskId)).filter(Objects::nonNull)
                .findFirst().map(t -> t.state));
    }

    /** The FrameworkInfo of the latest SUBSCRIBE (with the id the master gave). */
    public Optional<FrameworkInfo> frameworkInfo() {
        return m.read(() -> Optional.ofNullable(m.lastFrameworkInfo));
    }

    /** The current stream id of the framework with this id, if it is subscribed. */
    public Optional<String> streamId(String frameworkId) {
        return m.read(() -> Optional.ofNullable(m.frameworks.get(frameworkId)).map(fw -> fw.stream).map(s -> s.id));
    }

    /** Offers sent and not yet accepted, declined or rescinded. */
    public List<Offer> outstandingOffers() {
        return m.read(() -> m.offers.values().stream().map(OfferState::offer).toList());
    }

    /**
     * Protocol errors of the client so far: every 4xx answered (except injected ones), ACCEPTs of
     * invalid offers, invalid tasks, offers held at TEARDOWN, updates unacknowledged at TEARDOWN
     * or for longer than the ack grace, acknowledgements of uuids never sent.
     */
    public List<Violation> violations() {
        return m.read(m::violationsNow);
    }

    /**
     * Rejections and held offers the client could not avoid (see {@link Race}); answered as a real
     * master answers, but not {@link #violations()}.
     */
    public List<Race> races() {
        return m.read(() -> List.copyOf(m.races));
    }

    /** Waits for a received call matching {@code predicate}; fails with the calls seen so far. */
    public ReceivedCall awaitCall(Predicate<ReceivedCall> predicate, Duration timeout) {
        return awaitCalls(predicate, 1, timeout).get(0);
    }

    /** Waits until at least {@code count} received calls match; answers the matching calls. */
    public List<ReceivedCall> awaitCalls(Predicate<ReceivedCall> predicate, int count, Duration timeout) {
        return m.await(() -> {
            List<ReceivedCall> found = m.calls.stream().filter(predicate).toList();
            return found.size() >= count ? found : null;
        }, timeout, () -> "calls received: " + m.calls.stream().map(c -> c.type() + "=" + c.status()).toList());
    }

    /** Waits for an event written to any stream that matches. */
    public SentEvent awaitEvent(Predicate<Event> predicate, Duration timeout) {
        return m.await(() -> m.sentEvents.stream().filter(e -> predicate.test(e.event())).findFirst().orElse(null),
                timeout, () -> "events sent: " + m.sentEvents.stream().map(e -> e.event().getType()).toList());
    }

    /** Waits until the master's latest state of a task is {@code state}. */
    public void awaitTaskState(String taskId, TaskState state, Duration timeout) {
        m.await(() -> m.frameworks.values().stream().map(fw -> fw.tasks.get(taskId)).filter(Objects::nonNull)
                .anyMatch(t -> t.state == state) ? Boolean.TRUE : null, timeout,
                () -> "task " + taskId + " never reached " + state);
    }
}
