package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.SchedulerHttpClient.base;

import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.mesos.Subscription.State;
import io.mesosrunner.cluster.mesos.Subscription.View;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Subscription}'s thread, {@code mesos-subscriber}: the attempts one after another,
 * each through the {@link State}s in order, the open stream's watchdog, and the backoff between
 * attempts. Every non-final field here is this thread's alone; it takes {@link
 * SubscriptionSignal}s from the inbox the {@link Subscription} fills and publishes a new {@link
 * View} on every change.
 */
final class SubscriptionLoop {

  // Logs as the subscription: one name for the component, whichever of its classes speaks.
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  private final MesosConfig config;
  private final SchedulerHttpClient http;
  private final Clock clock;
  private final Reconnects reconnects;
  private final BlockingQueue<SubscriptionSignal> inbox;
  private final Consumer<View> published;

  // Set before the thread starts.
  private Duration subscribeTimeout = Duration.ofSeconds(30);
  private StreamAttempt.Handlers handlers;

  // The subscription thread's own.
  private View view;
  private State state = State.NEW;
  private URI leader;
  private String frameworkId;
  private long attempts;
  private String abortReason;
  /** Signals of the current stream that came before the answer to SUBSCRIBE. */
  private final ArrayDeque<SubscriptionSignal> early = new ArrayDeque<>();
  private boolean tornDown;
  private boolean closing;
  private boolean failed;

  /** {@code published} receives every new view, the first one before this returns. */
  SubscriptionLoop(MesosConfig config, SchedulerHttpClient http, BlockingQueue<SubscriptionSignal> inbox,
      Consumer<View> published) {
    this.config = config;
    this.http = http;
    this.clock = config.clock();
    this.reconnects = new Reconnects(config);
    this.inbox = inbox;
    this.published = published;
    this.frameworkId = config.frameworkId();
    if (config.master() instanceof MasterAddress.Http h) {
      this.leader = h.schedulerUri();
    }
    publish(null);
  }

  void subscribeTimeout(Duration timeout) {
    this.subscribeTimeout = timeout;
  }

  void handlers(StreamAttempt.Handlers handlers) {
    this.handlers = handlers;
  }

  void run() {
    try {
      while (!ending()) {
        URI target = leader;
        Reconnects.Outcome outcome = target == null ? new Reconnects.Outcome.NoLeader() : attempt(target);
        afterAttempt(outcome, target);
      }
    } catch (RuntimeException | Error e) {
      log.error("the Mesos subscription stopped unexpectedly", e);
      failNow("the Mesos subscription stopped unexpectedly: " + e);
    } finally {
      state = State.ENDED;
      publish(null);
    }
  }

  private Reconnects.Outcome attempt(URI target) {
    long attempt = ++attempts;
    early.clear();
    abortReason = null;
    state = State.SUBSCRIBING;
    publish(null);
    long startedMs = clock.millis();
    Call call = Calls.subscribe(config, frameworkId);
    log.debug("SUBSCRIBE to {} (framework id {})", target, frameworkId);
    EventStreamBody body = new EventStreamBody(inbox);
    CompletableFuture<HttpResponse<byte[]>> answer = http.subscribe(target, call, body);
    answer.whenComplete((r, e) -> inbox.add(new SubscriptionSignal.Answer(attempt, r, e)));
    SubscriptionSignal.Answer a = awaitAnswer(attempt, body, startedMs);
    if (a == null) {
      answer.cancel(true);
      body.cancel();
      return new Reconnects.Outcome.Aborted();
    }
    Reconnects.Outcome refused = a.outcome(target);
    if (refused != null) {
      body.cancel();
      return refused;
    }
    HttpResponse<byte[]> resp = a.response();
    String sid = resp.headers().firstValue(SchedulerHttpClient.STREAM_ID).orElse(null);
    if (ending() || abortReason != null) {
      body.cancel();
      return new Reconnects.Outcome.StreamEnded();
    }
    if (sid == null) {
      body.cancel();
      return new Reconnects.Outcome.Unreachable(new IOException("SUBSCRIBE answer carries no " + SchedulerHttpClient.STREAM_ID + " header"));
    }
    return stream(target, sid, body, startedMs);
  }

