package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.Event;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What other threads tell the {@link Subscription}'s thread, through its inbox: the HTTP
 * client's selector thread the answer to SUBSCRIBE and the event stream's bytes, the others
 * what they want of the subscription. Values only.
 */
sealed interface SubscriptionSignal {

  /** The answer to SUBSCRIBE attempt {@code attempt} (or why there is none). */
  record Answer(long attempt, HttpResponse<byte[]> response, Throwable failure) implements SubscriptionSignal {

    /** What the answer means when it did not open an event stream (200); null when it did. */
    Reconnects.Outcome outcome(URI target) {
      if (failure != null) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
          t = t.getCause();
        }
        return new Reconnects.Outcome.Unreachable(t);
      }
      int status = response.statusCode();
      String location = response.headers().firstValue("Location").orElse(null);
      if (status == 307 && location != null && !location.isBlank()) {
        return new Reconnects.Outcome.Redirect(SchedulerHttpClient.resolveLocation(target, location));
      }
      if (status != 200) {
        byte[] body = response.body() == null ? new byte[0] : response.body();
        return new Reconnects.Outcome.Refused(new MesosHttpException(status, "SUBSCRIBE",
            new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8)));
      }
      return null;
    }
  }

  /** Bytes of an event stream. */
  record Chunk(EventStreamBody from, List<ByteBuffer> data) implements SubscriptionSignal {}

  /** An event stream ended; {@code failure} is null at a clean end. */
  record StreamEnd(EventStreamBody from, Throwable failure) implements SubscriptionSignal {}

  /** End the current attempt and subscribe again. */
  record Abort(String reason) implements SubscriptionSignal {}

  /** Give up: report {@link Event.ClusterFailed} and stop. */
  record Fail(String reason) implements SubscriptionSignal {}

  /** ZooKeeper names the leading master. */
  record LeaderFound(URI leader, String name) implements SubscriptionSignal {}

  /** A call was redirected to another master. */
  record Redirected(URI leader) implements SubscriptionSignal {}

  /** TEARDOWN is queued: no attempt follows the current stream. */
  record TearingDown() implements SubscriptionSignal {}

  /** The adapter is closing: no attempt follows the current stream. */
  record Closing() implements SubscriptionSignal {}

  /** The adapter is closed: end the stream now. */
  record Close() implements SubscriptionSignal {}
}
