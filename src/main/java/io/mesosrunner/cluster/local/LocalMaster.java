package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.match.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final RefuseFilters filters;
  private Amounts allocated = Amounts.ZERO;
  private Amounts offered = Amounts.ZERO;
  private final BitSet usedPorts = new BitSet();
  private final BitSet offeredPorts = new BitSet();
  private boolean started;
  private boolean suppressed;
  private boolean offerPassPending;
  private long lastOfferNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
  private long offerCounter;
  /** The machine shared with other runners, or null when this cluster has it to itself. */
  private MachineShare share;
  private boolean shrinkPending;
  /** Where lines for the user go: a task that used more memory than it asked. */
  private volatile java.util.function.Consumer<String> notices = line -> { };

  LocalMaster(LocalConfig config, LocalLoop loop, LocalExecutor executor, String frameworkId, String description) {
    this.config = config;
    this.loop = loop;
    this.executor = executor;
    this.frameworkId = frameworkId;
    this.description = description;
    this.filters = new RefuseFilters(config.clock(), loop, this::requestOffer);
    this.total = new Amounts(
        Amounts.milli(config.cpus()), Amounts.milli(config.memMb()),
        Amounts.milli(config.diskMb()), Amounts.milli(config.gpus()));
    totalPorts.set((int) config.ports().begin(), (int) config.ports().end() + 1);
  }

  /** Shares the machine with the other runners on it through {@code share}; before {@link #subscribe}. */
  void share(MachineShare share) {
    this.share = share;
  }

  /** Where lines for the user go (a task that used more memory than it asked for); any thread. */
  void onNotice(java.util.function.Consumer<String> sink) {
    notices = sink;
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
      String problem = LaunchCheck.problem(spec, need, left, leftPorts, active.containsKey(spec.taskId()), config);
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
    filters.add(left, leftPorts, refuse);
    requestOffer();
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
      filters.add(held.amounts, held.ports, refuse);
    }
    requestOffer();
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
      // No offer pass to record what this cluster holds now (less, after a task ended): record it here.
      if (suppressed && share != null && !loop.tornDown()) share.hold(allocated.plus(offered), heldPorts());
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
    if (share != null) {
      MachineShare.Offer o = share.offer(allocated.plus(offered), heldPorts(), free, freePorts, this::worthOffering);
      if (o.waitingForOthers()) {
        // Other runners hold what a task needs: look again soon (they tell no one when they let go).
        loop.schedule(this::requestOffer, TimeUnit.MILLISECONDS.toNanos(LocalCluster.SHARED_RECHECK_MILLIS));
      }
      shrinkRecordLater();
      if (o.amounts() == null) {
        return;
      }
      free = o.amounts();
      freePorts = o.ports();
    } else if (!worthOffering(free, freePorts)) {
      return;
    }
    String id = "local-O" + (++offerCounter);
    outstanding.put(id, new Held(free, freePorts));
    offered = offered.plus(free);
    offeredPorts.or(freePorts);
    lastOfferNanos = System.nanoTime();
    loop.emit(new Event.OffersReceived(List.of(new Offer(id, LocalCluster.AGENT_ID, config.hostname(), "*",
        free.toResources(), Amounts.ranges(freePorts), Map.of()))));
  }

  /**
   * When the ledger records more for this cluster than its tasks and offers hold (an offer pass
   * that needed no exchange kept the last record), the record is brought down to what is held in
   * a moment, so that other runners do not wait for resources this one does not use.
   */
  private void shrinkRecordLater() {
    if (shrinkPending || !share.recordsMoreThan(allocated.plus(offered))) {
      return;
    }
    shrinkPending = true;
    loop.schedule(() -> {
      shrinkPending = false;
      if (!loop.tornDown()) share.hold(allocated.plus(offered), heldPorts());
    }, MachineShare.KEEP_NANOS * 2);
  }

  /** Whether {@code free} is worth an offer: enough of it, and no refuse filter holds it back. */
  private boolean worthOffering(Amounts free, BitSet freePorts) {
    if (!free.allocatable()) {
      return false;
    }
    return !filters.holdBack(free, freePorts);
  }

  /** The ports this cluster's tasks use or its offers hold. */
  private BitSet heldPorts() {
    BitSet held = (BitSet) usedPorts.clone();
    held.or(offeredPorts);
    return held;
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
    warnIfOverMemory(task);
    LocalExecutor.Ending end = LocalExecutor.ending(task.killRequested, exitValue, startError);
    String message = end.state() == TaskState.FINISHED && task.outputWarning != null
        ? end.message() + " (" + task.outputWarning + ")" : end.message();
    update(task, end.state(), message, end.exitCode());
    requestOffer();
  }

  /** One line when a task used more memory than it asked: a Mesos agent isolating memory would have killed it. */
  private void warnIfOverMemory(LocalTask task) {
    double usedMib = task.peakMemKib / 1024.0;
    double askedMib = task.need.mem() / 1000.0;
    if (task.peakMemKib >= 0 && usedMib > askedMib) {
      notices.accept("runner: instance " + task.spec.instance() + " used " + Amounts.mib(usedMib) + ", asked "
          + Amounts.mib(askedMib) + ": on a Mesos agent with memory isolation it would be killed");
    }
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
}