  /**
   * Waits for the answer to SUBSCRIBE; null when the attempt was aborted or timed out first. The
   * first chunks of the stream may come before the answer: they wait in {@code early}.
   */
  private SubscriptionSignal.Answer awaitAnswer(long attempt, EventStreamBody body, long startedMs) {
    long deadline = startedMs + subscribeTimeout.toMillis();
    while (true) {
      SubscriptionSignal s = poll(deadline - clock.millis());
      if (s == null) {
        if (clock.millis() >= deadline) {
          abortBecause("no answer to SUBSCRIBE within " + subscribeTimeout.toMillis() / 1000.0 + " s");
          return null;
        }
      } else if (s instanceof SubscriptionSignal.Answer a && a.attempt() == attempt) {
        return a;
      } else if (s instanceof SubscriptionSignal.Chunk c && c.from() == body || s instanceof SubscriptionSignal.StreamEnd e && e.from() == body) {
        early.add(s);
      } else if (apply(s)) {
        return null;
      }
    }
  }

  /** Reads the open stream until it ends; the stream's events go to the handlers. */
  private Reconnects.Outcome stream(URI target, String sid, EventStreamBody body, long startedMs) {
    state = State.CONNECTED;
    publish(sid);
    StreamAttempt stream = new StreamAttempt(sid, target, frameworkId, body, startedMs, clock, handlers, this::subscribed);
    try {
      while (true) {
        long limit = state == State.SUBSCRIBED
            ? config.heartbeatMissFactor() * Math.max(stream.heartbeatIntervalMs(), 100L)
            : subscribeTimeout.toMillis();
        SubscriptionSignal s = next(stream.lastActivityMs() + limit - clock.millis());
        if (s == null) {
          String silence = stream.silence(clock.millis(), limit, state == State.SUBSCRIBED);
          if (silence != null) {
            abortBecause(silence);
            return new Reconnects.Outcome.StreamEnded();
          }
        } else if (s instanceof SubscriptionSignal.Chunk c && c.from() == body) {
          String end = stream.chunk(c.data());
          if (end != null) {
            endedByMaster(end);
            return new Reconnects.Outcome.StreamEnded();
          }
        } else if (s instanceof SubscriptionSignal.StreamEnd e && e.from() == body) {
          stream.end(e.failure());
          return new Reconnects.Outcome.StreamEnded();
        } else if (apply(s)) {
          return new Reconnects.Outcome.StreamEnded();
        }
      }
    } catch (IOException e) {
      return abortReason != null || ending() ? new Reconnects.Outcome.StreamEnded() : new Reconnects.Outcome.Unreachable(e);
    } finally {
      // Call threads stop naming the stream before anything else runs: a call that reads the
      // view after this finds no stream and is not sent, rather than answered 403 or 400.
      publish(null);
      body.cancel();
      handlers.streamEnded(sid);
    }
  }

  /** SUBSCRIBED came on the stream being read. */
  private void subscribed(String fid) {
    frameworkId = fid;
    state = State.SUBSCRIBED;
    View v = publish(view.streamId());
    log.info("subscribed to {} as framework {}", base(leader), fid);
    handlers.emit().accept(new Event.Subscribed(fid, v.description(config)));
  }

