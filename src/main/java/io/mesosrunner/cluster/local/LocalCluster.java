package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded local cluster: an in-process Mesos master and agent in one, behind the
 * {@link Cluster} port. It offers this machine's resources (as set in {@link LocalConfig}) to the
 * scheduler and runs each launched task as a real child process in its sandbox directory
 * {@code runDir/<taskId>/}, feeding back the events a partition-aware Mesos 1.12 master would.
 *
 * <p>What it mirrors: one agent {@code local-S0}; offers {@code local-O<n>} of everything free and
 * not already offered, re-issued within milliseconds when a task ends (no allocation interval),
 * bursts coalesced to one offer every {@link #MIN_OFFER_GAP_MILLIS} ms; refuse filters (a filter
 * holds back resources that are a subset of what was declined, until it expires or a revive);
 * suppress and revive; strict launches (an unknown or used offer drops its tasks with
 * {@code INVALID_OFFERS}; a task that does not fit what the earlier tasks of the same launch left
 * is a {@code TASK_ERROR} with {@code TASK_INVALID}; the offer is used up either way); the command
 * executor's STARTING, RUNNING and terminal updates, each with a fresh uuid, and its messages
 * ({@code Command exited with status N}, {@code Command terminated with signal Terminated});
 * master-generated updates without uuid for reconciliation and unknown tasks.
 *
 * <p>Parts (package-private): the {@link LocalMaster} (offers, filters, launch checks,
 * reconciliation, status updates), the {@link LocalExecutor} (spawning, program lookup, kills,
 * exit-code mapping, output through the {@link SandboxFileTailer}) and the {@link LocalShutdown};
 * this class wires them and is the port.
 *
 * <p>Threading: one event-loop thread ({@link LocalLoop}) owns all state of the master and of
 * the tasks; {@link #execute} only enqueues. Processes are started by a {@link ProcessStarter} (a
 * Perl spawner where Perl runs, see {@link LocalConfig.Starter}), which reports their ends on a
 * thread of its own; one thread signals process trees, and one output thread follows every
 * task's stdout and stderr files. Events reach the listener from the event-loop thread, output
 * lines from the output thread; a task's remaining output is delivered before its terminal
 * update.
 *
 * <p>Processes: see {@link ProcessTrees} for how a task's whole process tree is killed. After a
 * {@code Teardown} no event is delivered any more; {@link #close()} kills whatever still runs and
 * waits for it, so that nothing is left running.
 */
public final class LocalCluster implements Cluster {

  /** The id of the one agent. */
  public static final String AGENT_ID = "local-S0";

  /** Offers are coalesced: at most one every this many milliseconds. */
  static final long MIN_OFFER_GAP_MILLIS = 2;

  /** The refuse duration Mesos applies when a decline sets none. */
  static final Duration DEFAULT_REFUSE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

  private final LocalConfig config;
  private final LocalLoop loop = new LocalLoop();
  private final LocalExecutor executor;
  private final LocalMaster master;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final MachineShare share;
  private final Object lifecycle = new Object();
  private Thread shutdownHook;

  /** How long a cluster waiting for what other runners hold waits before it looks at the ledger again. */
  static final long SHARED_RECHECK_MILLIS = 500;

  /** A local cluster that has this machine to itself (tests; each runner shares it, see below). */
  public LocalCluster(LocalConfig config) {
    this(config, (MachineShare) null);
  }

  /**
   * A local cluster that shares this machine's cpus, memory and ports with every other runner on
   * it through {@code ledger} (see {@link MachineLedger}), and waits, saying why, while they hold
   * what a task needs. {@code --local-cpus} and the like still cap what it offers.
   *
   * @param perTask what one task of the job asks (cpus and memory), to tell when others are in its way
   */
  public LocalCluster(LocalConfig config, MachineLedger ledger, io.mesosrunner.match.Resources perTask) {
    this(config, new MachineShare(ledger, new Amounts(Amounts.milli(Runtime.getRuntime().availableProcessors()),
        Amounts.milli(LocalConfig.defaultMemMb()), 0, 0), Amounts.of(perTask)));
  }

  private LocalCluster(LocalConfig config, MachineShare share) {
    this.config = config;
    this.share = share;
    this.executor = new LocalExecutor(config, loop);
    this.master = new LocalMaster(config, loop, executor, "local-" + UUID.randomUUID(), description());
    if (share != null) master.share(share);
  }

  /**
   * Where the lines for the user go, nowhere by default: why this cluster waits for other runners,
   * and each task that used more memory than it asked for.
   */
  public void onNotice(java.util.function.Consumer<String> sink) {
    if (share != null) share.onNotice(sink);
    master.onNotice(sink);
  }

  /**
   * The job fields the local cluster cannot honour, by name, in the order {@code container},
   * {@code role}, {@code user}, {@code gpus}; empty when it can run the job. Assumes
   * a cluster without GPUs (the default). Constraints are not listed: the local agent has no
   * attributes, so constraints on them simply never match and the matcher says so.
   */
  public static List<String> unsupportedFields(Job job) {
    return unsupportedFields(job, 0);
  }

  /** As {@link #unsupportedFields(Job)}, for a cluster with this configuration's GPUs. */
  public static List<String> unsupportedFields(Job job, LocalConfig config) {
    return unsupportedFields(job, config.gpus());
  }

  private static List<String> unsupportedFields(Job job, int gpus) {
    List<String> out = new ArrayList<>();
    if (job.container() != null) {
      out.add("container");
    }
    if (job.role() != null && !job.role().equals("*")) {
      out.add("role");
    }
    if (job.user() != null && !job.user().equals(System.getProperty("user.name"))) {
      out.add("user");
    }
    if (job.gpus() > gpus) {
      out.add("gpus");
    }
    return out;
  }

  /**
   * Why the job can never run on a local cluster of this configuration, one line per cause, with
   * numbers and units ({@code mem: asked 64 GiB, the local cluster has 22.5 GiB}); empty when
   * one instance fits the whole cluster. The local cluster never grows, so a job listed here would
   * wait for ever: callers end at once instead. Covers cpus, mem, disk, ports and constraints
   * (the one agent has the attribute {@code hostname} only); unsupported fields (gpus among them)
   * are {@link #unsupportedFields}'s.
   */
  public static List<String> neverFits(Job job, LocalConfig config) {
    List<String> out = new ArrayList<>();
    double eps = Resources.EPSILON;
    if (job.cpus() > config.cpus() + eps) {
      out.add("cpus: asked " + number(job.cpus()) + ", the local cluster has " + number(config.cpus()));
    }
    if (job.memMb() > config.memMb() + eps) {
      out.add("mem: asked " + size(job.memMb()) + ", the local cluster has " + size(config.memMb()));
    }
    if (job.diskMb() > config.diskMb() + eps) {
      out.add("disk: asked " + size(job.diskMb()) + ", the local cluster has " + size(config.diskMb()));
    }
    if (job.ports() > config.ports().size()) {
      out.add("ports: asked " + job.ports() + ", the local cluster has " + config.ports().size()
          + " (" + config.ports().begin() + "-" + config.ports().end() + ")");
    }
    for (Constraint c : job.constraints()) {
      if (c.operator() == Constraint.Operator.UNIQUE) {
        continue;
      }
      boolean isHost = c.attribute().equals("hostname");
      String value = isHost ? config.hostname() : null;
      boolean ok = switch (c.operator()) {
        case CLUSTER -> c.value().equals(value);
        case LIKE -> value != null && matches(c.value(), value);
        case UNLIKE -> value == null || !matches(c.value(), value);
        case UNIQUE -> true;
      };
      if (!ok) {
        out.add("constraint " + c + ": " + (isHost
            ? "the local cluster's hostname is " + config.hostname()
            : "the local cluster has no attribute " + c.attribute() + " (its only one is hostname)"));
      }
    }
    return out;
  }

  private static boolean matches(String regex, String value) {
    try {
      return java.util.regex.Pattern.compile(regex).matcher(value).matches();
    } catch (java.util.regex.PatternSyntaxException e) {
      return false;
    }
  }

  private static String number(double v) {
    return java.math.BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  /** MiB in the largest unit that keeps the number at least 1, one decimal: {@code 22.5 GiB}. */
  static String size(double mib) {
    String[] units = {"MiB", "GiB", "TiB", "PiB"};
    double v = mib;
    int u = 0;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return java.math.BigDecimal.valueOf(v).setScale(1, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString() + " " + units[u];
  }

  /** The configuration this cluster runs with. */
  public LocalConfig config() {
    return config;
  }

  /** The sandbox directory of a task: {@code runDir/<taskId>}. */
  public Path sandbox(String taskId) {
    return config.runDir().resolve(taskId);
  }

  @Override
  public String sandboxOf(String taskId) {
    return sandbox(taskId).toString();
  }

  /** The uuids of updates sent and not acknowledged yet. A snapshot; thread-safe. */
  public Set<String> unacknowledged() {
    return Set.copyOf(loop.unacked);
  }

  @Override
  public String description() {
    return "local cluster on " + config.hostname() + " (" + fmt(config.cpus()) + " cpus, "
        + fmt(config.memMb()) + " MiB memory), sandboxes in " + config.runDir();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  @Override
  public void start(ClusterListener listener) {
    synchronized (lifecycle) {
      if (loop.started()) {
        throw new IllegalStateException("local cluster already started");
      }
      if (closed.get()) {
        throw new IllegalStateException("local cluster is closed");
      }
      executor.start(master);
      loop.listenWith(listener);
      shutdownHook = new Thread(this::close, "local-cluster-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    loop.post(master::subscribe);
  }

  @Override
  public void execute(Action action) {
    action.accept(master.actions());
  }

  /** The file in a sandbox naming the task's process (its process group), for a later runner ({@link LocalRunAdmin}). */
  static final String PID_FILE = ".runner-pid";

  /**
   * Kills every task's process tree (SIGTERM, then SIGKILL after the grace period), waits for
   * them (bounded), and stops all threads. No event is delivered after this starts. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (lifecycle) {
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          LOG.debug("JVM shutting down");
        }
      }
    }
    new LocalShutdown(config, loop, master, executor).run();
    if (share != null) share.release();
  }

  /** For tests: how many tasks the cluster currently runs or starts. Blocks briefly. */
  int activeCount() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    loop.post(() -> f.complete(master.activeTasks().size()));
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }
}
