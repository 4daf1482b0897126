package io.mesosrunner.cluster.mesos.testmaster;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Settings of a {@link TestMaster}, set through {@link TestMaster.Builder}. Defaults follow the recorded master where it had one:
 * heartbeat 15 s, allocation interval 1 s, no offer timeout, refuse filter 5 s, no
 * authentication; the timing of fake tasks is short so tests are fast.
 */
public abstract class TestMasterSettings<B extends TestMasterSettings<B>> {
    String masterId = UUID.randomUUID().toString();
    Duration heartbeatInterval = Duration.ofSeconds(15);
    Duration allocationInterval = Duration.ofSeconds(1);
    Duration offerTimeout;
    Duration stepDelay = Duration.ofMillis(10);
    Duration killDelay = Duration.ofMillis(50);
    Duration agentRemovalDelay = Duration.ofMillis(200);
    Duration updateRetryInterval = Duration.ofSeconds(10);
    Duration ackGrace = Duration.ofSeconds(1);
    Duration raceGrace = Duration.ofSeconds(1);
    Duration defaultRunTime = Duration.ofMillis(100);
    Duration executorRegistrationTimeout = Duration.ofMinutes(1);
    Function<TaskInfo, TaskBehaviour> behaviours;
    String principal;
    String secret;
    boolean agentFilesServers = true;
    boolean resourceRefuseFilters = true;

    TestMasterSettings() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B masterId(String id) {
        this.masterId = Objects.requireNonNull(id, "masterId");
        return self();
    }

    /** Interval of HEARTBEAT events and the value in SUBSCRIBED (default 15 s). */
    public B heartbeatInterval(Duration d) {
        this.heartbeatInterval = positive("heartbeatInterval", d);
        return self();
    }

    /** How often free resources are offered (default 1 s). */
    public B allocationInterval(Duration d) {
        this.allocationInterval = positive("allocationInterval", d);
        return self();
    }

    /** Offers held longer than this are rescinded (default: never). */
    public B offerTimeout(Duration d) {
        this.offerTimeout = positive("offerTimeout", d);
        return self();
    }

    /** Time from launch to TASK_STARTING and from there to TASK_RUNNING (default 10 ms). */
    public B stepDelay(Duration d) {
        this.stepDelay = positive("stepDelay", d);
        return self();
    }

    /** Time from KILL to TASK_KILLED (default 50 ms; the real executor took about 80 ms). */
    public B killDelay(Duration d) {
        this.killDelay = positive("killDelay", d);
        return self();
    }

    /** Time from {@link #removeAgent} to the agent's tasks being reported lost (default 200 ms). */
    public B agentRemovalDelay(Duration d) {
        this.agentRemovalDelay = positive("agentRemovalDelay", d);
        return self();
    }

    /** When an unacknowledged executor update is sent again (default 10 s, as the agent). */
    public B updateRetryInterval(Duration d) {
        this.updateRetryInterval = positive("updateRetryInterval", d);
        return self();
    }

    /** An update unacknowledged for longer than this counts as a violation (default 1 s). */
    public B ackGrace(Duration d) {
        this.ackGrace = positive("ackGrace", d);
        return self();
    }

    /**
     * How long after the master ended a stream a call naming it, and how long before TEARDOWN
     * an offer sent, count as a {@link Race} rather than a violation (default 1 s).
     */
    public B raceGrace(Duration d) {
        this.raceGrace = positive("raceGrace", d);
        return self();
    }

    /**
     * The agent's {@code --executor_registration_timeout} (default 1 min, as the agent's flag): how
     * long a task whose executor does not register ({@link TaskBehaviour#executorRegistrationTimeout})
     * waits before the agent fails it.
     */
    public B executorRegistrationTimeout(Duration d) {
        this.executorRegistrationTimeout = positive("executorRegistrationTimeout", d);
        return self();
    }

    /** Run time of the default behaviour (default 100 ms, then exit 0). */
    public B defaultRunTime(Duration d) {
        this.defaultRunTime = Objects.requireNonNull(d, "defaultRunTime");
        return self();
    }

    /** Chooses the behaviour of each launched task (default: {@link #defaultRunTime}, exit 0). */
    public B behaviours(Function<TaskInfo, TaskBehaviour> chooser) {
        this.behaviours = Objects.requireNonNull(chooser, "behaviours");
        return self();
    }

    /** Requires HTTP Basic authentication with this principal and secret. */
    public B authentication(String principal, String secret) {
        this.principal = Objects.requireNonNull(principal, "principal");
        this.secret = Objects.requireNonNull(secret, "secret");
        return self();
    }

    /**
     * Whether each fake agent runs its HTTP server for {@code /files/read} (default true). Off,
     * agents bind no port (their offers' url names port 0): for runs with thousands of agents
     * and output tailing switched off.
     */
    public B agentFilesServers(boolean on) {
        this.agentFilesServers = on;
        return self();
    }

    /**
     * Refuse filters as the real allocator's {@code RefusedOfferFilter} (default true, as
     * recorded in {@code refuse-superset.jsonl}): a DECLINE or ACCEPT filter holds back only
     * offers whose resources the refused resources contain, so resources freed on the agent (a
     * task ended) are offered at the next allocation although the filter has not expired. Off
     * (the makespan bench's {@code --agent-filters}), a filter holds back the whole agent until
     * it expires.
     */
    public B resourceRefuseFilters(boolean on) {
        this.resourceRefuseFilters = on;
        return self();
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " (" + d + ") must be positive");
        }
        return d;
    }
}
