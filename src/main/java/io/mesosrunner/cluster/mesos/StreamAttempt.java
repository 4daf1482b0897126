package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.Event;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open event stream: decodes its RecordIO chunks into scheduler events, takes SUBSCRIBED,
 * HEARTBEAT and ERROR itself (they are about the stream) and gives every other event to the
 * {@link EventDecoder}. Keeps the time of the last activity and the heartbeat interval, from
 * which {@link Subscription} knows when the stream has gone silent.
 *
 * <p>Threads: made, used and dropped by the subscription thread only.
 */
final class StreamAttempt {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(StreamAttempt.class);

  /** Where a stream's events go; all called on the subscription thread. */
  record Handlers(EventDecoder events, OfferBook offers, Consumer<Event> emit) {
    void streamEnded(String streamId) {
      offers.streamEnded(streamId);
    }
  }

  private final String streamId;
  private final URI target;
  private final EventStreamBody body;
  private final Clock clock;
  private final Handlers handlers;
  private final Consumer<String> onSubscribed;
  private final RecordIoDecoder records = new RecordIoDecoder();
  private String frameworkId;
  private long lastActivityMs;
  private long heartbeatIntervalMs = 15_000;

  StreamAttempt(String streamId, URI target, String frameworkId, EventStreamBody body, long startedMs, Clock clock,
      Handlers handlers, Consumer<String> onSubscribed) {
    this.streamId = streamId;
    this.target = target;
    this.frameworkId = frameworkId;
    this.body = body;
    this.lastActivityMs = startedMs;
    this.clock = clock;
    this.handlers = handlers;
    this.onSubscribed = onSubscribed;
  }

  long lastActivityMs() {
    return lastActivityMs;
  }

  long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  /**
   * Handles the events a chunk completes, then asks for the next chunk. Returns the master's
   * message when it sent ERROR (the stream is over then), else null.
   *
   * @throws IOException on bytes that are not RecordIO or not a scheduler event
   */
  String chunk(List<ByteBuffer> data) throws IOException {
    lastActivityMs = clock.millis();
    for (ByteBuffer b : data) {
      records.feed(b);
    }
    byte[] record;
    while ((record = records.next()) != null) {
      String error = handle(Protos.Event.parseFrom(record));
      if (error != null) {
        return error;
      }
    }
    body.request();
    return null;
  }

  /** The stream ended, cleanly when {@code failure} is null. */
  void end(Throwable failure) throws IOException {
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure != null) {
      throw new IOException(SchedulerHttpClient.describe(failure), failure);
    }
    records.end();
  }

  /** Why the stream counts as silent at {@code nowMs} after {@code limitMs} without activity, or null. */
  String silence(long nowMs, long limitMs, boolean subscribed) {
    if (nowMs - lastActivityMs <= limitMs) {
      return null;
    }
    return subscribed
        ? String.format(Locale.ROOT, "no heartbeat from the master for %.1f s (interval %.1f s)",
            (nowMs - lastActivityMs) / 1000.0, heartbeatIntervalMs / 1000.0)
        : "no SUBSCRIBED from the master within " + limitMs / 1000 + " s";
  }

  /** One event; the ERROR message when it ends the stream. */
  private String handle(Protos.Event event) {
    switch (event.getType()) {
      case SUBSCRIBED -> {
        var s = event.getSubscribed();
        frameworkId = s.getFrameworkId().getValue();
        heartbeatIntervalMs = s.hasHeartbeatIntervalSeconds()
            ? Math.max(1, Math.round(s.getHeartbeatIntervalSeconds() * 1000)) : 15_000;
        onSubscribed.accept(frameworkId);
      }
      case HEARTBEAT -> { }
      case ERROR -> {
        String message = event.getError().getMessage();
        log.warn("master sent ERROR: {}", message);
        return message;
      }
      default -> handlers.events().apply(event, frameworkId, streamId);
    }
    return null;
  }
}
