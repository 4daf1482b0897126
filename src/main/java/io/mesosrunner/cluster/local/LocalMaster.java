package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.match.Offer;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster's master, the part a Mesos master plays: it offers what is free and not yet
 * offered, keeps refuse filters, checks launches strictly (as the master does, see
 * {@link LocalCluster}), routes kills to the {@link LocalExecutor}, answers reconciliation and
 * sends the status updates.
 *
 * <p>Threading: every method runs on the event loop ({@link LocalLoop}), which owns all state
 * here; nothing else touches it.
 */
final class LocalMaster implements LocalExecutor.Reports {

  private static final String RECONCILIATION = "RECONCILIATION";

  private final LocalConfig config;
  private final LocalLoop loop;
  private final LocalExecutor executor;
  private final String frameworkId;
  private final String description;
  private final Actions actions = new Actions();
  private final Amounts total;
  private final BitSet totalPorts = new BitSet();

  private final Map<String, LocalTask> active = new LinkedHashMap<>();
  private final Map<String, TaskStatus> latest = new HashMap<>();
  private final Map<String, Held> outstanding = new LinkedHashMap<>();
  private final List<Filter> filters = new ArrayList<>();
  private Amounts allocated = Amounts.ZERO;
  private Amounts offered = Amounts.ZERO;
  private final BitSet usedPorts = new BitSet();
  private final BitSet offeredPorts = new BitSet();
  private boolean started;
  private boolean suppressed;
  private boolean offerPassPending;
  private long lastOfferNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
  private ScheduledFuture<?> filterRecheck;
  private Instant filterRecheckAt;
  private long offerCounter;

  LocalMaster(LocalConfig config, LocalLoop loop, LocalExecutor executor, String frameworkId, String description) {
    this.config = config;
    this.loop = loop;
    this.executor = executor;
    this.frameworkId = frameworkId;
    this.description = description;
    this.total = new Amounts(
        Amounts.milli(config.cpus()), Amounts.milli(config.memMb()),
        Amounts.milli(config.diskMb()), Amounts.milli(config.gpus()));
    totalPorts.set((int) config.ports().begin(), (int) config.ports().end() + 1);
  }

  /** The framework is subscribed: says so and makes the first offer. */
  void subscribe() {
    started = true;
    loop.emit(new Event.Subscribed(frameworkId, description));
    requestOffer();
  }

  /** The tasks launched and not ended yet. */
  List<LocalTask> activeTasks() {
    return new ArrayList<>(active.values());
  }

  /** The scheduler's actions, dispatched by kind; see {@link Actions}. */
  Action.Visitor actions() {
    return actions;
  }

  /**
   * Where each kind of action goes; the visitor makes the dispatch exhaustive, so a new kind of
   * action does not compile until it is handled here. Called on the scheduler's thread: an
   * acknowledgement only clears its update in the thread-safe set (so it holds once {@code
   * execute} returns); everything else runs on the loop, and not at all after a teardown.
   */
  private final class Actions implements Action.Visitor {
    @Override public void launch(Action.Launch l) { onLoop(() -> LocalMaster.this.launch(l)); }
    @Override public void decline(Action.Decline d) { onLoop(() -> LocalMaster.this.decline(d)); }
    @Override public void kill(Action.Kill k) { onLoop(() -> LocalMaster.this.kill(k.taskId())); }
    @Override public void acknowledge(Action.Acknowledge a) { loop.unacked.remove(a.uuid()); }
    @Override public void reconcile(Action.Reconcile r) { onLoop(() -> LocalMaster.this.reconcile(r)); }
    @Override public void suppress(Action.Suppress s) { onLoop(() -> suppressed = true); }
    @Override public void revive(Action.Revive r) { onLoop(LocalMaster.this::revive); }
    @Override public void teardown(Action.Teardown t) { onLoop(LocalMaster.this::teardown); }

    private void onLoop(Runnable r) {
      loop.post(() -> {
        if (!loop.tornDown()) {
          r.run();
        }
      });
    }
  }

  private void revive() {
    suppressed = false;
    filters.clear();
    requestOffer();
  }

