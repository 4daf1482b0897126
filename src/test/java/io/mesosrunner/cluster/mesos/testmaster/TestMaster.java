package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Value;
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
 * <h2>The real master's habits</h2>
 * Each row is either recorded (file under {@code src/test/resources/mesos-recordings/}) or a
 * choice, with its reason; {@code TestMasterHabitsTest} has one test per row, named after it. The
 * status codes, error texts and master-generated updates (the recordings' README tables) are
 * checked by {@code TestMasterStatusTableTest}, {@code RecordedErrorsConformanceTest} and
 * {@code TestMasterLifecycleTest}.
 * <table>
 * <caption>Behaviour of the test master</caption>
 * <tr><th>row (test)</th><th>test master</th><th>backed by</th></tr>
 * <tr><td>allocationInterval</td><td>free resources are offered every {@link Builder#allocationInterval}
 *     (default 1 s); a DECLINE with 0 s comes back at the next allocation</td>
 *     <td>recorded in refuse-superset.jsonl (1006 ms after a 0 s DECLINE); README: default interval 1 s</td></tr>
 * <tr><td>allocationPhaseMovedBySubscribe</td><td>the periodic allocation runs on the master's own
 *     clock from its start; {@link #phaseAllocationsAfterNextSubscribe} moves it to a chosen phase
 *     after the next new framework's SUBSCRIBE</td><td>chosen, for benchmarks: the real allocator
 *     ticks on its own clock (recorded ticks 1 s apart whatever the framework did), so the phase a
 *     framework meets is luck that a comparison must not hand to one contender</td></tr>
 * <tr><td>firstOffersAtSubscribe</td><td>SUBSCRIBED, a HEARTBEAT and the first OFFERS at once</td>
 *     <td>recorded in happy.jsonl (offers 44 ms after SUBSCRIBED), failover.jsonl</td></tr>
 * <tr><td>freedResourcesAtNextAllocation</td><td>resources of an ended task are offered at the next
 *     periodic allocation, not at once</td><td>recorded in refuse-superset.jsonl (23-658 ms after
 *     TASK_FINISHED over four runs), happy.jsonl (0.4 s)</td></tr>
 * <tr><td>refuseFilterHoldsOnlyWhatItContains</td><td>a filter (DECLINE, or the unused rest of an
 *     ACCEPT) holds back an agent's resources only while the refused resources contain them: freed
 *     plus refused come back at the next allocation</td><td>recorded in refuse-superset.jsonl
 *     (60 s filter, whole agent offered 31 ms after TASK_FINISHED)</td></tr>
 * <tr><td>declineFilterExpiresThenNextAllocation</td><td>a filter expires after
 *     max(refuse_seconds, allocation interval); the next allocation offers: 4 s gives 4-5 s</td>
 *     <td>recorded in refuse-superset.jsonl (4019 ms), decline-suppress-revive.jsonl (2 s gave
 *     2.2 s); the max() is chosen: the allocator's source (MESOS-4302)</td></tr>
 * <tr><td>defaultRefuseSecondsIsFive</td><td>Filters without refuse_seconds (and an ACCEPT without
 *     filters) refuse for 5 s</td><td>chosen: the default of {@code Filters.refuse_seconds} in
 *     mesos.proto; not recorded</td></tr>
 * <tr><td>filtersOnOneAgentExpireEachOnItsOwn</td><td>an agent keeps every live filter of a
 *     framework; a later short filter does not end an earlier long one</td><td>chosen: the
 *     allocator keeps a set of filters per agent and role; not recorded</td></tr>
 * <tr><td>suppressStopsReviveClearsFiltersAndOffers</td><td>SUPPRESS: no offers; REVIVE clears the
 *     filters and allocates at once</td><td>recorded in decline-suppress-revive.jsonl (none for 8 s;
 *     an offer 23 ms after REVIVE)</td></tr>
 * <tr><td>offerTimeoutRescindsAndReoffersAtNextAllocation</td><td>with {@link Builder#offerTimeout}
 *     an unanswered offer gets RESCIND that long after it was made, and its resources come back at
 *     the next allocation, without a filter; default: never</td><td>recorded in rescind.jsonl
 *     (RESCIND 4788 ms after arrival at 5 s, new offer 349 ms later), agent-lost.jsonl (4995 ms)</td></tr>
 * <tr><td>lostAgentsOffersRescindedAtOnce</td><td>{@link #removeAgent}: offers on the agent are
 *     rescinded at once</td><td>recorded in agent-lost.jsonl (96 ms after the kill)</td></tr>
 * <tr><td>unreachableAgentPartitionAware</td><td>after {@link Builder#agentRemovalDelay}: TASK_UNREACHABLE,
 *     REASON_AGENT_REMOVED, "health check timed out", unreachable_time, no uuid, then
 *     FAILURE{agent_id}</td><td>recorded in agent-lost.jsonl; the delay (default 200 ms) is chosen:
 *     the real one is agent_ping_timeout x max_agent_ping_timeouts (3.7 s recorded at 1 s x 3)</td></tr>
 * <tr><td>unreachableAgentNotPartitionAware</td><td>the same as TASK_LOST</td>
 *     <td>recorded in agent-lost-non-pa.jsonl</td></tr>
 * <tr><td>reregisteredAgentsTasksRunningAgain</td><td>{@link #reAddAgent}: TASK_RUNNING,
 *     REASON_AGENT_REREGISTERED, "Unreachable agent re-reregistered", from the master, no uuid, with
 *     container_status, and offers at once</td><td>recorded in agent-lost.jsonl and
 *     agent-lost-non-pa.jsonl (offers 14-22 ms later)</td></tr>
 * <tr><td>tasksPauseWhileTheirAgentIsUnreachable</td><td>a task on an unreachable agent sends
 *     nothing and does not end until the agent is back</td><td>chosen: not recorded (the recorded task
 *     ran {@code sleep 300})</td></tr>
 * <tr><td>newAgentOfferedAtOnce</td><td>{@link #addAgent} on a started master allocates at once</td>
 *     <td>chosen: the allocator's path for a registering agent, as recorded for re-registration
 *     (agent-lost.jsonl); a new agent was not recorded</td></tr>
 * <tr><td>oneOfferPerAgentInOneEvent</td><td>each allocation offers each agent's whole free resources
 *     as one offer, all agents' offers in one OFFERS event</td><td>recorded in happy.jsonl (whole
 *     agent, one agent); one event for several agents is chosen (all recordings have one agent)</td></tr>
 * <tr><td>executorTiming</td><td>launch to TASK_STARTING and on to TASK_RUNNING take
 *     {@link Builder#stepDelay} each (default 10 ms), KILL to TASK_KILLED {@link Builder#killDelay}
 *     (50 ms)</td><td>chosen for fast tests; recorded: 450-800 ms to STARTING, 20-100 ms to RUNNING
 *     (happy.jsonl, refuse-superset.jsonl), about 80-170 ms to KILLED (kill-reconcile.jsonl,
 *     agent-lost.jsonl)</td></tr>
 * <tr><td>nextUpdateAfterAcknowledgementAndRetried</td><td>a task's next executor update waits for
 *     the acknowledgement of the previous one; an unacknowledged one is sent again every
 *     {@link Builder#updateRetryInterval} (10 s)</td><td>chosen: the agent's status update manager
 *     (first retry after 10 s; its doubling up to 10 min is not modelled); not recorded (every
 *     recorded update was acknowledged at once)</td></tr>
 * <tr><td>failoverRemovesOffersWithoutRescind</td><td>SUBSCRIBE of a connected framework: ERROR
 *     "Framework failed over" on the old stream, its offers dropped without RESCIND, new offers on
 *     the new stream</td><td>recorded in failover.jsonl (no RESCIND on stream 2 though it held
 *     offers)</td></tr>
 * <tr><td>callOnAStreamTheMasterEndedIsARaceWithinTheGrace</td><td>a call naming a stream the
 *     master ended ({@link #dropStream}, a failed write, a failover by a new SUBSCRIBE, so also
 *     after {@link #stopHeartbeats} made the client resubscribe) is answered as the real master
 *     answers (403 "Framework is not subscribed" while none is open, else 400 "The stream ID ...
 *     didn't match ..."); within {@link Builder#raceGrace} (default 1 s) of that end it is a
 *     {@link Race} ({@link #races()}), later an HTTP_4xx violation</td><td>recorded: the texts in
 *     errors.jsonl; the grace is chosen: a client cannot know its stream ended before a call it
 *     had already sent arrives</td></tr>
 * <tr><td>offerSentJustBeforeTeardownIsARace</td><td>an offer outstanding at TEARDOWN is
 *     OFFER_HELD_AT_TEARDOWN only if it was sent {@link Builder#raceGrace} or more before
 *     TEARDOWN arrived; a younger one is a {@link Race}</td><td>chosen: the client may have
 *     queued TEARDOWN before the offer reached it</td></tr>
 * </table>
 *
 * <p>Thread-safety: one lock guards all state; HTTP handlers and timers take it. Stream writes
 * happen under the lock, so events are totally ordered. {@link #close()} ends every thread and
 * socket. Protobuf bodies only: JSON bodies are answered 415 and recorded as a violation.
 */
public final class TestMaster implements AutoCloseable {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String VALIDATE = "Failed to validate scheduler::Call: ";

    private final Builder config;
    private final String masterId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timers;
    /** The periodic allocation; replaced by {@link #phaseAllocationsAfterNextSubscribe}. Lock held to replace. */
    private ScheduledFuture<?> allocations;
    private Duration pendingAllocationPhase;
    private final ExecutorService httpThreads;
    private HttpServer server;
    private volatile boolean closed;

    private final Map<String, Framework> frameworks = new LinkedHashMap<>();
    private final Set<String> removedFrameworks = new HashSet<>();
    private final Map<String, FakeAgent> agents = new LinkedHashMap<>();
    private final Map<String, OfferState> offers = new LinkedHashMap<>();
    private final List<ReceivedCall> calls = new ArrayList<>();
    private final List<SentEvent> sentEvents = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final List<Race> races = new ArrayList<>();
    /** Streams the master ended while their framework stayed known: stream id to when (nanoTime). */
    private final Map<String, Long> endedStreams = new HashMap<>();
    private final Map<ByteString, SentUpdate> unacked = new LinkedHashMap<>();
    private final Set<ByteString> everSent = new HashSet<>();
    private final List<TaskInfo> launched = new ArrayList<>();
    private final Map<String, Integer> finishedCounts = new LinkedHashMap<>();
    private final AtomicInteger frameworkSeq = new AtomicInteger();
    private final AtomicInteger offerSeq = new AtomicInteger();
    private final AtomicInteger agentSeq = new AtomicInteger();
    private FrameworkInfo lastFrameworkInfo;
    private boolean heartbeatsStopped;
    private int failCount;
    private int failStatus;
    private String failBody = "";
    private URI redirect;

    /** An event written to a subscriber's stream. */
    public record SentEvent(Instant at, String frameworkId, String streamId, Event event) {
    }

    /** An executor update sent with a uuid and not acknowledged yet. */
    public record SentUpdate(Instant firstSent, String frameworkId, TaskStatus status) {
    }

    private TestMaster(Builder config) {
        this.config = config;
        this.masterId = config.masterId;
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, daemon("test-master-timer"));
        stpe.setRemoveOnCancelPolicy(true);
        this.timers = stpe;
        this.httpThreads = Executors.newCachedThreadPool(daemon("test-master-http"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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

    /**
     * Settings of a {@link TestMaster}. Defaults follow the recorded master where it had one:
     * heartbeat 15 s, allocation interval 1 s, no offer timeout, refuse filter 5 s, no
     * authentication; the timing of fake tasks is short so tests are fast.
     */
    public static final class Builder {
        private String masterId = UUID.randomUUID().toString();
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration allocationInterval = Duration.ofSeconds(1);
        private Duration offerTimeout;
        private Duration stepDelay = Duration.ofMillis(10);
        private Duration killDelay = Duration.ofMillis(50);
        private Duration agentRemovalDelay = Duration.ofMillis(200);
        private Duration updateRetryInterval = Duration.ofSeconds(10);
        private Duration ackGrace = Duration.ofSeconds(1);
        private Duration raceGrace = Duration.ofSeconds(1);
        private Duration defaultRunTime = Duration.ofMillis(100);
        private Function<TaskInfo, TaskBehaviour> behaviours;
        private String principal;
        private String secret;
        private boolean agentFilesServers = true;
        private boolean resourceRefuseFilters = true;

        private Builder() {
        }

        public Builder masterId(String id) {
            this.masterId = Objects.requireNonNull(id, "masterId");
            return this;
        }

        /** Interval of HEARTBEAT events and the value in SUBSCRIBED (default 15 s). */
        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = positive("heartbeatInterval", d);
            return this;
        }

        /** How often free resources are offered (default 1 s). */
        public Builder allocationInterval(Duration d) {
            this.allocationInterval = positive("allocationInterval", d);
            return this;
        }

        /** Offers held longer than this are rescinded (default: never). */
        public Builder offerTimeout(Duration d) {
            this.offerTimeout = positive("offerTimeout", d);
            return this;
        }

        /** Time from launch to TASK_STARTING and from there to TASK_RUNNING (default 10 ms). */
        public Builder stepDelay(Duration d) {
            this.stepDelay = positive("stepDelay", d);
            return this;
        }

        /** Time from KILL to TASK_KILLED (default 50 ms; the real executor took about 80 ms). */
        public Builder killDelay(Duration d) {
            this.killDelay = positive("killDelay", d);
            return this;
        }

        /** Time from {@link #removeAgent} to the agent's tasks being reported lost (default 200 ms). */
        public Builder agentRemovalDelay(Duration d) {
            this.agentRemovalDelay = positive("agentRemovalDelay", d);
            return this;
        }

        /** When an unacknowledged executor update is sent again (default 10 s, as the agent). */
        public Builder updateRetryInterval(Duration d) {
            this.updateRetryInterval = positive("updateRetryInterval", d);
            return this;
        }

        /** An update unacknowledged for longer than this counts as a violation (default 1 s). */
        public Builder ackGrace(Duration d) {
            this.ackGrace = positive("ackGrace", d);
            return this;
        }

        /**
         * How long after the master ended a stream a call naming it, and how long before TEARDOWN
         * an offer sent, count as a {@link Race} rather than a violation (default 1 s).
         */
        public Builder raceGrace(Duration d) {
            this.raceGrace = positive("raceGrace", d);
            return this;
        }

        /** Run time of the default behaviour (default 100 ms, then exit 0). */
        public Builder defaultRunTime(Duration d) {
            this.defaultRunTime = Objects.requireNonNull(d, "defaultRunTime");
            return this;
        }

        /** Chooses the behaviour of each launched task (default: {@link #defaultRunTime}, exit 0). */
        public Builder behaviours(Function<TaskInfo, TaskBehaviour> chooser) {
            this.behaviours = Objects.requireNonNull(chooser, "behaviours");
            return this;
        }

        /** Requires HTTP Basic authentication with this principal and secret. */
        public Builder authentication(String principal, String secret) {
            this.principal = Objects.requireNonNull(principal, "principal");
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * Whether each fake agent runs its HTTP server for {@code /files/read} (default true). Off,
         * agents bind no port (their offers' url names port 0): for runs with thousands of agents
         * and output tailing switched off.
         */
        public Builder agentFilesServers(boolean on) {
            this.agentFilesServers = on;
            return this;
        }

        /**
         * Refuse filters as the real allocator's {@code RefusedOfferFilter} (default true, as
         * recorded in {@code refuse-superset.jsonl}): a DECLINE or ACCEPT filter holds back only
         * offers whose resources the refused resources contain, so resources freed on the agent (a
         * task ended) are offered at the next allocation although the filter has not expired. Off
         * (the makespan bench's {@code --agent-filters}), a filter holds back the whole agent until
         * it expires.
         */
        public Builder resourceRefuseFilters(boolean on) {
            this.resourceRefuseFilters = on;
            return this;
        }

        public TestMaster build() {
            return new TestMaster(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " (" + d + ") must be positive");
            }
            return d;
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
        server.setExecutor(httpThreads);
        server.createContext("/api/v1/scheduler", this::handleScheduler);
        server.createContext("/master/api/v1/scheduler", this::handleScheduler);
        server.createContext("/version", this::handleVersion);
        server.createContext("/master/tasks", this::handleTasks);
        server.createContext("/tasks", this::handleTasks);
        server.createContext("/master/slaves", this::handleSlaves);
        server.createContext("/slaves", this::handleSlaves);
        server.start();
        long every = config.allocationInterval.toNanos();
        allocations = timers.scheduleAtFixedRate(() -> locked(this::allocate), every, every, TimeUnit.NANOSECONDS);
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
        if (phase.isNegative() || phase.compareTo(config.allocationInterval) >= 0) {
            throw new IllegalArgumentException("phase " + phase + " is not within one allocation interval");
        }
        lock.lock();
        try {
            pendingAllocationPhase = phase;
        } finally {
            lock.unlock();
        }
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
        return masterId;
    }

    @Override
    public void close() {
        List<FakeAgent> toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Framework fw : frameworks.values()) {
                if (fw.stream != null) {
                    endStream(fw.stream);
                }
            }
            toClose = new ArrayList<>(agents.values());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        timers.shutdownNow();
        if (server != null) {
            server.stop(0);
        }
        httpThreads.shutdownNow();
        toClose.forEach(FakeAgent::close);
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
            httpThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------
    // agents

    /** Registers a fake agent (starting its HTTP server); it is offered at once. */
    public FakeAgent addAgent(AgentSpec spec) {
        String id = spec.id().isEmpty() ? masterId + "-S" + agentSeq.getAndIncrement() : spec.id();
        lock.lock();
        try {
            if (agents.containsKey(id)) {
                throw new IllegalArgumentException("agent '" + id + "' already exists");
            }
            FakeAgent agent = new FakeAgent(spec, id, config.agentFilesServers);
            agents.put(id, agent);
            if (server != null) {
                // The allocator allocates a new agent's resources at once (as for re-registration).
                timers.execute(() -> locked(this::allocate));
            }
            return agent;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start fake agent '" + id + "'", e);
        } finally {
            lock.unlock();
        }
    }

    public FakeAgent agent(String agentId) {
        lock.lock();
        try {
            return requireAgent(agentId);
        } finally {
            lock.unlock();
        }
    }

    public List<FakeAgent> agents() {
        lock.lock();
        try {
            return List.copyOf(agents.values());
        } finally {
            lock.unlock();
        }
    }

    private FakeAgent requireAgent(String agentId) {
        FakeAgent agent = agents.get(agentId);
        if (agent == null) {
            throw new IllegalArgumentException("no agent '" + agentId + "' (known: " + agents.keySet() + ")");
        }
        return agent;
    }

    // ------------------------------------------------------------------------------------------
    // HTTP

    private void handleVersion(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = "{\"build_date\":\"2026-11-25 14:23:06\",\"build_time\":1795616586.0,\"build_user\":\"\",\"version\":\"1.12.0\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", JSON);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /**
     * The operator endpoint {@code GET /master/tasks?framework_id=..&limit=..}: the framework's
     * tasks as JSON ({@code {"tasks":[{"id","name","framework_id","slave_id","state"}]}}), as the
     * Mesos endpoint documentation describes it (not recorded from a real master).
     */
    /**
     * {@code GET /master/slaves}: the agents, with the {@code id}, {@code hostname}, {@code port}
     * and {@code pid} ({@code slave(1)@127.0.0.1:PORT}) a real master gives (other fields omitted).
     */
    private void handleSlaves(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            StringBuilder json = new StringBuilder("{\"slaves\":[");
            lock.lock();
            try {
                boolean first = true;
                for (FakeAgent agent : agents.values()) {
                    if (!first) json.append(',');
                    first = false;
                    json.append("{\"id\":\"").append(agent.agentId()).append("\",\"hostname\":\"")
                        .append(agent.spec().hostname()).append("\",\"port\":").append(agent.port())
                        .append(",\"pid\":\"slave(1)@127.0.0.1:").append(agent.port()).append("\",\"active\":true}");
                }
            } finally {
                lock.unlock();
            }
            json.append("],\"recovered_slaves\":[]}");
            byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private void handleTasks(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, String> query = new LinkedHashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String kv : raw.split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) query.put(kv.substring(0, eq),
                        java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
            StringBuilder json = new StringBuilder("{\"tasks\":[");
            lock.lock();
            try {
                int n = 0;
                for (Framework fw : frameworks.values()) {
                    if (query.containsKey("framework_id") && !fw.id.equals(query.get("framework_id"))) continue;
                    for (Task t : fw.tasks.values()) {
                        if (n == limit) break;
                        if (n++ > 0) json.append(',');
                        json.append("{\"id\":\"").append(t.info.getTaskId().getValue())
                            .append("\",\"name\":\"").append(t.info.getName())
                            .append("\",\"framework_id\":\"").append(fw.id)
                            .append("\",\"slave_id\":\"").append(t.agent.agentId())
                            .append("\",\"state\":\"").append(t.state.name()).append("\"}");
                    }
                }
            } finally {
                lock.unlock();
            }
            byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", JSON);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** An answer computed under the lock and written after it is released. */
    private record Answer(int status, String body, Map<String, String> headers, Race race) {
        Answer(int status, String body, Map<String, String> headers) {
            this(status, body, headers, null);
        }

        static Answer text(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    private void handleScheduler(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Optional<Call> parsed = Optional.empty();
        try {
            parsed = Optional.of(Call.parseFrom(body));
        } catch (InvalidProtocolBufferException e) {
            // answered below, in the master's order of checks
        }
        Answer pre = preChecks(ex, method, body);
        if (pre != null) {
            answer(ex, pre, method, path, parsed);
            return;
        }
        if (parsed.isEmpty()) {
            answer(ex, Answer.text(400, "Failed to parse body into Call protobuf"), method, path, parsed);
            return;
        }
        Call call = parsed.get();
        String authenticated = authenticatedPrincipal(ex);
        String invalid = validate(call, authenticated);
        if (invalid != null) {
            answer(ex, Answer.text(400, VALIDATE + invalid), method, path, parsed);
            return;
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            subscribe(ex, call, path);
            return;
        }
        Answer a;
        lock.lock();
        try {
            a = handleCall(call, ex.getRequestHeaders().getFirst("Mesos-Stream-Id"), authenticated);
        } finally {
            lock.unlock();
        }
        answer(ex, a, method, path, parsed);
    }

    /** Fault injection, method, authentication and content type, in the master's order. */
    private Answer preChecks(HttpExchange ex, String method, byte[] body) {
        lock.lock();
        try {
            if (redirect != null) {
                String location = "//" + redirect.getHost() + ":" + redirect.getPort() + "/master/api/v1/scheduler";
                return new Answer(307, "", Map.of("Location", location));
            }
            if (failCount > 0) {
                failCount--;
                return new Answer(failStatus, failBody, Map.of("X-Test-Master-Injected", "true"));
            }
        } finally {
            lock.unlock();
        }
        if (!"POST".equals(method)) {
            return new Answer(405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '" + method + "'.",
                    Map.of("Allow", "POST"));
        }
        if (config.principal != null && authenticatedPrincipal(ex) == null) {
            return new Answer(401, "401 Unauthorized.", Map.of("WWW-Authenticate", "Basic realm=\"mesos-master-scheduler\""));
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            return Answer.text(400, "Expecting 'Content-Type' to be present");
        }
        String media = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals(JSON)) {
            lock.lock();
            try {
                violation("JSON_UNSUPPORTED", "a JSON body was sent; the test master speaks protobuf only");
            } finally {
                lock.unlock();
            }
            return Answer.text(415, "The test master accepts only 'Content-Type' application/x-protobuf");
        }
        if (!media.equals(PROTOBUF)) {
            return Answer.text(415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
        }
        return null;
    }

    private String authenticatedPrincipal(HttpExchange ex) {
        if (config.principal == null) {
            return null;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return decoded.equals(config.principal + ":" + config.secret) ? config.principal : null;
    }

    /** The master's validation of a Call (validation::scheduler::call::validate). */
    private static String validate(Call call, String principal) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return "Expecting 'subscribe' to be present";
            }
            FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
            if (principal != null && info.hasPrincipal() && !info.getPrincipal().equals(principal)) {
                return "Authenticated principal '" + principal + "' does not match principal '" + info.getPrincipal()
                        + "' set in `FrameworkInfo`";
            }
            if (call.hasFrameworkId() && !info.getId().equals(call.getFrameworkId())) {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }
            return null;
        }
        if (!call.hasFrameworkId()) {
            return "Expecting 'framework_id' to be present";
        }
        switch (call.getType()) {
            case ACCEPT:
                return call.hasAccept() ? null : "Expecting 'accept' to be present";
            case DECLINE:
                return call.hasDecline() ? null : "Expecting 'decline' to be present";
            case KILL:
                return call.hasKill() ? null : "Expecting 'kill' to be present";
            case SHUTDOWN:
                return call.hasShutdown() ? null : "Expecting 'shutdown' to be present";
            case RECONCILE:
                return call.hasReconcile() ? null : "Expecting 'reconcile' to be present";
            case MESSAGE:
                return call.hasMessage() ? null : "Expecting 'message' to be present";
            case REQUEST:
                return call.hasRequest() ? null : "Expecting 'request' to be present";
            case ACKNOWLEDGE:
                if (!call.hasAcknowledge()) {
                    return "Expecting 'acknowledge' to be present";
                }
                return call.getAcknowledge().getUuid().size() == 16 ? null : "Not a valid UUID";
            default:
                return null;
        }
    }

    private void answer(HttpExchange ex, Answer a, String method, String path, Optional<Call> call) throws IOException {
        // Recorded before the answer goes out: a client that has its answer finds its call here.
        record(method, path, call, a.status, a.body, a.headers.containsKey("X-Test-Master-Injected"), a.race);
        try (ex) {
            a.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (a.status == 202 || a.status == 307) {
                ex.sendResponseHeaders(a.status, -1);
            } else {
                byte[] bytes = a.body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", TEXT);
                ex.sendResponseHeaders(a.status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    ex.getResponseBody().write(bytes);
                }
            }
        }
    }

    private void record(String method, String path, Optional<Call> call, int status, String body, boolean injected,
            Race race) {
        lock.lock();
        try {
            ReceivedCall rc = new ReceivedCall(Instant.now(), method, path, call, status, body);
            calls.add(rc);
            if (race != null) {
                races.add(race);
            } else if (status >= 400 && status < 500 && !injected) {
                violation("HTTP_" + status, rc.type() + " answered " + status + " '" + body + "'");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // SUBSCRIBE and streams

    private void subscribe(HttpExchange ex, Call call, String path) throws IOException {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        boolean acceptsProto = accepts(accept, PROTOBUF);
        boolean acceptsJson = accepts(accept, JSON);
        Optional<Call> parsed = Optional.of(call);
        if (!acceptsProto && !acceptsJson) {
            answer(ex, Answer.text(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"),
                    "POST", path, parsed);
            return;
        }
        if (!acceptsProto) {
            answer(ex, Answer.text(406, "The test master streams only application/x-protobuf"), "POST", path, parsed);
            return;
        }
        if (ex.getRequestHeaders().containsKey("Mesos-Stream-Id")) {
            answer(ex, Answer.text(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header"), "POST",
                    path, parsed);
            return;
        }
        Stream stream;
        lock.lock();
        try {
            if (acceptsJson) {
                violation("ACCEPT_JSON", "SUBSCRIBE with Accept '" + accept
                        + "': a real master prefers application/json and would stream JSON");
            }
            FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
            String fid = call.hasFrameworkId() ? call.getFrameworkId().getValue() : null;
            Framework fw = fid == null ? null : frameworks.get(fid);
            boolean removed = fid != null && removedFrameworks.contains(fid);
            if (fw != null) {
                if (fw.stream != null) {
                    Stream old = fw.stream;
                    sendTo(old, Event.newBuilder().setType(Event.Type.ERROR)
                            .setError(Event.Error.newBuilder().setMessage("Framework failed over")).build());
                    endStream(old);
                    endedStreams.put(old.id, System.nanoTime());
                }
                fw.stream = null;
                removeOffersOf(fw, false);
            } else if (!removed) {
                if (fid == null) {
                    fid = String.format("%s-%04d", masterId, frameworkSeq.getAndIncrement());
                }
                fw = new Framework(fid);
                frameworks.put(fid, fw);
                if (pendingAllocationPhase != null) {
                    long every = config.allocationInterval.toNanos();
                    allocations.cancel(false);
                    allocations = timers.scheduleAtFixedRate(() -> locked(this::allocate),
                            pendingAllocationPhase.toNanos(), every, TimeUnit.NANOSECONDS);
                    pendingAllocationPhase = null;
                }
            }
            ex.getResponseHeaders().set("Content-Type", PROTOBUF);
            String streamId = UUID.randomUUID().toString();
            ex.getResponseHeaders().set("Mesos-Stream-Id", streamId);
            ex.sendResponseHeaders(200, 0);
            stream = new Stream(streamId, fw, new RecordIoWriter(ex.getResponseBody()));
            calls.add(new ReceivedCall(Instant.now(), "POST", path, parsed, 200, ""));
            if (removed) {
                sendTo(stream, Event.newBuilder().setType(Event.Type.ERROR)
                        .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());
                endStream(stream);
            } else {
                fw.info = info.toBuilder().setId(FrameworkID.newBuilder().setValue(fw.id)).build();
                fw.suppressed = false;
                fw.stream = stream;
                lastFrameworkInfo = fw.info;
                sendTo(stream, Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                        .setSubscribed(Event.Subscribed.newBuilder()
                                .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
                                .setHeartbeatIntervalSeconds(config.heartbeatInterval.toNanos() / 1e9)
                                .setMasterInfo(masterInfo()))
                        .build());
                if (!heartbeatsStopped) {
                    sendTo(stream, heartbeat());
                }
                long every = config.heartbeatInterval.toNanos();
                stream.heartbeat = timers.scheduleAtFixedRate(() -> locked(() -> {
                    if (!heartbeatsStopped && stream.open) {
                        sendTo(stream, heartbeat());
                    }
                }), every, every, TimeUnit.NANOSECONDS);
                for (Task t : fw.tasks.values()) {
                    sendHead(t);
                }
                timers.execute(() -> locked(this::allocate));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            stream.ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                ex.close();
            } catch (RuntimeException e) {
                // the client is already gone
            }
        }
    }

    private static boolean accepts(String accept, String media) {
        if (accept == null) {
            return true;
        }
        String type = media.substring(0, media.indexOf('/'));
        for (String part : accept.split(",")) {
            String m = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (m.equals(media) || m.equals("*/*") || m.equals(type + "/*")) {
                return true;
            }
        }
        return false;
    }

    private static Event heartbeat() {
        return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    }

    private MasterInfo masterInfo() {
        int port = port();
        return MasterInfo.newBuilder().setId(masterId).setIp(16777343).setPort(port)
                .setPid("master@127.0.0.1:" + port).setHostname("127.0.0.1").setVersion("1.12.0")
                .setAddress(org.apache.mesos.v1.Protos.Address.newBuilder().setHostname("127.0.0.1").setIp("127.0.0.1")
                        .setPort(port))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_UPDATE))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_DRAINING))
                .build();
    }

    /** Writes an event to a stream; a failed write means the subscriber is gone. Lock held. */
    private boolean sendTo(Stream stream, Event event) {
        if (!stream.open) {
            return false;
        }
        try {
            stream.writer.write(event.toByteArray());
            sentEvents.add(new SentEvent(Instant.now(), stream.fw.id, stream.id, event));
            changed.signalAll();
            return true;
        } catch (IOException | RuntimeException e) {
            disconnect(stream.fw);
            return false;
        }
    }

    /** Sends to the framework's current stream, if it has one. Lock held. */
    private boolean send(Framework fw, Event event) {
        return fw.stream != null && sendTo(fw.stream, event);
    }

    private void endStream(Stream stream) {
        stream.open = false;
        if (stream.heartbeat != null) {
            stream.heartbeat.cancel(false);
        }
        stream.ended.countDown();
    }

    /** The subscriber's connection is gone: the framework stays known but disconnected. Lock held. */
    private void disconnect(Framework fw) {
        if (fw.stream != null) {
            endStream(fw.stream);
            endedStreams.put(fw.stream.id, System.nanoTime());
            fw.stream = null;
        }
        removeOffersOf(fw, false);
        changed.signalAll();
    }

    // ------------------------------------------------------------------------------------------
    // other calls

    private Answer handleCall(Call call, String streamId, String principal) {
        Framework fw = frameworks.get(call.getFrameworkId().getValue());
        if (fw == null) {
            return Answer.text(400, "Framework cannot be found");
        }
        if (principal != null && fw.info.hasPrincipal() && !fw.info.getPrincipal().equals(principal)) {
            return Answer.text(400, VALIDATE + "Authenticated principal '" + principal
                    + "' does not match principal '" + fw.info.getPrincipal() + "' set in `FrameworkInfo`");
        }
        if (fw.stream == null) {
            return staleStream(call, streamId, 403, "Framework is not subscribed");
        }
        if (streamId == null) {
            return Answer.text(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamId.equals(fw.stream.id)) {
            return staleStream(call, streamId, 400, "The stream ID '" + streamId
                    + "' included in this request didn't match the stream ID currently associated with framework ID "
                    + fw.id);
        }
        switch (call.getType()) {
            case TEARDOWN -> teardown(fw);
            case ACCEPT -> accept(fw, call.getAccept());
            case DECLINE -> decline(fw, call.getDecline().getOfferIdsList(), call.getDecline().getFilters());
            case REVIVE -> {
                fw.suppressed = false;
                fw.refuseFilters.clear();
                timers.execute(() -> locked(this::allocate));
            }
            case SUPPRESS -> fw.suppressed = true;
            case KILL -> kill(fw, call.getKill());
            case ACKNOWLEDGE -> acknowledge(fw, call.getAcknowledge());
            case RECONCILE -> reconcile(fw, call.getReconcile());
            case SHUTDOWN, MESSAGE, REQUEST, DECLINE_INVERSE_OFFERS, ACCEPT_INVERSE_OFFERS -> {
                // accepted and ignored, as a master without custom executors or inverse offers would
            }
            default -> violation("UNSUPPORTED_CALL", call.getType() + " is not supported by the test master");
        }
        changed.signalAll();
        return new Answer(202, "", Map.of());
    }

    /**
     * The real master's answer to a call on a stream that is not the framework's current one; a
     * {@link Race} when it names a stream this master ended less than the race grace ago. Lock held.
     */
    private Answer staleStream(Call call, String streamId, int status, String text) {
        Long endedAt = streamId == null ? null : endedStreams.get(streamId);
        if (endedAt != null) {
            long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedAt);
            if (sinceMs < config.raceGrace.toMillis()) {
                return new Answer(status, text, Map.of(), new Race("STALE_STREAM_IN_FLIGHT", call.getType()
                        + " on stream " + streamId + " arrived " + sinceMs + " ms after the master ended it; answered "
                        + status + " '" + text + "'"));
            }
        }
        return Answer.text(status, text);
    }

    private void teardown(Framework fw) {
        long now = System.nanoTime();
        for (OfferState o : offers.values()) {
            if (o.fw == fw && now - o.createdNanos < config.raceGrace.toNanos()) {
                races.add(new Race("OFFER_SENT_AT_TEARDOWN", "offer " + o.id() + " on agent " + o.agent.agentId()
                        + " was sent " + TimeUnit.NANOSECONDS.toMillis(now - o.createdNanos)
                        + " ms before TEARDOWN arrived"));
            } else if (o.fw == fw) {
                violation("OFFER_HELD_AT_TEARDOWN", "offer " + o.id() + " on agent " + o.agent.agentId()
                        + " was neither accepted nor declined before TEARDOWN");
            }
        }
        for (Iterator<SentUpdate> it = unacked.values().iterator(); it.hasNext();) {
            SentUpdate u = it.next();
            if (u.frameworkId().equals(fw.id)) {
                violation("UNACKNOWLEDGED_UPDATE", describe(u.status()) + " was never acknowledged (TEARDOWN)");
                it.remove();
            }
        }
        removeOffersOf(fw, false);
        for (Task t : fw.tasks.values()) {
            stopTask(t);
        }
        fw.tasks.clear();
        if (fw.stream != null) {
            endStream(fw.stream);
            fw.stream = null;
        }
        frameworks.remove(fw.id);
        removedFrameworks.add(fw.id);
    }

    /** The task is gone from the cluster without an update (teardown, forget). Lock held. */
    private void stopTask(Task t) {
        t.gone = true;
        if (t.retry != null) {
            t.retry.cancel(false);
        }
        if (!t.terminal) {
            t.terminal = true;
            t.agent.available.addResources(t.resources);
        }
    }

    private void decline(Framework fw, List<OfferID> ids, org.apache.mesos.v1.Protos.Filters filters) {
        for (OfferID id : ids) {
            OfferState o = offers.get(id.getValue());
            if (o != null && o.fw == fw) {
                offers.remove(id.getValue());
                o.agent.available.addPool(o.pool);
                refuse(fw, o.agent, filters, o.pool);
            }
        }
    }

    private void refuse(Framework fw, FakeAgent agent, org.apache.mesos.v1.Protos.Filters filters,
            ResourcePool refused) {
        double seconds = filters.hasRefuseSeconds() ? filters.getRefuseSeconds() : 5.0;
        if (seconds > 0) {
            // As the allocator: a filter lasts at least one allocation interval, and an agent can
            // hold several filters of one framework, each expiring on its own.
            long nanos = Math.max((long) (seconds * 1e9), config.allocationInterval.toNanos());
            fw.refuseFilters.computeIfAbsent(agent.agentId(), k -> new ArrayList<>())
                    .add(new RefuseFilter(System.nanoTime() + nanos, refused.copy()));
        }
    }

    /** Whether a live refuse filter holds back the agent's free resources from the framework. Lock held. */
    private boolean refused(Framework fw, FakeAgent agent, long now) {
        List<RefuseFilter> filters = fw.refuseFilters.get(agent.agentId());
        if (filters == null) {
            return false;
        }
        filters.removeIf(f -> f.untilNanos - now <= 0);
        if (filters.isEmpty()) {
            fw.refuseFilters.remove(agent.agentId());
            return false;
        }
        if (!config.resourceRefuseFilters) {
            return true;
        }
        for (RefuseFilter f : filters) {
            if (f.refused.containsPool(agent.available)) {
                return true;
            }
        }
        return false;
    }

    private void accept(Framework fw, Call.Accept accept) {
        String invalid = null;
        List<OfferState> used = new ArrayList<>();
        for (OfferID id : accept.getOfferIdsList()) {
            OfferState o = offers.get(id.getValue());
            if (o == null || o.fw != fw) {
                invalid = "Offer " + id.getValue() + " is no longer valid";
                break;
            }
            if (!used.isEmpty() && used.get(0).agent != o.agent) {
                invalid = "Aggregated offers must belong to one single agent. Offer " + id.getValue()
                        + " uses agent " + o.agent.agentId() + " and offer " + used.get(0).id() + " uses agent "
                        + used.get(0).agent.agentId();
                break;
            }
            used.add(o);
        }
        if (accept.getOfferIdsCount() == 0) {
            invalid = "No offers specified";
        }
        for (OfferState o : used) {
            offers.remove(o.id());
        }
        if (invalid != null) {
            violation("INVALID_OFFERS", "ACCEPT with invalid offers: " + invalid);
            for (OfferState o : used) {
                o.agent.available.addPool(o.pool);
                refuse(fw, o.agent, accept.getFilters(), o.pool);
            }
            for (TaskInfo task : launches(accept)) {
                masterUpdate(fw, status(task.getTaskId(), fw.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST)
                        .setMessage("Task launched with invalid offers: " + invalid)
                        .setReason(TaskStatus.Reason.REASON_INVALID_OFFERS)
                        .setAgentId(task.getAgentId()));
            }
            return;
        }
        FakeAgent agent = used.get(0).agent;
        ResourcePool remaining = used.get(0).pool.emptyLike();
        used.forEach(o -> remaining.addPool(o.pool));
        for (org.apache.mesos.v1.Protos.Offer.Operation op : accept.getOperationsList()) {
            if (op.getType() != org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH) {
                violation("UNSUPPORTED_OPERATION", op.getType() + " is not supported by the test master");
                continue;
            }
            for (TaskInfo given : op.getLaunch().getTaskInfosList()) {
                TaskInfo task = fw.multiRole() ? given : injectAllocationInfo(given, fw.role());
                String error = validateTask(fw, task, agent, remaining);
                if (error != null) {
                    violation("INVALID_TASK", "task " + task.getTaskId().getValue() + ": " + error);
                    masterUpdate(fw, status(task.getTaskId(), TaskState.TASK_ERROR).setMessage(error)
                            .setReason(TaskStatus.Reason.REASON_TASK_INVALID).setAgentId(task.getAgentId()));
                    continue;
                }
                List<Resource> all = taskResources(task);
                remaining.subtract(all);
                launch(fw, task, agent, all);
            }
        }
        agent.available.addPool(remaining);
        refuse(fw, agent, accept.getFilters(), remaining);
    }

    private static List<TaskInfo> launches(Call.Accept accept) {
        List<TaskInfo> out = new ArrayList<>();
        for (org.apache.mesos.v1.Protos.Offer.Operation op : accept.getOperationsList()) {
            out.addAll(op.getLaunch().getTaskInfosList());
            op.getLaunchGroup().getTaskGroup().getTasksList().forEach(out::add);
        }
        return out;
    }

    private static TaskInfo injectAllocationInfo(TaskInfo task, String role) {
        TaskInfo.Builder b = task.toBuilder();
        for (int i = 0; i < b.getResourcesCount(); i++) {
            if (!b.getResources(i).hasAllocationInfo()) {
                b.setResources(i, b.getResources(i).toBuilder()
                        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)));
            }
        }
        return b.build();
    }

    private static List<Resource> taskResources(TaskInfo task) {
        List<Resource> all = new ArrayList<>(task.getResourcesList());
        if (task.hasExecutor()) {
            all.addAll(task.getExecutor().getResourcesList());
        }
        return all;
    }

    private String validateTask(Framework fw, TaskInfo task, FakeAgent agent, ResourcePool remaining) {
        if (task.getTaskId().getValue().isEmpty()) {
            return "Task ID must not be empty";
        }
        if (!task.getAgentId().getValue().equals(agent.agentId())) {
            return "Task uses invalid agent: " + task.getAgentId().getValue();
        }
        if (fw.tasks.containsKey(task.getTaskId().getValue())) {
            return "Task has duplicate ID: " + task.getTaskId().getValue();
        }
        if (task.hasCommand() == task.hasExecutor()) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }
        if (task.hasExecutor()) {
            return "Custom executors are not supported by the test master";
        }
        if (task.getCommand().getShell() && !task.getCommand().hasValue()) {
            return "Task's CommandInfo has 'shell' true but no 'value'";
        }
        List<Resource> all = taskResources(task);
        for (Resource r : all) {
            if (!r.hasAllocationInfo() || !r.getAllocationInfo().getRole().equals(fw.role())) {
                return "Invalid resources: resource " + ResourcePool.format(r)
                        + " must carry allocation_info with role '" + fw.role() + "'";
            }
            if (r.getReservationsCount() > 0 || r.hasReservation() || (r.hasRole() && !r.getRole().equals("*"))) {
                return "Invalid resources: resource " + ResourcePool.format(r)
                        + " is reserved, but the offer holds unreserved resources only";
            }
            if (r.getType() != Value.Type.SCALAR && r.getType() != Value.Type.RANGES) {
                return "Invalid resources: resource " + ResourcePool.format(r) + " has an unsupported type";
            }
            if (r.getType() == Value.Type.SCALAR && !(r.getScalar().getValue() > 0)) {
                return "Invalid resources: scalar resource " + r.getName() + " must be positive (got "
                        + r.getScalar().getValue() + ")";
            }
        }
        if (!remaining.contains(all)) {
            return "Total resources " + ResourcePool.format(all)
                    + " required by task and its executor is more than available " + remaining.format(fw.role());
        }
        return null;
    }

    private void launch(Framework fw, TaskInfo info, FakeAgent agent, List<Resource> resources) {
        TaskBehaviour behaviour = config.behaviours != null ? config.behaviours.apply(info)
                : TaskBehaviour.finishAfter(config.defaultRunTime).withStdout("hello from " + info.getTaskId().getValue());
        Task t = new Task(fw, info, agent, behaviour, resources, UUID.randomUUID().toString(), 20000 + random.nextInt(40000));
        fw.tasks.put(t.id(), t);
        launched.add(info);
        agent.createSandbox(fw.id, t.id(), t.containerId);
        step(t, config.stepDelay, false, () -> {
            glog(t, "exec.cpp:164] Version: 1.12.0");
            glog(t, "exec.cpp:237] Executor registered on agent " + agent.agentId());
            glog(t, "executor.cpp:190] Received SUBSCRIBED event");
            glog(t, "executor.cpp:194] Subscribed executor on " + agent.spec().hostname());
            glog(t, "executor.cpp:190] Received LAUNCH event");
            glog(t, "executor.cpp:722] Starting task " + t.id());
            executorUpdate(t, TaskState.TASK_STARTING, null);
            step(t, config.stepDelay, false, () -> {
                glog(t, "executor.cpp:740] Forked command at " + (t.pid + 6));
                behaviour.stdout().forEach(l -> agent.append(fw.id, t.id(), "stdout", l + "\n"));
                behaviour.stderr().forEach(l -> agent.append(fw.id, t.id(), "stderr", l + "\n"));
                executorUpdate(t, TaskState.TASK_RUNNING, null);
                behaviour.runFor().ifPresent(d -> step(t, d, false, () -> exit(t, behaviour.exitCode())));
            });
        });
    }

    private void exit(Task t, int code) {
        glog(t, "executor.cpp:1041] Command exited with status " + code + " (pid: " + (t.pid + 6) + ")");
        executorUpdate(t, code == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED,
                "Command exited with status " + code);
    }

    /** Appends a glog line ({@code Immdd hh:mm:ss.uuuuuu pid text}) to the task's stderr. */
    private void glog(Task t, String text) {
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        // Built by hand: String.format was a tenth of the master's CPU in the makespan bench.
        StringBuilder line = new StringBuilder(32 + text.length()).append('I');
        twoDigits(line, now.getMonthValue());
        twoDigits(line, now.getDayOfMonth());
        twoDigits(line.append(' '), now.getHour());
        twoDigits(line.append(':'), now.getMinute());
        twoDigits(line.append(':'), now.getSecond());
        String micros = Integer.toString(now.getNano() / 1000);
        line.append('.').append("000000", micros.length(), 6).append(micros);
        line.append(' ').append(t.pid).append(' ').append(text).append(System.lineSeparator());
        t.agent.append(t.fw.id, t.id(), "stderr", line.toString());
    }

    private static void twoDigits(StringBuilder sb, int v) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /**
     * Runs a step of a task's script after {@code delay}, under the lock, unless the task is gone,
     * terminal or (for script steps) being killed; while its agent is unreachable the step waits.
     */
    private void step(Task t, Duration delay, boolean evenIfKilled, Runnable action) {
        if (closed) {
            return;
        }
        timers.schedule(() -> locked(() -> {
            if (t.gone || t.terminal || (t.killRequested && !evenIfKilled)) {
                return;
            }
            if (!t.agent.reachable) {
                step(t, Duration.ofMillis(20), evenIfKilled, action);
                return;
            }
            action.run();
        }), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void kill(Framework fw, Call.Kill kill) {
        Task t = fw.tasks.get(kill.getTaskId().getValue());
        if (t == null) {
            reconcileUnknown(fw, kill.getTaskId(), kill.hasAgentId() ? kill.getAgentId() : null);
            return;
        }
        if (t.terminal || t.killRequested) {
            return;
        }
        t.killRequested = true;
        if (fw.killingState()) {
            step(t, Duration.ofMillis(1), true, () -> executorUpdate(t, TaskState.TASK_KILLING, null));
        }
        step(t, config.killDelay, true, () -> {
            glog(t, "executor.cpp:1041] Command terminated with signal Terminated (pid: " + (t.pid + 6) + ")");
            executorUpdate(t, TaskState.TASK_KILLED, "Command terminated with signal Terminated");
        });
    }

    private void acknowledge(Framework fw, Call.Acknowledge ack) {
        ByteString uuid = ack.getUuid();
        if (!everSent.contains(uuid)) {
            violation("UNKNOWN_ACKNOWLEDGEMENT", "ACKNOWLEDGE of task " + ack.getTaskId().getValue()
                    + " with a uuid the master never sent");
            return;
        }
        unacked.remove(uuid);
        Task t = fw.tasks.get(ack.getTaskId().getValue());
        if (t == null || t.queue.isEmpty() || !t.queue.peek().getUuid().equals(uuid)) {
            return;
        }
        t.queue.poll();
        if (t.retry != null) {
            t.retry.cancel(false);
            t.retry = null;
        }
        if (t.queue.isEmpty()) {
            if (t.terminal) {
                fw.tasks.remove(t.id());
            }
        } else {
            sendHead(t);
        }
    }

    private void reconcile(Framework fw, Call.Reconcile reconcile) {
        if (reconcile.getTasksCount() == 0) {
            for (Task t : List.copyOf(fw.tasks.values())) {
                reconcileKnown(t);
            }
            return;
        }
        for (Call.Reconcile.Task rt : reconcile.getTasksList()) {
            Task t = fw.tasks.get(rt.getTaskId().getValue());
            if (t != null) {
                reconcileKnown(t);
            } else {
                reconcileUnknown(fw, rt.getTaskId(), rt.hasAgentId() ? rt.getAgentId() : null);
            }
        }
    }

    private void reconcileKnown(Task t) {
        if (t.unreachable) {
            masterUpdate(t.fw, status(t.info.getTaskId(), t.fw.partitionAware() ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST)
                    .setMessage("Reconciliation: Task is unreachable").setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                    .setAgentId(t.info.getAgentId()).setUnreachableTime(t.unreachableTime));
            return;
        }
        TaskStatus.Builder s = status(t.info.getTaskId(), t.state).setMessage("Reconciliation: Latest task state")
                .setReason(TaskStatus.Reason.REASON_RECONCILIATION).setAgentId(t.info.getAgentId());
        if (t.state != TaskState.TASK_STAGING) {
            s.setContainerStatus(t.containerStatus());
        }
        masterUpdate(t.fw, s);
    }

    private void reconcileUnknown(Framework fw, TaskID taskId, AgentID agentId) {
        FakeAgent agent = agentId == null ? null : agents.get(agentId.getValue());
        boolean pa = fw.partitionAware();
        TaskStatus.Builder s;
        if (agent == null) {
            s = status(taskId, pa ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST).setMessage("Reconciliation: Task is unknown");
        } else if (!agent.reachable) {
            s = status(taskId, pa ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST)
                    .setMessage("Reconciliation: Task is unreachable").setAgentId(agentId);
        } else {
            s = status(taskId, pa ? TaskState.TASK_GONE : TaskState.TASK_LOST)
                    .setMessage("Reconciliation: Task is unknown to the agent").setAgentId(agentId);
        }
        masterUpdate(fw, s.setReason(TaskStatus.Reason.REASON_RECONCILIATION));
    }

    // ------------------------------------------------------------------------------------------
    // updates

    private static TaskStatus.Builder status(TaskID taskId, TaskState state) {
        return TaskStatus.newBuilder().setTaskId(taskId).setState(state)
                .setTimestamp(System.currentTimeMillis() / 1000.0);
    }

    private void masterUpdate(Framework fw, TaskStatus.Builder status) {
        status.setSource(TaskStatus.Source.SOURCE_MASTER);
        send(fw, update(status.build()));
    }

    private static Event update(TaskStatus status) {
        return Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    }

    /** An update from the task's command executor: queued per task, sent head first. Lock held. */
    private void executorUpdate(Task t, TaskState state, String message) {
        byte[] uuid = new byte[16];
        random.nextBytes(uuid);
        TaskStatus.Builder s = status(t.info.getTaskId(), state).setAgentId(t.info.getAgentId())
                .setExecutorId(ExecutorID.newBuilder().setValue(t.id())).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setUuid(ByteString.copyFrom(uuid)).setContainerStatus(t.containerStatus());
        if (message != null) {
            s.setMessage(message);
        }
        t.state = state;
        if (isTerminal(state)) {
            t.terminal = true;
            t.agent.available.addResources(t.resources);
            if (state == TaskState.TASK_FINISHED) {
                finishedCounts.merge(t.id(), 1, Integer::sum);
            }
        }
        t.queue.add(s.build());
        if (t.queue.size() == 1) {
            sendHead(t);
        }
        changed.signalAll();
    }

    /** Sends the oldest unacknowledged update of a task, if its framework and agent can be reached. */
    private void sendHead(Task t) {
        TaskStatus head = t.queue.peek();
        if (head == null || t.gone || !t.agent.reachable || t.fw.stream == null) {
            return;
        }
        if (!send(t.fw, update(head))) {
            return;
        }
        everSent.add(head.getUuid());
        unacked.putIfAbsent(head.getUuid(), new SentUpdate(Instant.now(), t.fw.id, head));
        t.lastSent = head;
        if (t.retry != null) {
            t.retry.cancel(false);
        }
        t.retry = timers.schedule(() -> locked(() -> {
            if (t.queue.peek() == head) {
                sendHead(t);
            }
        }), config.updateRetryInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    static boolean isTerminal(TaskState s) {
        return switch (s) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }

    // ------------------------------------------------------------------------------------------
    // allocation

    private void allocate() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        for (Framework fw : frameworks.values()) {
            if (fw.stream == null || fw.suppressed) {
                continue;
            }
            List<Offer> batch = new ArrayList<>();
            for (FakeAgent agent : agents.values()) {
                if (!agent.reachable || refused(fw, agent, now) || !allocatable(agent.available)
                        || (agent.available.hasGpus() && !fw.gpuResources())) {
                    continue;
                }
                ResourcePool pool = agent.available.takeAll();
                String id = masterId + "-O" + offerSeq.getAndIncrement();
                Offer.Builder offer = Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                        .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
                        .setAgentId(AgentID.newBuilder().setValue(agent.agentId()))
                        .setHostname(agent.spec().hostname()).addAllResources(pool.toProto(fw.role()))
                        .setUrl(agent.url())
                        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(fw.role()));
                agent.spec().attributes().forEach((k, v) -> offer.addAttributes(Attribute.newBuilder().setName(k)
                        .setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue(v))));
                OfferState state = new OfferState(offer.build(), fw, agent, pool, now);
                offers.put(id, state);
                batch.add(state.offer);
                if (config.offerTimeout != null) {
                    // The master's own timer per offer (Master::offerTimeout); the resources go
                    // back without a filter and are offered at the next allocation.
                    timers.schedule(() -> locked(() -> {
                        if (offers.get(id) == state) {
                            rescindOffer(state);
                        }
                    }), config.offerTimeout.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            if (!batch.isEmpty()) {
                send(fw, Event.newBuilder().setType(Event.Type.OFFERS)
                        .setOffers(Event.Offers.newBuilder().addAllOffers(batch)).build());
            }
        }
    }

    private static boolean allocatable(ResourcePool pool) {
        return pool.allocatable();
    }

    private void rescindOffer(OfferState o) {
        offers.remove(o.id());
        o.agent.available.addPool(o.pool);
        send(o.fw, Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(o.offer.getId())).build());
    }

    private void removeOffersOf(Framework fw, boolean rescind) {
        for (OfferState o : List.copyOf(offers.values())) {
            if (o.fw == fw) {
                if (rescind) {
                    rescindOffer(o);
                } else {
                    offers.remove(o.id());
                    o.agent.available.addPool(o.pool);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // fault injection

    /** Ends the subscriber's stream; the framework stays known but disconnected (calls get 403). */
    public void dropStream() {
        locked(() -> List.copyOf(frameworks.values()).forEach(this::disconnect));
    }

    /** No more HEARTBEAT events until {@link #resumeHeartbeats()}. */
    public void stopHeartbeats() {
        locked(() -> heartbeatsStopped = true);
    }

    public void resumeHeartbeats() {
        locked(() -> heartbeatsStopped = false);
    }

    /** Rescinds one outstanding offer (RESCIND event); its resources go back to the agent. */
    public void rescind(String offerId) {
        locked(() -> {
            OfferState o = offers.get(offerId);
            if (o == null) {
                throw new IllegalArgumentException("offer '" + offerId + "' is not outstanding (outstanding: "
                        + offers.keySet() + ")");
            }
            rescindOffer(o);
        });
    }

    public void rescindAllOutstanding() {
        locked(() -> List.copyOf(offers.values()).forEach(this::rescindOffer));
    }

    /**
     * The agent stops answering: its offers are rescinded at once; after the agent removal delay
     * its tasks become TASK_UNREACHABLE (PARTITION_AWARE) or TASK_LOST, REASON_AGENT_REMOVED,
     * "health check timed out", then FAILURE {agent_id}. Task scripts pause meanwhile.
     */
    public void removeAgent(String agentId) {
        locked(() -> {
            FakeAgent agent = requireAgent(agentId);
            agent.reachable = false;
            for (OfferState o : List.copyOf(offers.values())) {
                if (o.agent == agent) {
                    rescindOffer(o);
                }
            }
            timers.schedule(() -> locked(() -> agentRemoved(agent)), config.agentRemovalDelay.toNanos(),
                    TimeUnit.NANOSECONDS);
        });
    }

    private void agentRemoved(FakeAgent agent) {
        if (agent.reachable) {
            return;
        }
        long nanos = System.currentTimeMillis() * 1_000_000L;
        for (Framework fw : frameworks.values()) {
            for (Task t : fw.tasks.values()) {
                if (t.agent == agent && !t.terminal && !t.unreachable) {
                    t.unreachable = true;
                    t.unreachableTime = TimeInfo.newBuilder().setNanoseconds(nanos).build();
                    masterUpdate(fw, status(t.info.getTaskId(), fw.partitionAware() ? TaskState.TASK_UNREACHABLE
                            : TaskState.TASK_LOST).setMessage("health check timed out")
                            .setReason(TaskStatus.Reason.REASON_AGENT_REMOVED).setAgentId(t.info.getAgentId())
                            .setUnreachableTime(t.unreachableTime));
                }
            }
            send(fw, Event.newBuilder().setType(Event.Type.FAILURE)
                    .setFailure(Event.Failure.newBuilder().setAgentId(AgentID.newBuilder().setValue(agent.agentId())))
                    .build());
        }
    }

    /** The removed agent registers again: unreachable tasks go TASK_RUNNING (REASON_AGENT_REREGISTERED). */
    public void reAddAgent(String agentId) {
        locked(() -> {
            FakeAgent agent = requireAgent(agentId);
            agent.reachable = true;
            for (Framework fw : frameworks.values()) {
                for (Task t : fw.tasks.values()) {
                    if (t.agent != agent) {
                        continue;
                    }
                    if (t.unreachable) {
                        t.unreachable = false;
                        masterUpdate(fw, status(t.info.getTaskId(), t.state).setMessage("Unreachable agent re-reregistered")
                                .setReason(TaskStatus.Reason.REASON_AGENT_REREGISTERED).setAgentId(t.info.getAgentId())
                                .setContainerStatus(t.containerStatus()));
                    }
                    sendHead(t);
                }
            }
            timers.execute(() -> locked(this::allocate));
        });
    }

    /** The next {@code n} scheduler requests are answered {@code status} with {@code body} (text/plain). */
    public void failNextCalls(int n, int status, String body) {
        if (n < 0 || status < 100 || status > 599) {
            throw new IllegalArgumentException("failNextCalls(" + n + ", " + status + ") is out of range");
        }
        locked(() -> {
            failCount = n;
            failStatus = status;
            failBody = Objects.requireNonNull(body, "body");
        });
    }

    /** Every scheduler request is answered 307 with {@code Location: //host:port/master/api/v1/scheduler}. */
    public void redirectTo(URI otherMaster) {
        Objects.requireNonNull(otherMaster, "otherMaster");
        locked(() -> redirect = otherMaster);
    }

    public void stopRedirecting() {
        locked(() -> redirect = null);
    }

    /** Sends the task's last sent executor update again (same uuid), as an agent retry does. */
    public void resendLastUpdate(String taskId) {
        locked(() -> {
            Task t = findTask(taskId);
            if (t.lastSent == null) {
                throw new IllegalStateException("task '" + taskId + "' has sent no update yet");
            }
            send(t.fw, update(t.lastSent));
        });
    }

    /**
     * Sends a custom update to the (first) subscribed framework. One with a uuid must be
     * acknowledged like any executor update.
     */
    public void sendUpdate(TaskStatus status) {
        locked(() -> {
            Framework fw = frameworks.values().stream().filter(f -> f.stream != null).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no framework is subscribed"));
            if (send(fw, update(status)) && status.hasUuid()) {
                everSent.add(status.getUuid());
                unacked.putIfAbsent(status.getUuid(), new SentUpdate(Instant.now(), fw.id, status));
            }
        });
    }

    /** Ends a running task now with this exit code (e.g. one that runs forever). */
    public void completeTask(String taskId, int exitCode) {
        locked(() -> {
            Task t = findTask(taskId);
            if (!t.terminal) {
                exit(t, exitCode);
            }
        });
    }

    /** Forgets every framework (as a new master would): later calls get 400 "Framework cannot be found". */
    public void forgetFramework() {
        locked(() -> {
            for (Framework fw : List.copyOf(frameworks.values())) {
                removeOffersOf(fw, false);
                fw.tasks.values().forEach(this::stopTask);
                if (fw.stream != null) {
                    endStream(fw.stream);
                }
            }
            frameworks.clear();
            unacked.clear();
        });
    }

    private Task findTask(String taskId) {
        for (Framework fw : frameworks.values()) {
            Task t = fw.tasks.get(taskId);
            if (t != null) {
                return t;
            }
        }
        throw new IllegalArgumentException("no known task '" + taskId + "'");
    }

    // ------------------------------------------------------------------------------------------
    // observation

    public List<ReceivedCall> calls() {
        return read(() -> List.copyOf(calls));
    }

    public List<ReceivedCall> calls(Call.Type type) {
        return read(() -> calls.stream().filter(c -> c.is(type)).toList());
    }

    public List<SentEvent> sentEvents() {
        return read(() -> List.copyOf(sentEvents));
    }

    /** Updates sent with a uuid and not acknowledged yet, oldest first. */
    public List<TaskStatus> unacknowledgedUpdates() {
        return read(() -> unacked.values().stream().map(SentUpdate::status).toList());
    }

    /** TaskInfos of every valid launch, in order (allocation_info injected for non-MULTI_ROLE frameworks). */
    public List<TaskInfo> launchedTasks() {
        return read(() -> List.copyOf(launched));
    }

    /** Ids of tasks whose latest state is TASK_RUNNING and whose agent is reachable. */
    public Set<String> runningTaskIds() {
        return read(() -> {
            Set<String> out = new LinkedHashSet<>();
            frameworks.values().forEach(fw -> fw.tasks.values().stream()
                    .filter(t -> t.state == TaskState.TASK_RUNNING && !t.unreachable).forEach(t -> out.add(t.id())));
            return out;
        });
    }

    /** Ids of tasks that reached TASK_FINISHED at least once. */
    public Set<String> finishedTaskIds() {
        return read(() -> Set.copyOf(finishedCounts.keySet()));
    }

    /** How often each task id reached TASK_FINISHED (more than 1 = the same id finished twice). */
    public Map<String, Integer> finishedCounts() {
        return read(() -> Map.copyOf(finishedCounts));
    }

    /** The latest state the master holds for a task still known to it. */
    public Optional<TaskState> taskState(String taskId) {
        return read(() -> frameworks.values().stream().map(fw -> fw.tasks.get(taskId)).filter(Objects::nonNull)
                .findFirst().map(t -> t.state));
    }

    /** The FrameworkInfo of the latest SUBSCRIBE (with the id the master gave). */
    public Optional<FrameworkInfo> frameworkInfo() {
        return read(() -> Optional.ofNullable(lastFrameworkInfo));
    }

    /** The current stream id of the framework with this id, if it is subscribed. */
    public Optional<String> streamId(String frameworkId) {
        return read(() -> Optional.ofNullable(frameworks.get(frameworkId)).map(fw -> fw.stream).map(s -> s.id));
    }

    /** Offers sent and not yet accepted, declined or rescinded. */
    public List<Offer> outstandingOffers() {
        return read(() -> offers.values().stream().map(o -> o.offer).toList());
    }

    /**
     * Protocol errors of the client so far: every 4xx answered (except injected ones), ACCEPTs of
     * invalid offers, invalid tasks, offers held at TEARDOWN, updates unacknowledged at TEARDOWN
     * or for longer than the ack grace, acknowledgements of uuids never sent.
     */
    public List<Violation> violations() {
        return read(() -> {
            List<Violation> out = new ArrayList<>(violations);
            Instant limit = Instant.now().minus(config.ackGrace);
            for (SentUpdate u : unacked.values()) {
                if (u.firstSent().isBefore(limit)) {
                    out.add(new Violation("UNACKNOWLEDGED_UPDATE", describe(u.status()) + " unacknowledged since "
                            + u.firstSent()));
                }
            }
            return out;
        });
    }

    /**
     * Rejections and held offers the client could not avoid (see {@link Race}); answered as a real
     * master answers, but not {@link #violations()}.
     */
    public List<Race> races() {
        return read(() -> List.copyOf(races));
    }

    /** Waits for a received call matching {@code predicate}; fails with the calls seen so far. */
    public ReceivedCall awaitCall(Predicate<ReceivedCall> predicate, Duration timeout) {
        return awaitCalls(predicate, 1, timeout).get(0);
    }

    /** Waits until at least {@code count} received calls match; answers the matching calls. */
    public List<ReceivedCall> awaitCalls(Predicate<ReceivedCall> predicate, int count, Duration timeout) {
        return await(() -> {
            List<ReceivedCall> m = calls.stream().filter(predicate).toList();
            return m.size() >= count ? m : null;
        }, timeout, () -> "calls received: " + calls.stream().map(c -> c.type() + "=" + c.status()).toList());
    }

    /** Waits for an event written to any stream that matches. */
    public SentEvent awaitEvent(Predicate<Event> predicate, Duration timeout) {
        return await(() -> sentEvents.stream().filter(e -> predicate.test(e.event())).findFirst().orElse(null),
                timeout, () -> "events sent: " + sentEvents.stream().map(e -> e.event().getType()).toList());
    }

    /** Waits until the master's latest state of a task is {@code state}. */
    public void awaitTaskState(String taskId, TaskState state, Duration timeout) {
        await(() -> frameworks.values().stream().map(fw -> fw.tasks.get(taskId)).filter(Objects::nonNull)
                .anyMatch(t -> t.state == state) ? Boolean.TRUE : null, timeout,
                () -> "task " + taskId + " never reached " + state);
    }

    private <T> T await(java.util.function.Supplier<T> probe, Duration timeout, java.util.function.Supplier<String> why) {
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

    // ------------------------------------------------------------------------------------------
    // internals

    private void violation(String kind, String detail) {
        violations.add(new Violation(kind, detail));
    }

    private static String describe(TaskStatus s) {
        return "update " + s.getState() + " of task " + s.getTaskId().getValue() + " (uuid "
                + Base64.getEncoder().encodeToString(s.getUuid().toByteArray()) + ")";
    }

    private void locked(Runnable action) {
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

    private <T> T read(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    /** One subscriber connection. */
    private static final class Stream {
        final String id;
        final Framework fw;
        final RecordIoWriter writer;
        final CountDownLatch ended = new CountDownLatch(1);
        boolean open = true;
        ScheduledFuture<?> heartbeat;

        Stream(String id, Framework fw, RecordIoWriter writer) {
            this.id = id;
            this.fw = fw;
            this.writer = writer;
        }
    }

    /** A framework the master knows, connected or not. */
    private static final class Framework {
        final String id;
        FrameworkInfo info = FrameworkInfo.getDefaultInstance();
        Stream stream;
        boolean suppressed;
        /** Live refuse filters per agent id. */
        final Map<String, List<RefuseFilter>> refuseFilters = new HashMap<>();
        final Map<String, Task> tasks = new LinkedHashMap<>();

        Framework(String id) {
            this.id = id;
        }

        boolean has(FrameworkInfo.Capability.Type type) {
            return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
        }

        boolean partitionAware() {
            return has(FrameworkInfo.Capability.Type.PARTITION_AWARE);
        }

        boolean killingState() {
            return has(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
        }

        boolean multiRole() {
            return has(FrameworkInfo.Capability.Type.MULTI_ROLE);
        }

        boolean gpuResources() {
            return has(FrameworkInfo.Capability.Type.GPU_RESOURCES);
        }

        String role() {
            if (info.getRolesCount() > 0) {
                return info.getRoles(0);
            }
            return info.hasRole() ? info.getRole() : "*";
        }
    }

    /** A refuse filter: until when, and what was refused (held back are offers it contains). */
    private record RefuseFilter(long untilNanos, ResourcePool refused) {
    }

    /** An outstanding offer and the resources it holds. */
    private record OfferState(Offer offer, Framework fw, FakeAgent agent, ResourcePool pool, long createdNanos) {
        String id() {
            return offer.getId().getValue();
        }
    }

    /** A launched task, its script state and its executor's update queue. */
    private static final class Task {
        final Framework fw;
        final TaskInfo info;
        final FakeAgent agent;
        final TaskBehaviour behaviour;
        final List<Resource> resources;
        final String containerId;
        final int pid;
        final Deque<TaskStatus> queue = new ArrayDeque<>();
        TaskState state = TaskState.TASK_STAGING;
        boolean terminal;
        boolean killRequested;
        boolean unreachable;
        boolean gone;
        TimeInfo unreachableTime;
        TaskStatus lastSent;
        ScheduledFuture<?> retry;

        Task(Framework fw, TaskInfo info, FakeAgent agent, TaskBehaviour behaviour, List<Resource> resources,
             String containerId, int pid) {
            this.fw = fw;
            this.info = info;
            this.agent = agent;
            this.behaviour = behaviour;
            this.resources = List.copyOf(resources);
            this.containerId = containerId;
            this.pid = pid;
        }

        String id() {
            return info.getTaskId().getValue();
        }

        ContainerStatus containerStatus() {
            return ContainerStatus.newBuilder().setContainerId(ContainerID.newBuilder().setValue(containerId))
                    .setExecutorPid(pid)
                    .addNetworkInfos(NetworkInfo.newBuilder().addIpAddresses(
                            NetworkInfo.IPAddress.newBuilder().setIpAddress("127.0.0.1")))
                    .build();
        }
    }
}
