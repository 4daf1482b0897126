package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.match.Offer;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Cluster} port over the Mesos v1 scheduler HTTP API (protobuf on the wire).
 *
 * <p>One thread ({@code mesos-subscriber}) holds the SUBSCRIBE stream, parses its RecordIO
 * events and hands them to the listener; on a broken stream or missing heartbeats it reports
 * {@link Event.Disconnected}, backs off and resubscribes with the same framework id. Calls are
 * queued in order and sent by a few call threads ({@code mesos-call-N}), so {@link #execute} never blocks;
 * a failed call becomes a log line or an event, never an exception.
 *
 * <p>Order of calls: ACKNOWLEDGE, ACCEPT and DECLINE are independent of one another (each names
 * its own update or offer; the master sends a task's next update only after the previous one is
 * acknowledged, so two acknowledgements of one task are never in flight together), and up to
 * {@value #PARALLEL_CALLS} of them are in flight at once on the call threads ({@code mesos-call-N},
 * over kept-alive connections; the thread that takes a call from the ordered queue sends it, see
 * {@link CallQueue}). Every other call (KILL, RECONCILE, SUPPRESS, REVIVE, TEARDOWN, ...)
 * is a barrier: it is sent only after every earlier call was answered, and alone, so a KILL or
 * RECONCILE never overtakes the ACCEPT that launched its task, a REVIVE never overtakes the
 * DECLINE whose filter it must clear, and TEARDOWN goes last. Task output is read from
 * the agents by an {@link OutputTailer}. After too many failed attempts in a row, or on a 401,
 * the adapter reports {@link Event.ClusterFailed} once and stops.
 */
public final class MesosCluster implements Cluster {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(MesosCluster.class);
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String STREAM_ID = "Mesos-Stream-Id";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_REFUSALS = 3;
  private static final long WATCHDOG_PERIOD_MS = 200;
  /** Independent calls (ACKNOWLEDGE, ACCEPT, DECLINE) in flight at once, at most. */
  static final int PARALLEL_CALLS = 8;

  private final MesosConfig config;
  private final HttpClient http;
  private final String authorization;
  private final CallQueue calls;
  private final ScheduledExecutorService timer;
  private final Map<String, HeldOffer> offers = new ConcurrentHashMap<>();
  private final Map<String, URI> agentUrls = new ConcurrentHashMap<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Object streamLock = new Object();

  private volatile ClusterListener listener;
  private volatile OutputTailer tailer;
  private volatile ZooKeeperLeaderDetector zk;
  private volatile Thread subscriber;
  private volatile URI leader;
  private volatile String frameworkId;
  private volatile String streamId;
  private volatile boolean subscribed;
  private volatile boolean tornDown;
  private volatile long heartbeatIntervalMs;
  private volatile long lastActivityMs;
  private volatile InputStream currentStream;
  private volatile String abortReason;
  private volatile boolean awaitingAnswer;
  private volatile Duration subscribeTimeout = Duration.ofSeconds(30);

  /**
   * An offer as received, kept until it is launched on, declined or rescinded. {@code stream} is
   * the id of the event stream it came on: a master drops a framework's offers when its stream ends.
   */
  private record HeldOffer(Protos.Offer proto, Offer offer, URI agentBase, String stream) {}

  /**
   * Creates the adapter; nothing connects until {@link #start}.
   *
   * @throws IllegalArgumentException when the CA certificate cannot be read
   */
  public MesosCluster(MesosConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    HttpClient.Builder hb = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER);
    // The client's own work (parsing an answer, completing its future) runs on its selector
    // thread instead of being handed to a pool thread first: one thread hand-off less per call
    // (about 30% of the adapter's CPU per call, see bench/ANALYSIS.md). Safe because nothing we
    // give the client blocks: answers are read into memory (ofString, ofByteArray), the event
    // stream's ofInputStream only queues what the subscriber thread asked for, and every call is
    // a blocking send(), so no code of ours runs as a dependent action on the client's futures.
    hb.executor(Runnable::run);
    if (config.caCert() != null) {
      hb.sslContext(sslContextTrusting(config));
    }
    this.http = hb.build();
    this.authorization = authorization(config);
    this.calls = new CallQueue(PARALLEL_CALLS, daemon("mesos-call"));
    this.timer = Executors.newScheduledThreadPool(2, daemon("mesos-timer"));
    this.frameworkId = config.frameworkId();
    if (config.master() instanceof MasterAddress.Http h) {
      this.leader = h.schedulerUri();
    }
  }

  /** The HTTP Basic header value for the configured principal, or null. */
  static String authorization(MesosConfig config) {
    return config.principal() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(
            (config.principal() + ":" + (config.secret() == null ? "" : config.secret())).getBytes(StandardCharsets.UTF_8));
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
      t.setDaemon(true);
      return t;
    };
  }

  static SSLContext sslContextTrusting(MesosConfig config) {
    try (InputStream in = Files.newInputStream(config.caCert())) {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : cf.generateCertificates(in)) {
        ks.setCertificateEntry("mesos-ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("CA certificate file " + config.caCert() + " holds no certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use CA certificate " + config.caCert() + ": " + e.getMessage(), e);
    }
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
    if (config.tailOutput()) {
      tailer = new OutputTailer(http, timer, listener, config.clock(), config.outputPollInterval(),
          config.outputLinger(), authorization);
    }
    if (config.master() instanceof MasterAddress.ZooKeeper z) {
      zk = new ZooKeeperLeaderDetector(z, this::leaderDetected);
      zk.start();
    }
    timer.scheduleWithFixedDelay(this::watchdog, WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
    Thread t = new Thread(this::subscribeLoop, "mesos-subscriber");
    t.setDaemon(true);
    subscriber = t;
    t.start();
  }

  // ---------------------------------------------------------------- leader

  private void leaderDetected(ZooKeeperLeaderDetector.Leader found) {
    if (found == null) {
      log.warn("no leading Mesos master registered in {}", config.master());
      return;
    }
    String scheme = config.caCert() != null ? "https" : "http";
    URI uri = URI.create(scheme + "://" + found + "/api/v1/scheduler");
    URI old = leader;
    leader = uri;
    if (old != null && !sameAuthority(old, uri)) {
      abortStream("leading master changed to " + found);
    }
  }

  private static boolean sameAuthority(URI a, URI b) {
    return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
  }

  /**
   * Resolves a 307's {@code Location} (often protocol-relative, {@code //host:port/path}) against
   * the URL that was called. A Location without a path names the master only, so the called
   * path is kept.
   */
  static URI resolveLocation(URI called, String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("redirect without a Location header from " + called);
    }
    URI resolved = called.resolve(location.trim());
    String path = resolved.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      resolved = URI.create(resolved.getScheme() + "://" + resolved.getRawAuthority() + called.getRawPath());
    }
    return resolved;
  }

  // ---------------------------------------------------------------- subscription

  private void subscribeLoop() {
    int failures = 0;
    int refusals = 0;
    int redirects = 0;
    String lastProblem = null;
    while (!closed.get() && !failed.get() && !tornDown) {
      Thread.interrupted();
      URI target = leader;
      if (target == null) {
        lastProblem = "no leading master found in " + config.master();
        failures++;
      } else {
        try {
          URI redirect = subscribeOnce(target);
          if (redirect != null) {
            leader = redirect;
            if (++redirects <= MAX_REDIRECTS) {
              log.info("{} redirected the subscription to {}", target, redirect);
              continue;
            }
            lastProblem = "too many redirects, last from " + target + " to " + redirect;
            failures++;
          } else {
            // The stream ended after a successful subscription (or before it).
            redirects = 0;
            if (subscribed) {
              failures = 0;
              refusals = 0;
            } else {
              failures++;
            }
            lastProblem = endOfStream(target);
          }
        } catch (MesosHttpException e) {
          redirects = 0;
          lastProblem = "master at " + target + " answered SUBSCRIBE with " + e.status()
              + (e.body().isEmpty() ? "" : ": " + e.body());
          if (e.status() == 401) {
            fail("authentication failed at " + base(target) + (config.principal() == null
                ? " (the master requires credentials; none were configured)"
                : " for principal '" + config.principal() + "'"));
            return;
          }
          if (e.isClientError()) {
            if (++refusals >= Math.min(MAX_REFUSALS, config.maxReconnectAttempts())) {
              fail("master at " + base(target) + " refused the framework: " + e.getMessage());
              return;
            }
          } else {
            failures++;
          }
          log.info("{}", lastProblem);
        } catch (IOException e) {
          redirects = 0;
          failures++;
          lastProblem = "cannot reach master at " + base(target) + ": " + describe(e);
          if (subscribed) {
            lastProblem = "connection to master at " + base(target) + " lost: " + describe(e);
          }
          log.info("{}", lastProblem);
        } catch (InterruptedException e) {
          if (closed.get() || tornDown) {
            return;
          }
          failures++;
          lastProblem = abortReason != null ? abortReason : "subscription interrupted";
        }
        if (subscribed) {
          lostSubscription(lastProblem);
        }
      }
      if (closed.get() || tornDown) {
        return;
      }
      if (failures >= config.maxReconnectAttempts()) {
        fail(failures + " attempts failed; " + (lastProblem == null ? "cannot reach master at " + config.master() : lastProblem));
        return;
      }
      Thread.interrupted();
      long backoff = backoffMs(Math.max(failures, 1));
      log.debug("resubscribing in {} ms (attempt {} of {})", backoff, failures + 1, config.maxReconnectAttempts());
      config.retryNotice().retrying(lastProblem, Math.max(failures, 1), config.maxReconnectAttempts() - 1,
          Duration.ofMillis(backoff));
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        if (closed.get() || tornDown) {
          return;
        }
      }
    }
  }

  private String endOfStream(URI target) {
    String why = abortReason;
    return why != null ? why : "master at " + base(target) + " closed the event stream";
  }

  private long backoffMs(int failures) {
    long min = config.reconnectMin().toMillis();
    long max = config.reconnectMax().toMillis();
    long v = min << Math.min(failures - 1, 20);
    return Math.min(v, max);
  }

  private static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Sends SUBSCRIBE and reads the stream until it ends. Returns a redirect target, or null. */
  private URI subscribeOnce(URI target) throws IOException, InterruptedException, MesosHttpException {
    abortReason = null;
    subscribed = false;
    streamId = null;
    lastActivityMs = config.clock().millis();
    Call call = Calls.subscribe(config, frameworkId);
    HttpRequest.Builder req = HttpRequest.newBuilder(target)
        .header("Content-Type", PROTOBUF)
        .header("Accept", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    log.debug("SUBSCRIBE to {} (framework id {})", target, frameworkId);
    HttpResponse<InputStream> resp;
    awaitingAnswer = true;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } finally {
      awaitingAnswer = false;
    }
    int status = resp.statusCode();
    if (status == 307) {
      String location = resp.headers().firstValue("Location").orElse(null);
      resp.body().close();
      return resolveLocation(target, location);
    }
    if (status != 200) {
      String body;
      try (InputStream in = resp.body()) {
        body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      }
      throw new MesosHttpException(status, "SUBSCRIBE", body);
    }
    String sid = resp.headers().firstValue(STREAM_ID).orElse(null);
    try (InputStream in = resp.body()) {
      synchronized (streamLock) {
        currentStream = in;
        if (closed.get() || tornDown || abortReason != null) {
          return null;
        }
      }
      if (sid == null) {
        throw new IOException("SUBSCRIBE answer carries no " + STREAM_ID + " header");
      }
      streamId = sid;
      RecordIoReader reader = new RecordIoReader(new BufferedInputStream(in));
      byte[] record;
      while ((record = reader.next()) != null) {
        lastActivityMs = config.clock().millis();
        org.apache.mesos.v1.scheduler.Protos.Event event =
            org.apache.mesos.v1.scheduler.Protos.Event.parseFrom(record);
        if (!handle(event)) {
          break;
        }
      }
      return null;
    } catch (IOException e) {
      if (abortReason != null || closed.get() || tornDown) {
        return null;
      }
      throw e;
    } finally {
      synchronized (streamLock) {
        currentStream = null;
      }
      streamId = null;
    }
  }

  private void lostSubscription(String reason) {
    subscribed = false;
    offers.clear();
    if (!closed.get() && !tornDown && !failed.get()) {
      log.warn("disconnected from Mesos: {}", reason);
      emit(new Event.Disconnected(reason));
    }
  }

  private void watchdog() {
    long now = config.clock().millis();
    if (awaitingAnswer) {
      if (now - lastActivityMs > subscribeTimeout.toMillis()) {
        abortStream("no answer to SUBSCRIBE within " + subscribeTimeout.toMillis() / 1000.0 + " s");
      }
      return;
    }
    if (currentStream == null) {
      return;
    }
    long limit = subscribed
        ? config.heartbeatMissFactor() * Math.max(heartbeatIntervalMs, 100L)
        : subscribeTimeout.toMillis();
    if (now - lastActivityMs > limit) {
      abortStream(subscribed
          ? String.format(Locale.ROOT, "no heartbeat from the master for %.1f s (interval %.1f s)",
              (now - lastActivityMs) / 1000.0, heartbeatIntervalMs / 1000.0)
          : "no SUBSCRIBED from the master within " + limit / 1000 + " s");
    }
  }

  /** Ends the current event stream from another thread; the subscriber then reconnects. */
  private void abortStream(String reason) {
    InputStream in;
    synchronized (streamLock) {
      if (abortReason == null) {
        abortReason = reason;
      }
      in = currentStream;
    }
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        log.debug("closing the event stream: {}", e.toString());
      }
    }
    Thread t = subscriber;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  // ---------------------------------------------------------------- events

  /** Handles one event; false ends the stream. */
  private boolean handle(org.apache.mesos.v1.scheduler.Protos.Event event) {
    switch (event.getType()) {
      case SUBSCRIBED -> {
        var s = event.getSubscribed();
        frameworkId = s.getFrameworkId().getValue();
        heartbeatIntervalMs = s.hasHeartbeatIntervalSeconds()
            ? Math.max(1, Math.round(s.getHeartbeatIntervalSeconds() * 1000)) : 15_000;
        subscribed = true;
        log.info("subscribed to {} as framework {}", base(leader), frameworkId);
        emit(new Event.Subscribed(frameworkId, description()));
      }
      case OFFERS -> {
        List<Offer> ours = new ArrayList<>();
        for (Protos.Offer o : event.getOffers().getOffersList()) {
          Offer offer = OfferTranslator.toOffer(o);
          URI agent = OfferTranslator.agentBase(o);
          offers.put(offer.id(), new HeldOffer(o, offer, agent, streamId));
          if (agent != null) {
            agentUrls.put(offer.agentId(), agent);
          }
          ours.add(offer);
        }
        if (!ours.isEmpty()) {
          emit(new Event.OffersReceived(ours));
        }
      }
      case INVERSE_OFFERS -> {
        List<Protos.OfferID> ids = new ArrayList<>();
        event.getInverseOffers().getInverseOffersList().forEach(io -> ids.add(io.getId()));
        if (!ids.isEmpty()) {
          log.info("declining {} inverse offer(s) (maintenance)", ids.size());
          send(Calls.declineInverseOffers(frameworkId, ids), e -> { });
        }
      }
      case RESCIND -> {
        String id = event.getRescind().getOfferId().getValue();
        offers.remove(id);
        emit(new Event.OfferRescinded(id));
      }
      case RESCIND_INVERSE_OFFER -> log.debug("inverse offer rescinded: {}",
          event.getRescindInverseOffer().getInverseOfferId().getValue());
      case UPDATE -> {
        TaskStatus status = OfferTranslator.toStatus(event.getUpdate().getStatus());
        OutputTailer t = tailer;
        if (t != null && status.state().isTerminal()) {
          t.terminal(status.taskId());
        }
        emit(new Event.StatusUpdate(status));
      }
      case UPDATE_OPERATION_STATUS -> {
        Protos.OperationStatus s = event.getUpdateOperationStatus().getStatus();
        if (s.hasUuid() && s.hasAgentId()) {
          send(Calls.acknowledgeOperationStatus(frameworkId, s), e -> { });
        } else {
          log.info("operation {} is {}{}", s.getOperationId().getValue(), s.getState(),
              s.hasMessage() ? ": " + s.getMessage() : "");
        }
      }
      case MESSAGE -> {
        var m = event.getMessage();
        log.info("message from executor {} on agent {} ({} bytes)", m.getExecutorId().getValue(),
            m.getAgentId().getValue(), m.getData().size());
      }
      case FAILURE -> {
        var f = event.getFailure();
        if (f.hasAgentId() && !f.hasExecutorId()) {
          log.warn("agent {} is lost", f.getAgentId().getValue());
          emit(new Event.AgentLost(f.getAgentId().getValue()));
        } else {
          log.info("executor {} on agent {} ended{}", f.getExecutorId().getValue(), f.getAgentId().getValue(),
              f.hasStatus() ? " with status " + f.getStatus() : "");
        }
      }
      case ERROR -> {
        String message = event.getError().getMessage();
        log.warn("master sent ERROR: {}", message);
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("removed") || lower.contains("torn down") || lower.contains("teardown")) {
          fail("the master removed the framework: " + message);
        } else {
          abortReason = "master sent ERROR: " + message;
        }
        return false;
      }
      case HEARTBEAT -> { }
      default -> log.debug("ignoring event of type {}", event.getType());
    }
    return true;
  }

  private void emit(Event event) {
    ClusterListener l = listener;
    if (l != null && !closed.get()) {
      l.onEvent(event);
    }
  }

  private void fail(String reason) {
    if (failed.compareAndSet(false, true)) {
      log.info("giving up on Mesos: {}", reason);
      ClusterListener l = listener;
      if (l != null && !closed.get()) {
        l.onEvent(new Event.ClusterFailed(reason));
      }
      abortStream(reason);
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
    String fid = frameworkId;
    if (fid == null) {
      if (action instanceof Action.Launch launch) {
        dropAll(launch.tasks(), "not subscribed to Mesos yet");
      } else {
        log.warn("cannot {} before subscribing to Mesos", action.getClass().getSimpleName());
      }
      return;
    }
    if (action instanceof Action.Launch launch) {
      launch(fid, launch);
    } else if (action instanceof Action.Decline d) {
      d.offerIds().forEach(offers::remove);
      send(Calls.decline(fid, d.offerIds(), d.refuse()), e -> { });
    } else if (action instanceof Action.Kill k) {
      send(Calls.kill(fid, k.taskId(), k.agentId()), e -> { });
    } else if (action instanceof Action.Acknowledge a) {
      Call call;
      try {
        call = Calls.acknowledge(fid, a);
      } catch (IllegalArgumentException e) {
        log.warn("cannot acknowledge {}: uuid '{}' is not base64", a.taskId(), a.uuid());
        return;
      }
      send(call, e -> { });
    } else if (action instanceof Action.Reconcile r) {
      send(Calls.reconcile(fid, r.tasks()), e -> { });
    } else if (action instanceof Action.Suppress) {
      send(Calls.suppress(fid, config.role()), e -> { });
    } else if (action instanceof Action.Revive) {
      send(Calls.revive(fid, config.role()), e -> { });
    } else if (action instanceof Action.Teardown) {
      tornDown = true;
      Call call = Calls.teardown(fid);
      boolean queued = calls.submit(false, () -> {
        try {
          post(call);
        } catch (Exception e) {
          log.warn("TEARDOWN failed: {}", e.getMessage());
        } finally {
          abortStream("framework torn down");
        }
      });
      if (!queued) {
        log.debug("TEARDOWN not sent: the adapter is closed");
      }
    } else {
      log.warn("unsupported action {}", action);
    }
  }

  private void launch(String fid, Action.Launch launch) {
    HeldOffer held = offers.remove(launch.offerId());
    if (held == null) {
      dropAll(launch.tasks(), "offer " + launch.offerId() + " is no longer held (rescinded, used or unknown)");
      return;
    }
    Call call;
    try {
      call = Calls.accept(fid, held.proto(), launch.tasks(), launch.refuseRest());
    } catch (IllegalArgumentException e) {
      log.error("cannot build the launch on offer {}: {}", launch.offerId(), e.getMessage());
      send(Calls.decline(fid, List.of(launch.offerId()), launch.refuseRest()), x -> { });
      for (TaskSpec t : launch.tasks()) {
        emit(new Event.StatusUpdate(new TaskStatus(t.taskId(), TaskState.ERROR, launch.agentId(),
            "cannot build the launch: " + e.getMessage(), "TASK_INVALID", null, null)));
      }
      return;
    }
    OutputTailer t = tailer;
    URI agent = held.agentBase() != null ? held.agentBase() : agentUrls.get(held.offer().agentId());
    if (t != null && agent != null) {
      launch.tasks().forEach(task -> t.track(task, agent, fid));
    }
    Runnable stale = () -> dropAll(launch.tasks(), "offer " + launch.offerId()
        + " came on an event stream that has ended (the master took it back)");
    send(call, held.stream(), stale, e -> {
      if (e instanceof MesosHttpException) {
        dropAll(launch.tasks(), "ACCEPT failed: " + e.getMessage());
        // The master did not take the offer: hand it back at once so its resources are offered again.
        send(Calls.decline(fid, List.of(launch.offerId()), Duration.ZERO), x -> { });
      } else {
        List<Action.TaskRef> refs = launch.tasks().stream()
            .map(x -> new Action.TaskRef(x.taskId(), launch.agentId())).toList();
        log.warn("ACCEPT may not have reached the master ({}); reconciling its tasks", e.getMessage());
        send(Calls.reconcile(fid, refs), x -> { });
      }
    });
  }

  private void dropAll(List<TaskSpec> tasks, String why) {
    log.warn("tasks not launched: {}", why);
    OutputTailer t = tailer;
    for (TaskSpec task : tasks) {
      if (t != null) {
        t.forget(task.taskId());
      }
      emit(new Event.StatusUpdate(new TaskStatus(task.taskId(), TaskState.DROPPED, null, why, null, null, null)));
    }
  }

  /**
   * Queues a call; on failure {@code onError} runs after the failure is logged (on a call
   * thread). ACKNOWLEDGE, ACCEPT and DECLINE go out in parallel; any other call
   * waits for every earlier one (see the class comment).
   */
  private void send(Call call, java.util.function.Consumer<Exception> onError) {
    send(call, null, null, onError);
  }

  /**
   * Queues a call that is only valid on the event stream {@code requiredStream} (when not null):
   * if another stream (or none) is current when its turn comes, {@code onStale} runs instead.
   */
  private void send(Call call, String requiredStream, Runnable onStale,
      java.util.function.Consumer<Exception> onError) {
    Runnable attempt = () -> {
      String stream = streamId;
      if (requiredStream != null && !requiredStream.equals(stream)) {
        log.info("{} not sent: it belonged to an earlier subscription", call.getType());
        onStale.run();
        return;
      }
      postReporting(call, stream, onError);
    };
    boolean independent = switch (call.getType()) {
      case ACKNOWLEDGE, ACCEPT, DECLINE -> true;
      default -> false;
    };
    if (!calls.submit(independent, attempt)) {
      log.debug("{} not sent: the adapter is closed", call.getType());
    }
  }

  /** Posts a call sent while {@code stream} was current; failures are logged and reported. */
  private void postReporting(Call call, String stream, java.util.function.Consumer<Exception> onError) {
    try {
      post(call);
    } catch (MesosHttpException e) {
      log.warn("{}", e.getMessage());
      if (e.status() == 401) {
        fail("authentication failed for " + call.getType() + " at " + base(leader));
      } else if (isUnknownFramework(e) && stream != null && stream.equals(streamId)) {
        // The master no longer knows the framework (e.g. a new leader without the registry):
        // every further call would fail the same way, so subscribe again and reconcile.
        abortStream("master at " + base(leader) + " does not know framework " + call.getFrameworkId().getValue()
            + " (" + call.getType() + " answered " + e.status() + ")");
      }
      onError.accept(e);
    } catch (IOException e) {
      log.warn("{} to {} failed: {}", call.getType(), base(leader), describe(e));
      onError.accept(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A call answered as the master does for a framework id it does not know. */
  static boolean isUnknownFramework(MesosHttpException e) {
    return e.status() == 400 && e.body().toLowerCase(Locale.ROOT).contains("framework cannot be found");
  }

  /** Posts one non-SUBSCRIBE call and expects 202, following up to a few 307s. */
  private void post(Call call) throws IOException, InterruptedException, MesosHttpException {
    String sid = streamId;
    if (sid == null) {
      throw new IOException("no event stream (not subscribed); " + call.getType() + " not sent");
    }
    byte[] body = call.toByteArray();
    URI target = leader;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder req = HttpRequest.newBuilder(target)
          .timeout(CALL_TIMEOUT)
          .header("Content-Type", PROTOBUF)
          .header("Accept", PROTOBUF)
          .header(STREAM_ID, sid)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (authorization != null) {
        req.header("Authorization", authorization);
      }
      HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      int status = resp.statusCode();
      if (status == 202 || status == 200) {
        log.trace("{} accepted", call.getType());
        return;
      }
      if (status == 307) {
        target = resolveLocation(target, resp.headers().firstValue("Location").orElse(null));
        leader = target;
        continue;
      }
      throw new MesosHttpException(status, call.getType().name(), resp.body());
    }
    throw new IOException("too many redirects for " + call.getType());
  }

  // ---------------------------------------------------------------- the rest

  private static String base(URI uri) {
    if (uri == null) {
      return "(unknown)";
    }
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  @Override
  public String description() {
    URI l = leader;
    String where = l != null ? base(l) : config.master().toString();
    String fid = frameworkId;
    return "mesos master " + where + (fid == null ? "" : " (framework " + fid + ")");
  }

  /** The scheduler endpoint in use (the leader after redirects), for tests and messages. */
  URI leaderUri() {
    return leader;
  }

  /** The framework id, once subscribed (or the one to resume). */
  public String frameworkId() {
    return frameworkId;
  }

  /**
   * How long SUBSCRIBE may take to be answered and to bring SUBSCRIBED (30 s by default); for
   * tests. Call before {@link #start}.
   */
  void subscribeTimeout(Duration timeout) {
    this.subscribeTimeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The current stream id, or null while not subscribed. */
  String streamId() {
    return streamId;
  }

  boolean isSubscribed() {
    return subscribed;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ZooKeeperLeaderDetector z = zk;
    if (z != null) {
      z.close();
    }
    try {
      // The last calls (acknowledgements, TEARDOWN) matter: give them time on a slow network.
      if (!calls.close(Duration.ofSeconds(25))) {
        log.warn("calls still unanswered after 25 s; giving up on them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    abortStream("closed");
    OutputTailer t = tailer;
    if (t != null) {
      t.drain(Duration.ofSeconds(3));
      t.close();
    }
    timer.shutdownNow();
    Thread s = subscriber;
    if (s != null) {
      try {
        s.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    offers.clear();
  }
}