  private void launch(Action.Launch l) {
    Held held = outstanding.remove(l.offerId());
    if (held == null) {
      for (TaskSpec spec : l.tasks()) {
        loop.emit(new Event.StatusUpdate(new TaskStatus(spec.taskId(), TaskState.DROPPED, LocalCluster.AGENT_ID,
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
        loop.emit(new Event.StatusUpdate(new TaskStatus(
            spec.taskId(), TaskState.ERROR, LocalCluster.AGENT_ID, problem, "TASK_INVALID", null, null)));
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
      LocalTask task = new LocalTask(spec, config.runDir().resolve(spec.taskId()), need, ports);
      active.put(spec.taskId(), task);
      update(task, TaskState.STARTING, null, null);
      executor.spawn(task);
    }
    Duration refuse = l.refuseRest() == null ? LocalCluster.DEFAULT_REFUSE : l.refuseRest();
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
    List<String> unsupported = LocalCluster.unsupportedFields(spec.job(), config);
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
    Duration refuse = d.refuse() == null ? LocalCluster.DEFAULT_REFUSE : d.refuse();
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
    } catch (ArithmeticException | DateTimeException e) {
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
    LocalTask task = active.get(taskId);
    if (task == null) {
      loop.emit(new Event.StatusUpdate(new TaskStatus(taskId, TaskState.UNKNOWN, null,
          "Reconciliation: Task is unknown", RECONCILIATION, null, null)));
      return;
    }
    executor.kill(task);
  }

  private void reconcile(Action.Reconcile r) {
    if (r.tasks().isEmpty()) {
      for (LocalTask t : active.values()) {
        TaskStatus s = latest.get(t.spec.taskId());
        loop.emit(new Event.StatusUpdate(new TaskStatus(t.spec.taskId(), s.state(), LocalCluster.AGENT_ID,
            "Reconciliation: Latest task state", RECONCILIATION, s.exitCode(), null)));
      }
      return;
    }
    for (Action.TaskRef ref : r.tasks()) {
      TaskStatus s = latest.get(ref.taskId());
      if (s != null) {
        loop.emit(new Event.StatusUpdate(new TaskStatus(ref.taskId(), s.state(), LocalCluster.AGENT_ID,
            "Reconciliation: Latest task state", RECONCILIATION, s.exitCode(), null)));
      } else if (LocalCluster.AGENT_ID.equals(ref.agentId())) {
        loop.emit(new Event.StatusUpdate(new TaskStatus(ref.taskId(), TaskState.GONE, LocalCluster.AGENT_ID,
            "Reconciliation: Task is unknown to the agent", RECONCILIATION, null, null)));
      } else {
        loop.emit(new Event.StatusUpdate(new TaskStatus(ref.taskId(), TaskState.UNKNOWN, null,
            "Reconciliation: Task is unknown", RECONCILIATION, null, null)));
      }
    }
  }

  /** Drops all offers and filters and kills every task; nothing is delivered any more. */
  void teardown() {
    loop.tearDown();
    outstanding.clear();
    filters.clear();
    for (LocalTask t : active.values()) {
      executor.kill(t);
    }
  }

  // ---- offers ----

  private void requestOffer() {
    if (offerPassPending || !started || loop.tornDown() || suppressed) {
      return;
    }
    offerPassPending = true;
    long wait = lastOfferNanos + TimeUnit.MILLISECONDS.toNanos(LocalCluster.MIN_OFFER_GAP_MILLIS) - System.nanoTime();
    if (wait <= 0) {
      loop.post(this::offerPass);
    } else {
      loop.schedule(this::offerPass, wait);
    }
  }

  private void offerPass() {
    offerPassPending = false;
    if (!started || loop.tornDown() || suppressed) {
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
    loop.emit(new Event.OffersReceived(List.of(new Offer(id, LocalCluster.AGENT_ID, config.hostname(), "*",
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
    filterRecheck = loop.schedule(this::requestOffer, delay);
  }

  // ---- what the executor reports ----

  @Override
  public void spawned(LocalTask task) {
    if (active.get(task.id()) != task) {
      return;
    }
    if (task.killRequested) {
      executor.kill(task);
    }
    update(task, TaskState.RUNNING, null, null);
  }

  @Override
  public void ended(LocalTask task, Integer exitValue, String startError) {
    if (active.get(task.id()) != task) {
      return;
    }
    active.remove(task.id());
    task.finished = true;
    allocated = allocated.minus(task.need);
    usedPorts.andNot(task.ports);
    executor.cleanUp(task);
    LocalExecutor.Ending end = LocalExecutor.ending(task.killRequested, exitValue, startError);
    String message = end.state() == TaskState.FINISHED && task.outputWarning != null
        ? end.message() + " (" + task.outputWarning + ")" : end.message();
    update(task, end.state(), message, end.exitCode());
    requestOffer();
  }

  private void update(LocalTask task, TaskState state, String message, Integer exitCode) {
    String uuid = newUuid();
    TaskStatus status = new TaskStatus(task.id(), state, LocalCluster.AGENT_ID, message, null, exitCode, uuid);
    latest.put(task.id(), status);
    if (loop.tornDown()) {
      return;
    }
    loop.unacked.add(uuid);
    loop.emit(new Event.StatusUpdate(status));
  }

  private static String newUuid() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
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
}
