package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Cluster} port over the Mesos v1 scheduler HTTP API (protobuf on the wire).
 *
 * <p>The parts, each owned by one thread or stateless:
 * <ul>
 *   <li>{@link Subscription} ({@code mesos-subscriber}): the SUBSCRIBE stream, its watchdog and
 *       backoff; it reports {@link Event.Disconnected} on a broken stream and subscribes again
 *       with the same framework id, and reports {@link Event.ClusterFailed} once when it gives
 *       up. Other threads only signal it.</li>
 *   <li>{@link EventDecoder}: the stream's events into ours, on the subscription thread.</li>
 *   <li>{@link CallDispatcher} ({@code mesos-call-N}): calls in order, so {@link #execute}
 *       never blocks; a failed call becomes a log line or an event, never an exception.</li>
 *   <li>{@link OfferBook}: the offers held, per event stream.</li>
 *   <li>{@link SchedulerHttpClient}: HTTP, TLS, credentials and 307s.</li>
 *   <li>{@link AgentFileTailer} ({@code mesos-output}): task output from the agents; others
 *       only post to its inbox.</li>
 * </ul>
 *
 * <p>This class turns the scheduler's {@link Action}s into calls, on the caller's thread (the
 * scheduler's); it reads the subscription's {@link Subscription.View} and writes only its
 * {@code started} and {@code closed} flags.
 */
public final class MesosCluster implements Cluster {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(MesosCluster.class);

  private final MesosConfig config;
  private final SchedulerHttpClient http;
  private final Subscription subscription;
  private final CallDispatcher calls;
  private final OfferBook offers = new OfferBook();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  // Written once by start(), before the threads that read them begin.
  private volatile ClusterListener listener;
  private volatile AgentFileTailer tailer;
  private volatile ZooKeeperLeaderDetector zk;

  /**
   * Creates the adapter; nothing connects until {@link #start}.
   *
   * @throws IllegalArgumentException when the CA certificate cannot be read
   */
  public MesosCluster(MesosConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = new SchedulerHttpClient(config);
    this.subscription = new Subscription(config, http);
    this.calls = new CallDispatcher(http, subscription);
  }

  @Override
  public void start(ClusterListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed.get()) {
      throw new IllegalStateException("MesosCluster is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("MesosCluster already started");
    }
    this.listener = listener;
    AgentFileTailer t = null;
    if (config.tailOutput()) {
      t = AgentFileTailer.start(http.http(), listener, config.clock(), config.outputPollInterval(),
          config.outputLinger(), http.authorization());
      tailer = t;
    }
    subscription.start(new StreamAttempt.Handlers(new EventDecoder(offers, t, calls, this::emit), offers, this::emit));
    if (config.master() instanceof MasterAddress.ZooKeeper z) {
      ZooKeeperLeaderDetector detector = new ZooKeeperLeaderDetector(z, subscription::leaderFound);
      zk = detector;
      detector.start();
    }
  }

  private void emit(Event event) {
    ClusterListener l = listener;
    if (l != null && !closed.get()) {
      l.onEvent(event);
    }
  }

  // ---------------------------------------------------------------- actions

  @Override
  public void execute(Action action) {
    Objects.requireNonNull(action, "action");
    if (closed.get()) {
      log.debug("ignoring {} after close", action);
      return;
    }
    String fid = subscription.view().frameworkId();
    action.accept(fid == null ? new BeforeSubscribed() : new Subscribed(fid));
  }

  /**
   * The calls each kind of action becomes, under framework {@code fid}; the visitor makes the
   * dispatch exhaustive, so a new kind of action does not compile until it is handled here.
   */
  private final class Subscribed implements Action.Visitor {
    private final String fid;

    Subscribed(String fid) {
      this.fid = fid;
    }

    @Override public void launch(Action.Launch l) { MesosCluster.this.launch(fid, l); }
    @Override public void kill(Action.Kill k) { calls.send(Calls.kill(fid, k.taskId(), k.agentId())); }
    @Override public void acknowledge(Action.Acknowledge a) { MesosCluster.this.acknowledge(fid, a); }
    @Override public void reconcile(Action.Reconcile r) { calls.send(Calls.reconcile(fid, r.tasks())); }
    @Override public void suppress(Action.Suppress s) { calls.send(Calls.suppress(fid, config.role())); }
    @Override public void revive(Action.Revive r) { calls.send(Calls.revive(fid, config.role())); }

    @Override
    public void decline(Action.Decline d) {
      offers.decline(d.offerIds());
      calls.send(Calls.decline(fid, d.offerIds(), d.refuse()));
    }

    @Override
    public void teardown(Action.Teardown t) {
      subscription.tearingDown();
      calls.teardown(Calls.teardown(fid));
    }
  }

  /**
   * Before SUBSCRIBED there is no framework id to send a call under: a launch's tasks are
   * reported dropped (the scheduler places them again), anything else is only logged.
   */
  private final class BeforeSubscribed implements Action.Visitor {
    @Override public void launch(Action.Launch l) { dropAll(l.tasks(), "not subscribed to Mesos yet"); }
    @Override public void decline(Action.Decline d) { cannot(d); }
    @Override public void kill(Action.Kill k) { cannot(k); }
    @Override public void acknowledge(Action.Acknowledge a) { cannot(a); }
    @Override public void reconcile(Action.Reconcile r) { cannot(r); }
    @Override public void suppress(Action.Suppress s) { cannot(s); }
    @Override public void revive(Action.Revive r) { cannot(r); }
    @Override public void teardown(Action.Teardown t) { cannot(t); }

    private void cannot(Action action) {
      log.warn("cannot {} before subscribing to Mesos", action.getClass().getSimpleName());
    }
  }

  private void acknowledge(String fid, Action.Acknowledge a) {
    Call call;
    try {
      call = Calls.acknowledge(fid, a);
    } catch (IllegalArgumentException e) {
      log.warn("cannot acknowledge {}: uuid '{}' is not base64", a.taskId(), a.uuid());
      return;
    }
    calls.send(call);
  }

  private void launch(String fid, Action.Launch launch) {
    OfferBook.HeldOffer held = offers.take(launch.offerId());
    if (held == null) {
      dropAll(launch.tasks(), "offer " + launch.offerId() + " is no longer held (rescinded, used or unknown)");
      return;
    }
    Call call;
    try {
      call = Calls.accept(fid, held.proto(), launch.tasks(), launch.refuseRest());
    } catch (IllegalArgumentException e) {
      log.error("cannot build the launch on offer {}: {}", launch.offerId(), e.getMessage());
      calls.send(Calls.decline(fid, List.of(launch.offerId()), launch.refuseRest()));
      for (TaskSpec t : launch.tasks()) {
        emit(new Event.StatusUpdate(new TaskStatus(t.taskId(), TaskState.ERROR, launch.agentId(),
            "cannot build the launch: " + e.getMessage(), "TASK_INVALID", null, null)));
      }
      return;
    }
    AgentFileTailer t = tailer;
    URI agent = held.agentBase() != null ? held.agentBase() : offers.agentBase(held.offer().agentId());
    if (t != null && agent != null) {
      launch.tasks().forEach(task -> t.track(task, agent, fid));
    }
    Runnable stale = () -> dropAll(launch.tasks(), "offer " + launch.offerId()
        + " came on an event stream that has ended (the master took it back)");
    calls.send(call, held.stream(), stale, e -> acceptFailed(fid, launch, e));
  }

  /** On a call thread: an ACCEPT failed. */
  private void acceptFailed(String fid, Action.Launch launch, Exception e) {
    if (e instanceof MesosHttpException) {
      dropAll(launch.tasks(), "ACCEPT failed: " + e.getMessage());
      // The master did not take the offer: hand it back at once so its resources are offered again.
      calls.send(Calls.decline(fid, List.of(launch.offerId()), Duration.ZERO));
    } else {
      List<Action.TaskRef> refs = launch.tasks().stream()
          .map(x -> new Action.TaskRef(x.taskId(), launch.agentId())).toList();
      log.warn("ACCEPT may not have reached the master ({}); reconciling its tasks", e.getMessage());
      calls.send(Calls.reconcile(fid, refs));
    }
  }

  private void dropAll(List<TaskSpec> tasks, String why) {
    log.warn("tasks not launched: {}", why);
    AgentFileTailer t = tailer;
    for (TaskSpec task : tasks) {
      if (t != null) {
        t.forget(task.taskId());
      }
      emit(new Event.StatusUpdate(new TaskStatus(task.taskId(), TaskState.DROPPED, null, why, null, null, null)));
    }
  }

  // ---------------------------------------------------------------- the rest

  @Override
  public String description() {
    return subscription.view().description(config);
  }

  /** The framework id, once subscribed (or the one to resume). */
  public String frameworkId() {
    return subscription.view().frameworkId();
  }

  /** The scheduler endpoint in use (the leader after redirects), for tests and messages. */
  URI leaderUri() {
    return subscription.view().leader();
  }

  /** The current stream id, or null while not subscribed. */
  String streamId() {
    return subscription.view().streamId();
  }

  boolean isSubscribed() {
    return subscription.view().state() == Subscription.State.SUBSCRIBED;
  }

  /**
   * How long SUBSCRIBE may take to be answered and to bring SUBSCRIBED (30 s by default); for
   * tests. Call before {@link #start}.
   */
  void subscribeTimeout(Duration timeout) {
    subscription.subscribeTimeout(timeout);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    subscription.closing();
    ZooKeeperLeaderDetector z = zk;
    if (z != null) {
      z.close();
    }
    try {
      // The last calls (acknowledgements, TEARDOWN) matter: give them time on a slow network.
      if (!calls.close(Duration.ofSeconds(25))) {
        log.warn("calls still unanswered after 25 s; giving up on them");
      }
      subscription.close(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    AgentFileTailer t = tailer;
    if (t != null) {
      t.drain(Duration.ofSeconds(3));
      t.close();
    }
    offers.clear();
    // Last: the tailer's reads and the calls above share this client.
    HttpClientShutdown.stop(http.http());
  }
}
