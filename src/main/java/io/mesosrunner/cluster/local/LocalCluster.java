package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Offer;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Threading: one event-loop thread owns all state; {@link #execute} only enqueues. Processes
 * are started by a {@link ProcessStarter} (a Perl spawner where Perl runs, see
 * {@link LocalConfig.Starter}), which reports their ends on a thread of its own; one thread
 * signals process trees, and one output thread follows every task's stdout and stderr files
 * (see {@link OutputTailer}). Events reach the listener from the event-loop thread, output lines
 * from the output thread; a task's remaining output is delivered before its terminal update.
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
  private static final String RECONCILIATION = "RECONCILIATION";

  private final LocalConfig config;
  private final Amounts total;
  private final BitSet totalPorts = new BitSet();
  private final ScheduledThreadPoolExecutor loop;
  private final ExecutorService signaller;
  private volatile ProcessStarter starter;
  private volatile ProcessTrees trees;
  private final OutputTailer tailer;
  private final Thread tailerThread;
  private final Set<String> unacked = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private final String frameworkId = "local-" + UUID.randomUUID();
  private volatile ClusterListener listener;
  private volatile boolean tornDown;
  private Thread shutdownHook;

  // State below is owned by the event-loop thread.
  private final Map<String, Task> active = new LinkedHashMap<>();
  private final Map<String, TaskStatus> latest = new HashMap<>();
  private final Map<String, Held> outstanding = new LinkedHashMap<>();
  private final List<Filter> filters = new ArrayList<>();
  private Amounts allocated = Amounts.ZERO;
  private Amounts offered = Amounts.ZERO;
  private final BitSet usedPorts = new BitSet();
  private final BitSet offeredPorts = new BitSet();
  private final Set<String> runnable = new HashSet<>();
  private boolean started;
  private boolean suppressed;
  private boolean offerPassPending;
  private long lastOfferNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
  private ScheduledFuture<?> filterRecheck;
  private Instant filterRecheckAt;
  private long offerCounter;

  public LocalCluster(LocalConfig config) {
    this.config = config;
    this.total = new Amounts(
        Amounts.milli(config.cpus()), Amounts.milli(config.memMb()),
        Amounts.milli(config.diskMb()), Amounts.milli(config.gpus()));
    totalPorts.set((int) config.ports().begin(), (int) config.ports().end() + 1);
    this.loop = new ScheduledThreadPoolExecutor(1, named("local-cluster"));
    loop.setRemoveOnCancelPolicy(true);
    this.signaller = Executors.newSingleThreadExecutor(named("local-cluster-signal"));
    this.tailer = new OutputTailer(this::deliverLine, () -> {
      ProcessTrees t = trees;
      if (t != null) {
        t.sweepSometimes();
      }
    });
    this.tailerThread = named("local-cluster-output").newThread(tailer);
  }

  private static ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The job fields the local cluster cannot honour, by name, in the order {@code container},
   * {@code uris}, {@code role}, {@code user}, {@code gpus}; empty when it can run the job. Assumes
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
    if (!job.uris().isEmpty()) {
      out.add("uris");
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
   * Asks the JDK to start child processes with {@code vfork} instead of {@code posix_spawn}
   * through its {@code jspawnhelper}, which costs an extra exec per process: it halved the cost of
   * every task started by {@link JdkProcessStarter} (2.8 -> 1.6 ms per task on 2 cores), and it
   * makes the Perl spawner and {@code kill} commands cheaper to start too. Sets the system property
   * {@code jdk.lang.Process.launchMechanism} unless it is set already, on Linux only. It takes
   * effect only if called before the JVM starts its first child process, so {@code main} should
   * call it first thing. Returns whether the property now asks for {@code VFORK}.
   */
  public static boolean preferFastProcessSpawn() {
    String key = "jdk.lang.Process.launchMechanism";
    if (System.getProperty(key) == null
        && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      System.setProperty(key, "VFORK");
    }
    return "VFORK".equalsIgnoreCase(System.getProperty(key));
  }

  private ProcessStarter newStarter() {
    if (config.starter() != LocalConfig.Starter.JDK) {
      ProcessStarter perl = PerlProcessStarter.tryStart(
          why -> post(() -> emit(new Event.ClusterFailed(why))));
      if (perl != null) {
        return perl;
      }
      if (config.starter() == LocalConfig.Starter.PERL) {
        throw new IllegalStateException("the local cluster cannot start its Perl process spawner"
            + " (is perl with its POSIX module installed?)");
      }
    }
    return new JdkProcessStarter();
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
    return Set.copyOf(unacked);
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
      if (this.listener != null) {
        throw new IllegalStateException("local cluster already started");
      }
      if (closed.get()) {
        throw new IllegalStateException("local cluster is closed");
      }
      this.starter = newStarter();
      this.trees = new ProcessTrees(starter);
      LOG.debug("local cluster starts tasks through the {}", starter.describe());
      this.listener = listener;
      tailerThread.start();
      shutdownHook = new Thread(this::close, "local-cluster-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    post(() -> {
      started = true;
      emit(new Event.Subscribed(frameworkId, description()));
      requestOffer();
    });
  }

  @Override
  public void execute(Action action) {
    if (action instanceof Action.Acknowledge a) {
      unacked.remove(a.uuid());
      return;
    }
    post(() -> handle(action));
  }

  private void post(Runnable r) {
    if (loop.isShutdown()) {
      return;
    }
    try {
      loop.execute(() -> guarded(r));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("local cluster closed, dropped a command");
    }
  }

  private void guarded(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("local cluster internal error: {}", e.toString(), e);
      emit(new Event.ClusterFailed("local cluster internal error: " + e));
    }
  }

  // ---- event loop ----

  private void handle(Action action) {
    if (tornDown) {
      return;
    }
    if (action instanceof Action.Launch l) {
      launch(l);
    } else if (action instanceof Action.Decline d) {
      decline(d);
    } else if (action instanceof Action.Kill k) {
      kill(k.taskId());
    } else if (action instanceof Action.Reconcile r) {
      reconcile(r);
    } else if (action instanceof Action.Suppress) {
      suppressed = true;
    } else if (action instanceof Action.Revive) {
      suppressed = false;
      filters.clear();
      requestOffer();
    } else if (action instanceof Action.Teardown) {
      teardown();
    }
  }

  private void launch(Action.Launch l) {
    Held held = outstanding.remove(l.offerId());
    if (held == null) {
      for (TaskSpec spec : l.tasks()) {
        emit(new Event.StatusUpdate(new TaskStatus(spec.taskId(), TaskState.DROPPED, AGENT_ID,
            "Task launched with invalid offers: Offer " + l.offerId() + " is no longer valid",
            "INVALID_OFFERS", null, null)));
      }
      return;
    }
    offered = offered.minus(held.amounts);
    offeredPorts.andNot(held.ports);
    Amounts left = held.amounts;
    BitSet leftPorts = (BitSet) held.ports.clone();
    for (TaskSpec spec : l.tasks()) {
      Amounts need = Amounts.of(spec.placement().resources());
      String problem = problem(spec, need, left, leftPorts);
      if (problem != null) {
        emit(new Event.StatusUpdate(new TaskStatus(
            spec.taskId(), TaskState.ERROR, AGENT_ID, problem, "TASK_INVALID", null, null)));
        continue;
      }
      BitSet ports = new BitSet();
      for (long p : spec.placement().ports()) {
        ports.set((int) p);
      }
      left = left.minus(need);
      leftPorts.andNot(ports);
      allocated = allocated.plus(need);
      usedPorts.or(ports);
      Task task = new Task(spec, sandbox(spec.taskId()), need, ports);
      active.put(spec.taskId(), task);
      update(task, TaskState.STARTING, null, null);
      spawn(task);
    }
    Duration refuse = l.refuseRest() == null ? DEFAULT_REFUSE : l.refuseRest();
    addFilter(left, leftPorts, refuse);
    requestOffer();
  }

  /** Why a task cannot be launched on what is left of its offer, as the master says it; or null. */
  private String problem(TaskSpec spec, Amounts need, Amounts left, BitSet leftPorts) {
    String id = spec.taskId();
    if (active.containsKey(id)) {
      return "Task has duplicate ID: " + id;
    }
    if (id.isEmpty() || id.equals(".") || id.equals("..") || id.contains("/") || id.indexOf('\0') >= 0) {
      return "Task ID '" + id + "' cannot be used as a sandbox directory name";
    }
    List<String> unsupported = unsupportedFields(spec.job(), config.gpus());
    if (!unsupported.isEmpty()) {
      return "The local cluster cannot honour these fields of job '" + spec.job().name() + "': "
          + String.join(", ", unsupported);
    }
    boolean portsFit = true;
    BitSet wanted = new BitSet();
    for (long p : spec.placement().ports()) {
      if (p < 0 || p > 65535 || !leftPorts.get((int) p) || wanted.get((int) p)) {
        portsFit = false;
        break;
      }
      wanted.set((int) p);
    }
    if (!left.covers(need) || !portsFit) {
      String ports = spec.placement().ports().isEmpty() ? "" : "; ports:" + spec.placement().ports();
      return "Total resources " + need.describe() + ports
          + " required by task is more than available " + left.describe()
          + "; ports:" + Amounts.describe(leftPorts);
    }
    return null;
  }

  private void decline(Action.Decline d) {
    Duration refuse = d.refuse() == null ? DEFAULT_REFUSE : d.refuse();
    for (String id : d.offerIds()) {
      Held held = outstanding.remove(id);
      if (held == null) {
        continue;
      }
      offered = offered.minus(held.amounts);
      offeredPorts.andNot(held.ports);
      addFilter(held.amounts, held.ports, refuse);
    }
    requestOffer();
  }

  private void addFilter(Amounts amounts, BitSet ports, Duration refuse) {
    if (refuse.isZero() || refuse.isNegative() || (amounts.equals(Amounts.ZERO) && ports.isEmpty())) {
      return;
    }
    Instant until;
    try {
      until = config.clock().instant().plus(refuse);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      until = Instant.MAX;
    }
    Filter added = new Filter(amounts, (BitSet) ports.clone(), until);
    // A filter that another one holds back at least as much for at least as long adds nothing:
    // dropping those keeps the list short when every launch leaves a filter behind.
    for (Filter f : filters) {
      if (f.implies(added)) {
        return;
      }
    }
    filters.removeIf(added::implies);
    filters.add(added);
  }

  private void kill(String taskId) {
    Task task = active.get(taskId);
    if (task == null) {
      emit(new Event.StatusUpdate(new TaskStatus(taskId, TaskState.UNKNOWN, null,
          "Reconciliation: Task is unknown", RECONCILIATION, null, null)));
      return;
    }
    startKill(task);
  }

  private void startKill(Task task) {
    task.killRequested = true;
    if (task.pid != 0 && !task.signalled) {
      task.signalled = true;
      signalLater(task, false);
      long grace = config.killGrace().toNanos();
      task.killTimer = loop.schedule(() -> guarded(() -> {
        if (active.get(task.spec.taskId()) == task) {
          signalLater(task, true);
        }
      }), grace, TimeUnit.NANOSECONDS);
    }
    // A task not spawned yet is killed by onSpawned, or never started by spawn().
  }

  private void signalLater(Task task, boolean force) {
    long pid = task.pid;
    if (pid == 0) {
      return;
    }
    try {
      signaller.execute(() -> trees.signal(pid, task.seen, force));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      trees.signal(pid, task.seen, force);
    }
  }

  private void reconcile(Action.Reconcile r) {
    if (r.tasks().isEmpty()) {
      for (Task t : active.values()) {
        TaskStatus s = latest.get(t.spec.taskId());
        emit(new Event.StatusUpdate(new TaskStatus(t.spec.taskId(), s.state(), AGENT_ID,
            "Reconciliation: Latest task state", RECONCILIATION, s.exitCode(), null)));
      }
      return;
    }
    for (Action.TaskRef ref : r.tasks()) {
      TaskStatus s = latest.get(ref.taskId());
      if (s != null) {
        emit(new Event.StatusUpdate(new TaskStatus(ref.taskId(), s.state(), AGENT_ID,
            "Reconciliation: Latest task state", RECONCILIATION, s.exitCode(), null)));
      } else if (AGENT_ID.equals(ref.agentId())) {
        emit(new Event.StatusUpdate(new TaskStatus(ref.taskId(), TaskState.GONE, AGENT_ID,
            "Reconciliation: Task is unknown to the agent", RECONCILIATION, null, null)));
      } else {
        emit(new Event.StatusUpdate(new TaskStatus(ref.taskId(), TaskState.UNKNOWN, null,
            "Reconciliation: Task is unknown", RECONCILIATION, null, null)));
      }
    }
  }

  private void teardown() {
    tornDown = true;
    outstanding.clear();
    filters.clear();
    for (Task t : active.values()) {
      startKill(t);
    }
  }

  // ---- offers ----

  private void requestOffer() {
    if (offerPassPending || !started || tornDown || suppressed) {
      return;
    }
    offerPassPending = true;
    long wait = lastOfferNanos + TimeUnit.MILLISECONDS.toNanos(MIN_OFFER_GAP_MILLIS) - System.nanoTime();
    if (wait <= 0) {
      post(this::offerPass);
    } else {
      loop.schedule(() -> guarded(this::offerPass), wait, TimeUnit.NANOSECONDS);
    }
  }

  private void offerPass() {
    offerPassPending = false;
    if (!started || tornDown || suppressed) {
      return;
    }
    Amounts free = total.minus(allocated).minus(offered);
    BitSet freePorts = (BitSet) totalPorts.clone();
    freePorts.andNot(usedPorts);
    freePorts.andNot(offeredPorts);
    if (!free.allocatable()) {
      return;
    }
    Instant now = config.clock().instant();
    filters.removeIf(f -> !now.isBefore(f.until));
    for (Filter f : filters) {
      if (f.amounts.covers(free) && containsAll(f.ports, freePorts)) {
        recheckFiltersAt(f.until, now);
        return;
      }
    }
    String id = "local-O" + (++offerCounter);
    outstanding.put(id, new Held(free, freePorts));
    offered = offered.plus(free);
    offeredPorts.or(freePorts);
    lastOfferNanos = System.nanoTime();
    emit(new Event.OffersReceived(List.of(new Offer(id, AGENT_ID, config.hostname(), "*",
        free.toResources(), Amounts.ranges(freePorts), Map.of()))));
  }

  private static boolean containsAll(BitSet big, BitSet small) {
    for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(big.nextClearBit(i))) {
      if (!big.get(i)) {
        return false;
      }
    }
    return true;
  }

  private void recheckFiltersAt(Instant until, Instant now) {
    if (filterRecheck != null && !filterRecheck.isDone() && !filterRecheckAt.isAfter(until)) {
      return;
    }
    if (filterRecheck != null) {
      filterRecheck.cancel(false);
    }
    long delay = Math.max(1, Duration.between(now, until).toNanos());
    filterRecheckAt = until;
    filterRecheck = loop.schedule(() -> guarded(this::requestOffer), delay, TimeUnit.NANOSECONDS);
  }

  // ---- tasks ----

  /** On the event loop: hands the task to the starter. */
  private void spawn(Task task) {
    TaskSpec spec = task.spec;
    Path out = task.sandbox.resolve("stdout");
    Path err = task.sandbox.resolve("stderr");
    Map<String, String> env = new LinkedHashMap<>(spec.job().env());
    env.putAll(spec.env());
    env.put("MESOS_SANDBOX", task.sandbox.toString());
    env.put("MESOS_TASK_ID", spec.taskId());
    List<String> argv = spec.job().command().isShell()
        ? List.of("/bin/sh", "-c", spec.job().command().shell())
        : spec.job().command().argv();
    String problem = hasNul(argv) || hasNul(env.keySet()) || hasNul(env.values())
        ? "invalid null character in command"
        : programProblem(argv.get(0), env.getOrDefault("PATH", System.getenv("PATH")), task.sandbox);
    if (problem != null) {
      String message = "Failed to start command: " + problem;
      try {
        Files.createDirectories(task.sandbox);
      } catch (IOException ignored) {
        // the update carries the message anyway
      }
      appendQuietly(err, message);
      task.gone.countDown();
      if (config.tailOutput()) {
        tailer.finish(spec.taskId(), spec, out, err, () -> post(() -> ended(task, null, message)));
      } else {
        post(() -> ended(task, null, message));
      }
      return;
    }
    starter.start(task.sandbox, env, argv, new ProcessStarter.Callback() {
      @Override
      public void started(long pid) {
        task.pid = pid;
        if (config.tailOutput()) {
          tailer.watch(spec.taskId(), spec, out, err);
        }
        post(() -> spawned(task));
      }

      @Override
      public void ended(int exitValue, String startError) {
        task.gone.countDown();
        Integer value = startError == null ? exitValue : null;
        Runnable end = () -> post(() -> LocalCluster.this.ended(task, value, startError));
        if (config.tailOutput()) {
          tailer.finish(spec.taskId(), spec, out, err, end);
        } else {
          end.run();
        }
      }
    });
  }

  private static boolean hasNul(java.util.Collection<String> values) {
    for (String v : values) {
      if (v.indexOf('\0') >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Appends a line to a file, creating it; a failure is only logged. */
  static void appendQuietly(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.debug("cannot write {}: {}", file, e.toString());
    }
  }

  /** The file in a sandbox naming the task's process (its process group), for a later runner. */
  static final String PID_FILE = ".runner-pid";

  /**
   * Kills the processes an earlier runner left in these sandboxes (it was killed before it could
   * kill its tasks), with their whole process groups. A pid is trusted only while the process
   * with that pid started when the file says, so a recycled pid is never killed.
   *
   * @return how many task processes were still running and were killed
   */
  public static int killLeftovers(List<Path> sandboxes) {
    ProcessTrees trees = new ProcessTrees(new ProcessTrees.KillCommand());
    int killed = 0;
    for (Path sandbox : sandboxes) {
      Path file = sandbox.resolve(PID_FILE);
      if (!Files.isRegularFile(file)) continue;
      try {
        String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
        long pid = Long.parseLong(parts[0]);
        long started = Long.parseLong(parts[1]);
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) continue;
        long actual = handle.get().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
        if (started != 0 && Math.abs(actual - started) > 1000) continue;
        trees.signal(pid, new HashSet<>(), true);
        killed++;
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot check for leftover processes in {}: {}", sandbox, e.getMessage());
      }
    }
    return killed;
  }

  /**
   * {@link #findProblem}, remembering the programs found runnable (absolute, or looked up in a
   * PATH; not relative to a sandbox), so that every task of a job does not stat {@code /bin/sh}
   * again. A program removed later still fails to start, with the starter's message.
   */
  private String programProblem(String program, String path, Path workDir) {
    boolean sandboxRelative = program.contains("/") && !program.startsWith("/");
    String key = program + '\0' + path;
    if (!sandboxRelative && runnable.contains(key)) {
      return null;
    }
    String problem = findProblem(program, path, workDir);
    if (problem == null && !sandboxRelative) {
      runnable.add(key);
    }
    return problem;
  }

  /** Why {@code program} cannot be executed, or null when it looks executable. */
  private static String findProblem(String program, String path, Path workDir) {
    if (program.contains("/")) {
      Path p = workDir.resolve(program);
      if (!Files.exists(p)) {
        return program + ": No such file or directory";
      }
      return Files.isRegularFile(p) && Files.isExecutable(p) ? null : program + ": Permission denied";
    }
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return null;
      }
    }
    return program + ": command not found in PATH";
  }

  private void spawned(Task task) {
    if (active.get(task.spec.taskId()) != task) {
      return;
    }
    if (task.killRequested) {
      startKill(task);
    }
    update(task, TaskState.RUNNING, null, null);
  }

  /**
   * The task's process ended with {@code exitValue} (null if it never started, then
   * {@code startError} says why), and its output has been delivered.
   */
  private void ended(Task task, Integer exitValue, String startError) {
    if (active.get(task.spec.taskId()) != task) {
      return;
    }
    active.remove(task.spec.taskId());
    allocated = allocated.minus(task.need);
    usedPorts.andNot(task.ports);
    if (task.killTimer != null) {
      task.killTimer.cancel(false);
    }
    if (task.pid != 0) {
      trees.sweepLater(task.pid);
      if (task.killRequested) {
        for (ProcessHandle h : task.seen) {
          h.destroyForcibly();
        }
      }
    }
    if (exitValue == null) {
      if (task.killRequested) {
        update(task, TaskState.KILLED, startError, null);
      } else {
        update(task, TaskState.FAILED, startError, 127);
      }
    } else if (task.killRequested) {
      update(task, TaskState.KILLED, exitMessage(exitValue), exitValue);
    } else if (exitValue == 0) {
      update(task, TaskState.FINISHED, "Command exited with status 0", 0);
    } else {
      update(task, TaskState.FAILED, exitMessage(exitValue), exitValue);
    }
    requestOffer();
  }

  /** Java reports death by signal N as exit value 128 + N. */
  private static String exitMessage(int exitValue) {
    if (exitValue > 128 && exitValue < 128 + 65) {
      return "Command terminated with signal " + Signals.name(exitValue - 128);
    }
    return "Command exited with status " + exitValue;
  }

  private void update(Task task, TaskState state, String message, Integer exitCode) {
    String uuid = newUuid();
    TaskStatus status = new TaskStatus(task.spec.taskId(), state, AGENT_ID, message, null, exitCode, uuid);
    latest.put(task.spec.taskId(), status);
    if (tornDown) {
      return;
    }
    unacked.add(uuid);
    emit(new Event.StatusUpdate(status));
  }

  private static String newUuid() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private void emit(Event event) {
    ClusterListener l = listener;
    if (tornDown || l == null) {
      return;
    }
    try {
      l.onEvent(event);
    } catch (RuntimeException e) {
      LOG.error("cluster listener failed on {}: {}", event, e.toString(), e);
    }
  }

  private void deliverLine(TaskSpec task, ClusterListener.OutputStreamKind kind, String line) {
    ClusterListener l = listener;
    if (l != null && !tornDown) {
      l.onOutput(task, kind, line);
    }
  }

  // ---- close ----

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
    tornDown = true;
    CompletableFuture<List<Task>> running = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          teardown();
          running.complete(new ArrayList<>(active.values()));
        } catch (RuntimeException e) {
          running.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      running.complete(List.of());
    }
    List<Task> tasks;
    try {
      tasks = running.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("local cluster did not stop its tasks in time: {}", e.toString());
      tasks = List.of();
    }
    ProcessTrees trees = this.trees;
    if (trees == null) {
      shutDownThreads();
      return;
    }
    waitForStarts(tasks, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    signaller.shutdown();
    awaitQuietly(signaller, 5_000);
    // Tasks whose process started while the teardown ran were not signalled by it.
    for (Task t : tasks) {
      if (t.pid != 0 && t.gone.getCount() > 0) {
        trees.signal(t.pid, t.seen, false);
      }
    }
    long deadline = System.nanoTime() + config.killGrace().toNanos() + TimeUnit.SECONDS.toNanos(1);
    waitForExit(tasks, deadline);
    for (Task t : tasks) {
      if (t.pid != 0) {
        trees.signal(t.pid, t.seen, true);
      }
    }
    waitForExit(tasks, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    waitForDescendants(tasks, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    for (Task t : tasks) {
      if (t.pid != 0) {
        trees.sweepLater(t.pid);
      }
    }
    shutDownThreads();
    trees.sweep();
    starter.close();
  }

  private void shutDownThreads() {
    signaller.shutdownNow();
    loop.shutdownNow();
    awaitQuietly(loop, 2_000);
    if (tailerThread.isAlive()) {
      tailer.stop();
      try {
        tailerThread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until every task's start has been reported (a pid, or its end). */
  private static void waitForStarts(List<Task> tasks, long deadlineNanos) {
    for (Task t : tasks) {
      while (t.pid == 0 && t.gone.getCount() > 0 && System.nanoTime() < deadlineNanos) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void waitForExit(List<Task> tasks, long deadlineNanos) {
    for (Task t : tasks) {
      long left = deadlineNanos - System.nanoTime();
      if (t.pid == 0 || left <= 0) {
        continue;
      }
      try {
        t.gone.await(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until every descendant seen by a kill is gone (re-parented ones are not our children). */
  private static void waitForDescendants(List<Task> tasks, long deadlineNanos) {
    for (Task t : tasks) {
      for (ProcessHandle h : t.seen) {
        while (h.isAlive() && System.nanoTime() < deadlineNanos) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private static void awaitQuietly(ExecutorService e, long millis) {
    try {
      if (!e.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        e.shutdownNow();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- state records ----

  /** One launched task. Fields other than the final ones belong to the event loop. */
  private static final class Task {
    final TaskSpec spec;
    final Path sandbox;
    final Amounts need;
    final BitSet ports;
    final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    /** The task's process (and process group) id once started, else 0. */
    volatile long pid;
    /** Counted down when the task's process has ended or could not start. */
    final java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
    volatile boolean killRequested;
    boolean signalled;
    ScheduledFuture<?> killTimer;

    Task(TaskSpec spec, Path sandbox, Amounts need, BitSet ports) {
      this.spec = spec;
      this.sandbox = sandbox;
      this.need = need;
      this.ports = ports;
    }
  }

  /** An outstanding offer. */
  private record Held(Amounts amounts, BitSet ports) {}

  /** A refuse filter: resources that are a subset of these are not offered before {@code until}. */
  private record Filter(Amounts amounts, BitSet ports, Instant until) {

    /** Whether this filter holds back everything {@code other} does, for at least as long. */
    boolean implies(Filter other) {
      return amounts.covers(other.amounts) && containsAll(ports, other.ports)
          && !until.isBefore(other.until);
    }
  }

  /** For tests: how many tasks the cluster currently runs or starts. Blocks briefly. */
  int activeCount() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    post(() -> f.complete(active.size()));
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }
}
