package io.mesosrunner.cluster.mesos;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link MesosCluster} needs to register a framework. Immutable; build one with
 * {@link #builder(MasterAddress, String)}.
 *
 * <p>Defaults: role {@code *}; user = the current OS user ({@code user.name}); no principal;
 * failover timeout 7 days, so that an interrupted runner can resubscribe with the same framework
 * id for a week (the master keeps its tasks that long); partition-aware and checkpointing on;
 * a connection counts as dead after 5 heartbeat intervals without a byte; reconnect backoff from
 * 1 s doubling to 30 s, giving up after 10 attempts in a row; task output polled every second
 * and for 3 s after a task's terminal update.
 *
 * @param master                where the master is
 * @param frameworkName         the framework name shown in the Mesos UI
 * @param role                  the one role the framework subscribes with
 * @param user                  the OS user tasks run as unless the job names one
 * @param principal             HTTP Basic principal (also put in FrameworkInfo), or null
 * @param secret                the principal's secret, or null; never logged, not in {@link #toString}
 * @param caCert                PEM/DER CA certificate to trust for {@code https}, or null for the JDK's trust store;
 *                              when set, masters found through ZooKeeper are also called over https
 * @param failoverTimeout       how long the master keeps the framework after a disconnection
 * @param partitionAware        declare PARTITION_AWARE (TASK_UNREACHABLE instead of TASK_LOST)
 * @param checkpoint            ask agents to checkpoint the framework's tasks
 * @param heartbeatMissFactor   heartbeat intervals without a byte before the stream is declared dead
 * @param reconnectMin          first backoff between (re)connection attempts
 * @param reconnectMax          largest backoff
 * @param maxReconnectAttempts  failed attempts in a row before {@code ClusterFailed}
 * @param frameworkId           a framework id to resubscribe as (resuming an earlier run), or null
 * @param clock                 time source for heartbeat deadlines, output polling, linger and
 *                              the close-time output drain
 * @param tailOutput            read task stdout/stderr from the agents
 * @param outputPollInterval    how often task output is polled
 * @param outputLinger          how long output is still read after a task's terminal update
 * @param retryNotice           told of every attempt to reach the master that failed and will be
 *                              retried (for a plain line to the user); by default nothing is told
 */
public record MesosConfig(
    MasterAddress master,
    String frameworkName,
    String role,
    String user,
    String principal,
    String secret,
    Path caCert,
    Duration failoverTimeout,
    boolean partitionAware,
    boolean checkpoint,
    int heartbeatMissFactor,
    Duration reconnectMin,
    Duration reconnectMax,
    int maxReconnectAttempts,
    String frameworkId,
    Clock clock,
    boolean tailOutput,
    Duration outputPollInterval,
    Duration outputLinger,
    RetryNotice retryNotice) {

  /**
   * Hears that reaching (or reaching again) the master failed and another attempt follows. Called
   * on the subscription's thread; must return quickly and not throw.
   */
  @FunctionalInterface
  public interface RetryNotice {
    /**
     * @param problem what went wrong, e.g. {@code cannot reach master at http://h:5050: connection refused}
     * @param retry   the number of the retry that follows (1 for the first)
     * @param retries how many retries there are at most before the runner gives up
     * @param delay   how long until that retry
     */
    void retrying(String problem, int retry, int retries, Duration delay);

    /** Tells nobody. */
    RetryNotice NONE = (problem, retry, retries, delay) -> { };
  }

  public MesosConfig {
    Objects.requireNonNull(master, "master");
    requireText("frameworkName", frameworkName);
    requireText("role", role);
    requireText("user", user);
    if (principal != null && principal.isBlank()) {
      throw new IllegalArgumentException("principal must not be blank when set");
    }
    if (secret != null && principal == null) {
      throw new IllegalArgumentException("a secret was given without a principal");
    }
    requirePositive("failoverTimeout", failoverTimeout);
    if (heartbeatMissFactor < 1) {
      throw new IllegalArgumentException("heartbeatMissFactor (" + heartbeatMissFactor + ") must be >= 1");
    }
    requirePositive("reconnectMin", reconnectMin);
    requirePositive("reconnectMax", reconnectMax);
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnectMax (" + reconnectMax + ") must be >= reconnectMin (" + reconnectMin + ")");
    }
    if (maxReconnectAttempts < 1) {
      throw new IllegalArgumentException("maxReconnectAttempts (" + maxReconnectAttempts + ") must be >= 1");
    }
    if (frameworkId != null && frameworkId.isBlank()) {
      throw new IllegalArgumentException("frameworkId must not be blank when set");
    }
    Objects.requireNonNull(clock, "clock");
    requirePositive("outputPollInterval", outputPollInterval);
    Objects.requireNonNull(outputLinger, "outputLinger");
    if (outputLinger.isNegative()) {
      throw new IllegalArgumentException("outputLinger (" + outputLinger + ") must be >= 0");
    }
    Objects.requireNonNull(retryNotice, "retryNotice");
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " (" + value + ") must be a non-blank string");
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " (" + value + ") must be positive");
    }
  }

  /** A builder with every default set; only the master and the framework name are required. */
  public static Builder builder(MasterAddress master, String frameworkName) {
    return new Builder(master, frameworkName);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(master, frameworkName);
    b.role = role;
    b.user = user;
    b.principal = principal;
    b.secret = secret;
    b.caCert = caCert;
    b.failoverTimeout = failoverTimeout;
    b.partitionAware = partitionAware;
    b.checkpoint = checkpoint;
    b.heartbeatMissFactor = heartbeatMissFactor;
    b.reconnectMin = reconnectMin;
    b.reconnectMax = reconnectMax;
    b.maxReconnectAttempts = maxReconnectAttempts;
    b.frameworkId = frameworkId;
    b.clock = clock;
    b.tailOutput = tailOutput;
    b.outputPollInterval = outputPollInterval;
    b.outputLinger = outputLinger;
    b.retryNotice = retryNotice;
    return b;
  }

  /** Whether HTTP Basic credentials are sent. */
  public boolean authenticates() {
    return principal != null;
  }

  @Override
  public String toString() {
    return "MesosConfig[master=" + master + ", frameworkName=" + frameworkName + ", role=" + role
        + ", user=" + user + ", principal=" + principal + ", secret=" + (secret == null ? "none" : "<redacted>")
        + ", caCert=" + caCert + ", failoverTimeout=" + failoverTimeout + ", partitionAware=" + partitionAware
        + ", checkpoint=" + checkpoint + ", heartbeatMissFactor=" + heartbeatMissFactor
        + ", reconnect=" + reconnectMin + ".." + reconnectMax + " x" + maxReconnectAttempts
        + ", frameworkId=" + frameworkId + ", tailOutput=" + tailOutput + "]";
  }

  /** Builds a {@link MesosConfig}; every setter returns the builder. Not thread-safe. */
  public static final class Builder {
    private final MasterAddress master;
    private final String frameworkName;
    private String role = "*";
    private String user = System.getProperty("user.name", "nobody");
    private String principal;
    private String secret;
    private Path caCert;
    private Duration failoverTimeout = Duration.ofDays(7);
    private boolean partitionAware = true;
    private boolean checkpoint = true;
    private int heartbeatMissFactor = 5;
    private Duration reconnectMin = Duration.ofSeconds(1);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private int maxReconnectAttempts = 10;
    private String frameworkId;
    private Clock clock = Clock.systemUTC();
    private boolean tailOutput = true;
    private Duration outputPollInterval = Duration.ofSeconds(1);
    private Duration outputLinger = Duration.ofSeconds(3);
    private RetryNotice retryNotice = RetryNotice.NONE;

    private Builder(MasterAddress master, String frameworkName) {
      this.master = master;
      this.frameworkName = frameworkName;
    }

    public Builder role(String v) { role = v; return this; }
    public Builder user(String v) { user = v; return this; }
    public Builder principal(String v) { principal = v; return this; }
    public Builder secret(String v) { secret = v; return this; }
    public Builder caCert(Path v) { caCert = v; return this; }
    public Builder failoverTimeout(Duration v) { failoverTimeout = v; return this; }
    public Builder partitionAware(boolean v) { partitionAware = v; return this; }
    public Builder checkpoint(boolean v) { checkpoint = v; return this; }
    public Builder heartbeatMissFactor(int v) { heartbeatMissFactor = v; return this; }
    public Builder reconnectMin(Duration v) { reconnectMin = v; return this; }
    public Builder reconnectMax(Duration v) { reconnectMax = v; return this; }
    public Builder maxReconnectAttempts(int v) { maxReconnectAttempts = v; return this; }
    public Builder frameworkId(String v) { frameworkId = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    public Builder tailOutput(boolean v) { tailOutput = v; return this; }
    public Builder outputPollInterval(Duration v) { outputPollInterval = v; return this; }
    public Builder outputLinger(Duration v) { outputLinger = v; return this; }
    public Builder retryNotice(RetryNotice v) { retryNotice = v; return this; }

    public MesosConfig build() {
      return new MesosConfig(master, frameworkName, role, user, principal, secret, caCert, failoverTimeout,
          partitionAware, checkpoint, heartbeatMissFactor, reconnectMin, reconnectMax, maxReconnectAttempts,
          frameworkId, clock, tailOutput, outputPollInterval, outputLinger, retryNotice);
    }
  }
}
