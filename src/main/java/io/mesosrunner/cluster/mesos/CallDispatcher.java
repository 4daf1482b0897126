package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.SchedulerHttpClient.base;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends calls to the master in order through a {@link CallQueue}, so that queuing a call never
 * blocks. ACKNOWLEDGE, ACCEPT and DECLINE are independent of one another (each names its own
 * update or offer; the master sends a task's next update only after the previous one is
 * acknowledged, so two acknowledgements of one task are never in flight together), and up to
 * {@value #PARALLEL_CALLS} of them are in flight at once over kept-alive connections. Every
 * other call (KILL, RECONCILE, SUPPRESS, REVIVE, TEARDOWN, ...) is a barrier: it is sent only
 * after every earlier call was answered, and alone, so a KILL or RECONCILE never overtakes the
 * ACCEPT that launched its task, a REVIVE never overtakes the DECLINE whose filter it must
 * clear, and TEARDOWN goes last.
 *
 * <p>Each call goes to the leader and on the stream that the {@link Subscription}'s view names
 * when its turn comes. A failed call is logged and handed to its error handler; what it means
 * for the subscription (a 401, a master that forgot the framework, a redirect) is signalled to
 * the subscription thread, never applied here.
 *
 * <p>Threads: any thread queues; the call threads ({@code mesos-call-N}) send and run the
 * handlers. This class keeps no mutable state besides the queue.
 */
final class CallDispatcher {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(CallDispatcher.class);

  /** Independent calls (ACKNOWLEDGE, ACCEPT, DECLINE) in flight at once, at most. */
  static final int PARALLEL_CALLS = 8;

  private static final Consumer<Exception> IGNORE = e -> { };

  private final SchedulerHttpClient http;
  private final Subscription subscription;
  private final CallQueue queue = new CallQueue(PARALLEL_CALLS, daemon("mesos-call"));

  CallDispatcher(SchedulerHttpClient http, Subscription subscription) {
    this.http = http;
    this.subscription = subscription;
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
      t.setDaemon(true);
      return t;
    };
  }

  /** Queues a call whose failure needs nothing but the log line. */
  void send(Call call) {
    send(call, null, null, IGNORE);
  }

  /** Queues a call; on failure {@code onError} runs (on a call thread) after the failure is logged. */
  void send(Call call, Consumer<Exception> onError) {
    send(call, null, null, onError);
  }

  /**
   * Queues a call that is only valid on the event stream {@code requiredStream} (when not null):
   * if another stream (or none) is current when its turn comes, {@code onStale} runs instead.
   */
  void send(Call call, String requiredStream, Runnable onStale, Consumer<Exception> onError) {
    Runnable attempt = () -> {
      Subscription.View v = subscription.view();
      if (requiredStream != null && !requiredStream.equals(v.streamId())) {
        log.info("{} not sent: it belonged to an earlier subscription", call.getType());
        onStale.run();
        return;
      }
      postReporting(call, v, onError);
    };
    boolean independent = switch (call.getType()) {
      case ACKNOWLEDGE, ACCEPT, DECLINE -> true;
      default -> false;
    };
    if (!queue.submit(independent, attempt)) {
      log.debug("{} not sent: the adapter is closed", call.getType());
    }
  }

  /** Queues TEARDOWN, last; once it is answered (or failed) the subscription's stream ends. */
  void teardown(Call call) {
    boolean queued = queue.submit(false, () -> {
      try {
        post(call, subscription.view());
      } catch (Exception e) {
        log.warn("TEARDOWN failed: {}", e.getMessage());
      } finally {
        subscription.abort("framework torn down");
      }
    });
    if (!queued) {
      log.debug("TEARDOWN not sent: the adapter is closed");
    }
  }

  /** Posts a call while {@code v} is current; failures are logged and reported. */
  private void postReporting(Call call, Subscription.View v, Consumer<Exception> onError) {
    try {
      post(call, v);
    } catch (MesosHttpException e) {
      log.warn("{}", e.getMessage());
      if (e.status() == 401) {
        subscription.fail("authentication failed for " + call.getType() + " at " + base(v.leader()));
      } else if (isUnknownFramework(e) && v.streamId() != null && v.streamId().equals(subscription.view().streamId())) {
        // The master no longer knows the framework (e.g. a new leader without the registry):
        // every further call would fail the same way, so subscribe again and reconcile.
        subscription.abort("master at " + base(v.leader()) + " does not know framework "
            + call.getFrameworkId().getValue() + " (" + call.getType() + " answered " + e.status() + ")");
      }
      onError.accept(e);
    } catch (IOException e) {
      log.warn("{} to {} failed: {}", call.getType(), base(v.leader()), SchedulerHttpClient.describe(e));
      onError.accept(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A call answered as the master does for a framework id it does not know. */
  static boolean isUnknownFramework(MesosHttpException e) {
    return e.status() == 400 && e.body().toLowerCase(Locale.ROOT).contains("framework cannot be found");
  }

  private void post(Call call, Subscription.View v) throws IOException, InterruptedException, MesosHttpException {
    if (v.streamId() == null) {
      throw new IOException("no event stream (not subscribed); " + call.getType() + " not sent");
    }
    URI reached = http.post(v.leader(), v.streamId(), call);
    if (!reached.equals(v.leader())) {
      subscription.redirected(reached);
    }
  }

  /**
   * Stops taking calls and waits up to {@code drain} for the queued ones to be answered.
   * Returns whether they all were.
   */
  boolean close(Duration drain) throws InterruptedException {
    return queue.close(drain);
  }
}