  /** The master ended the stream with an ERROR event. */
  private void endedByMaster(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("removed") || lower.contains("torn down") || lower.contains("teardown")) {
      failNow("the master removed the framework: " + message);
    } else {
      abortReason = "master sent ERROR: " + message;
    }
  }

  /** Applies a signal that is not the awaited one; true when it ends the current wait. */
  private boolean apply(SubscriptionSignal s) {
    if (s instanceof SubscriptionSignal.Abort a) {
      abortBecause(a.reason());
      return true;
    } else if (s instanceof SubscriptionSignal.Fail f) {
      failNow(f.reason());
      return true;
    } else if (s instanceof SubscriptionSignal.Close) {
      closing = true;
      abortBecause("closed");
      return true;
    } else if (s instanceof SubscriptionSignal.Closing) {
      closing = true;
    } else if (s instanceof SubscriptionSignal.TearingDown) {
      tornDown = true;
    } else if (s instanceof SubscriptionSignal.LeaderFound l) {
      URI old = leader;
      leader = l.leader();
      publish(view.streamId());
      if (old != null && !SchedulerHttpClient.sameAuthority(old, l.leader())) {
        abortBecause("leading master changed to " + l.name());
        return true;
      }
    } else if (s instanceof SubscriptionSignal.Redirected r) {
      leader = r.leader();
      publish(view.streamId());
    } else if (s instanceof SubscriptionSignal.Chunk c) {
      // From a stream given up earlier: make sure it is closed.
      c.from().cancel();
    } else if (!(s instanceof SubscriptionSignal.Answer || s instanceof SubscriptionSignal.StreamEnd)) {
      // An Answer or StreamEnd left over from an attempt given up earlier needs nothing.
      throw new IllegalStateException("unknown signal " + s);
    }
    return false;
  }

  private void abortBecause(String reason) {
    if (abortReason == null) {
      abortReason = reason;
    }
  }

  /** Counts what an attempt came to; then the next attempt, a backoff, or the end. */
  private void afterAttempt(Reconnects.Outcome outcome, URI target) {
    boolean wasSubscribed = state == State.SUBSCRIBED;
    if (outcome instanceof Reconnects.Outcome.Redirect r) {
      leader = r.to();
      publish(null);
    }
    Reconnects.Verdict verdict = reconnects.judge(outcome, target, wasSubscribed, abortReason);
    if (wasSubscribed) {
      lostSubscription(verdict.problem());
    }
    if (verdict.giveUp() != null) {
      failNow(verdict.giveUp());
    } else if (!ending() && verdict.waitMs() > 0) {
      config.retryNotice().retrying(verdict.problem(), verdict.retry(), config.maxReconnectAttempts() - 1,
          Duration.ofMillis(verdict.waitMs()));
      backOff(verdict.waitMs());
    }
  }

  private void lostSubscription(String reason) {
    state = State.BACKING_OFF;
    publish(null);
    if (!ending()) {
      log.warn("disconnected from Mesos: {}", reason);
      handlers.emit().accept(new Event.Disconnected(reason));
    }
  }

  /** Waits {@code ms} before the next attempt; a signal that ends a wait ends it early. */
  private void backOff(long ms) {
    state = State.BACKING_OFF;
    publish(null);
    abortReason = null;
    log.debug("resubscribing in {} ms (attempt {} of {})", ms, reconnects.nextAttempt(), config.maxReconnectAttempts());
    long deadline = clock.millis() + ms;
    while (!ending()) {
      long left = deadline - clock.millis();
      if (left <= 0) {
        return;
      }
      SubscriptionSignal s = poll(left);
      if (s != null && apply(s)) {
        return;
      }
    }
  }

  private void failNow(String reason) {
    if (failed) {
      return;
    }
    failed = true;
    abortBecause(reason);
    log.info("giving up on Mesos: {}", reason);
    handlers.emit().accept(new Event.ClusterFailed(reason));
  }

  private boolean ending() {
    return closing || tornDown || failed;
  }

  /** The next signal of the stream being read: those that came early first, then the inbox. */
  private SubscriptionSignal next(long waitMs) {
    SubscriptionSignal first = early.poll();
    return first != null ? first : poll(waitMs);
  }

  /** The next signal in the inbox, waiting up to {@code waitMs} (not at all when it is not positive). */
  private SubscriptionSignal poll(long waitMs) {
    try {
      return waitMs <= 0 ? inbox.poll() : inbox.poll(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Nobody interrupts this thread but a JVM going down: treat it as a close.
      closing = true;
      abortBecause("interrupted");
      return new SubscriptionSignal.Close();
    }
  }

  private View publish(String streamId) {
    View v = new View(state, leader, frameworkId, streamId);
    view = v;
    published.accept(v);
    return v;
  }
}
