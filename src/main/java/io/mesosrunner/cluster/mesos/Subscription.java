package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.SchedulerHttpClient.base;

import io.mesosrunner.cluster.Event;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SUBSCRIBE stream: subscribes, reads the event stream, watches for SUBSCRIBED and the
 * heartbeats, and on a broken stream reports {@link Event.Disconnected}, backs off and subscribes
 * again with the same framework id; after too many failed attempts in a row, or on a 401, it
 * reports {@link Event.ClusterFailed} once and stops. Each attempt goes through the {@link
 * State}s in order.
 *
 * <p>Threads. One thread, {@code mesos-subscriber}, runs the {@link SubscriptionLoop} and owns
 * every non-final field of it and of its {@link StreamAttempt}s: state, leader, framework and
 * stream ids, heartbeat deadline, backoff counters, the RecordIO decoder. No other thread writes
 * them. This class is what the other threads hold: they put a {@link
 * SubscriptionSignal} in the inbox and return: the ZooKeeper thread a leader, call threads a redirect, an
 * abort or a failure, the scheduler's thread a teardown, the closing thread the close, and the
 * HTTP client's selector thread the SUBSCRIBE answer and each chunk of the event stream. The
 * owner waits on nothing but the inbox, so every time limit (the answer to SUBSCRIBE, SUBSCRIBED,
 * the heartbeats, the backoff) is a timeout of that wait. Other threads read only the {@link
 * View}, which the owner replaces whole.
 */
final class Subscription {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  /** Where an attempt is; one attempt runs at a time. */
  enum State {
    /** Not started yet. */
    NEW,
    /** SUBSCRIBE sent, not answered yet. */
    SUBSCRIBING,
    /** Answered 200: the event stream is open, SUBSCRIBED has not come yet. */
    CONNECTED,
    /** SUBSCRIBED came: calls may be sent on this stream. */
    SUBSCRIBED,
    /** Waiting before the next attempt. */
    BACKING_OFF,
    /** Closed, torn down or failed: no attempt follows. */
    ENDED
  }

  /**
   * What other threads may know of the subscription, published whole by its thread.
   * {@code streamId} is null while no event stream is open.
   */
  record View(State state, URI leader, String frameworkId, String streamId) {

    String description(MesosConfig config) {
      return "mesos master " + (leader != null ? base(leader) : config.master().toString())
          + (frameworkId == null ? "" : " (framework " + frameworkId + ")");
    }
  }

  private final MesosConfig config;
  private final BlockingQueue<SubscriptionSignal> inbox = new LinkedBlockingQueue<>();
  private final SubscriptionLoop loop;
  private volatile View view;
  private Thread thread;

  Subscription(MesosConfig config, SchedulerHttpClient http) {
    this.config = Objects.requireNonNull(config, "config");
    this.loop = new SubscriptionLoop(config, Objects.requireNonNull(http, "http"), inbox, v -> view = v);
  }

  /** For tests; call before {@link #start}. */
  void subscribeTimeout(Duration timeout) {
    loop.subscribeTimeout(Objects.requireNonNull(timeout, "timeout"));
  }

  /** Starts the subscription thread; {@code handlers} run on it. */
  void start(StreamAttempt.Handlers handlers) {
    loop.handlers(Objects.requireNonNull(handlers, "handlers"));
    Thread t = new Thread(loop::run, "mesos-subscriber");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  View view() {
    return view;
  }

  // ------------------------------------------------------------ signals, from any thread

  /** Ends the current attempt (if any) and subscribes again. */
  void abort(String reason) {
    inbox.add(new SubscriptionSignal.Abort(reason));
  }

  /** Reports {@link Event.ClusterFailed} with {@code reason} and stops. */
  void fail(String reason) {
    inbox.add(new SubscriptionSignal.Fail(reason));
  }

  /** The ZooKeeper thread found the leading master; a different one ends the current stream. */
  void leaderFound(ZooKeeperLeaderDetector.Leader found) {
    if (found == null) {
      log.warn("no leading Mesos master registered in {}", config.master());
      return;
    }
    String scheme = config.caCert() != null ? "https" : "http";
    inbox.add(new SubscriptionSignal.LeaderFound(URI.create(scheme + "://" + found + "/api/v1/scheduler"), found.toString()));
  }

  /** A call thread followed a 307 to {@code to}: later calls and subscriptions go there. */
  void redirected(URI to) {
    inbox.add(new SubscriptionSignal.Redirected(to));
  }

  /** TEARDOWN is queued; the stream ends when it is answered ({@link #abort}). */
  void tearingDown() {
    inbox.add(new SubscriptionSignal.TearingDown());
  }

  /** The adapter closes: the current stream stays open for the last calls, but no attempt follows. */
  void closing() {
    inbox.add(new SubscriptionSignal.Closing());
  }

  /** Ends the stream and waits up to {@code wait} for the subscription thread to end. */
  void close(Duration wait) throws InterruptedException {
    inbox.add(new SubscriptionSignal.Close());
    Thread t = thread;
    if (t != null) {
      t.join(wait.toMillis());
    }
  }
}
