package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Streams and failover: SUBSCRIBE's event stream, HEARTBEATs, writing events, a failover ending
 * the old stream, a gone subscriber, and calls naming a stream the master ended. The habits
 * table's rows "streams and failover" (see {@code package-info.java}). Every method expects the
 * master's lock held unless it says otherwise.
 */
final class Streams {
    private final MasterState m;

    Streams(MasterState m) {
        this.m = m;
    }

    /**
     * Opens the event stream of a SUBSCRIBE that passed the checks, and holds the exchange open
     * until the stream ends. Lock not held.
     */
    void subscribe(HttpExchange ex, Call call, String path, String accept, boolean acceptsJson) throws IOException {
        EventStream stream;
        m.lock.lock();
        try {
            if (acceptsJson) {
                m.violation("ACCEPT_JSON", "SUBSCRIBE with Accept '" + accept
                        + "': a real master prefers application/json and would stream JSON");
            }
            String fid = call.hasFrameworkId() ? call.getFrameworkId().getValue() : null;
            boolean removed = fid != null && m.removedFrameworks.contains(fid);
            // A removed framework's stream carries one ERROR and ends; the framework stays removed.
            Framework fw = removed ? new Framework(fid) : frameworkFor(fid);
            ex.getResponseHeaders().set("Content-Type", TestMaster.PROTOBUF);
            String streamId = UUID.randomUUID().toString();
            ex.getResponseHeaders().set("Mesos-Stream-Id", streamId);
            ex.sendResponseHeaders(200, 0);
            stream = new EventStream(streamId, fw, new RecordIoWriter(ex.getResponseBody()));
            m.calls.add(new ReceivedCall(m.timers.now(), "POST", path, Optional.of(call), 200, ""));
            if (removed) {
                sendTo(stream, error("Framework has been removed"));
                endStream(stream);
            } else {
                subscribed(fw, stream, call.getSubscribe().getFrameworkInfo());
            }
            m.changed.signalAll();
        } finally {
            m.lock.unlock();
        }
        try {
            stream.ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                ex.close();
            } catch (RuntimeException e) {
                // the client is already gone
            }
        }
    }

    /** The framework a SUBSCRIBE names, failed over from its old stream, or a new one. */
    private Framework frameworkFor(String fid) {
        Framework fw = fid == null ? null : m.frameworks.get(fid);
        if (fw != null) {
            if (fw.stream != null) {
                EventStream old = fw.stream;
                sendTo(old, error("Framework failed over"));
                endStream(old);
                m.endedStreams.put(old.id, m.timers.nanoTime());
            }
            fw.stream = null;
            m.allocator.removeOffersOf(fw, false);
            return fw;
        }
        String id = fid != null ? fid : String.format("%s-%04d", m.masterId, m.frameworkSeq.getAndIncrement());
        fw = new Framework(id);
        m.frameworks.put(id, fw);
        m.allocator.applyPendingPhase();
        return fw;
    }

    /** SUBSCRIBED, a HEARTBEAT, the heartbeat timer, held updates and an allocation at once. */
    private void subscribed(Framework fw, EventStream stream, FrameworkInfo info) {
        fw.info = info.toBuilder().setId(FrameworkID.newBuilder().setValue(fw.id)).build();
        fw.suppressed = false;
        fw.stream = stream;
        m.lastFrameworkInfo = fw.info;
        sendTo(stream, Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
                        .setHeartbeatIntervalSeconds(m.config.heartbeatInterval.toNanos() / 1e9)
                        .setMasterInfo(masterInfo()))
                .build());
        if (!m.heartbeatsStopped) {
            sendTo(stream, heartbeat());
        }
        stream.heartbeat = m.timers.every(() -> m.locked(() -> {
            if (!m.heartbeatsStopped && stream.open) {
                sendTo(stream, heartbeat());
            }
        }), m.config.heartbeatInterval, m.config.heartbeatInterval);
        for (MasterTask t : fw.tasks.values()) {
            m.taskLife.sendHead(t);
        }
        m.allocator.allocateSoon();
    }

    private static Event error(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR).setError(Event.Error.newBuilder().setMessage(message))
                .build();
    }

    private static Event heartbeat() {
        return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    }

    private MasterInfo masterInfo() {
        int port = m.port;
        return MasterInfo.newBuilder().setId(m.masterId).setIp(16777343).setPort(port)
                .setPid("master@127.0.0.1:" + port).setHostname("127.0.0.1").setVersion("1.12.0")
                .setAddress(Address.newBuilder().setHostname("127.0.0.1").setIp("127.0.0.1").setPort(port))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_UPDATE))
                .addCapabilities(MasterInfo.Capability.newBuilder().setType(MasterInfo.Capability.Type.AGENT_DRAINING))
                .build();
    }

    /** Writes an event to a stream; a failed write means the subscriber is gone. */
    boolean sendTo(EventStream stream, Event event) {
        if (!stream.open) {
            return false;
        }
        try {
            stream.writer.write(event.toByteArray());
            m.sentEvents.add(new TestMaster.SentEvent(m.timers.now(), stream.fw.id, stream.id, event));
            m.changed.signalAll();
            return true;
        } catch (IOException | RuntimeException e) {
            disconnect(stream.fw);
            return false;
        }
    }

    /** Sends to the framework's current stream, if it has one. */
    boolean send(Framework fw, Event event) {
        return fw.stream != null && sendTo(fw.stream, event);
    }

    void endStream(EventStream stream) {
        stream.open = false;
        if (stream.heartbeat != null) {
            stream.heartbeat.cancel(false);
        }
        stream.ended.countDown();
    }

    /** The subscriber's connection is gone: the framework stays known but disconnected. */
    void disconnect(Framework fw) {
        if (fw.stream != null) {
            endStream(fw.stream);
            m.endedStreams.put(fw.stream.id, m.timers.nanoTime());
            fw.stream = null;
        }
        m.allocator.removeOffersOf(fw, false);
        m.changed.signalAll();
    }

    /**
     * The real master's answer to a call on a stream that is not the framework's current one; a
     * {@link Race} when it names a stream this master ended less than the race grace ago.
     */
    Answer staleStream(Call call, String streamId, int status, String text) {
        Long endedAt = streamId == null ? null : m.endedStreams.get(streamId);
        if (endedAt != null) {
            long sinceMs = (m.timers.nanoTime() - endedAt) / 1_000_000;
            if (sinceMs < m.config.raceGrace.toMillis()) {
                return new Answer(status, text, Map.of(), new Race("STALE_STREAM_IN_FLIGHT", call.getType()
                        + " on stream " + streamId + " arrived " + sinceMs + " ms after the master ended it; answered "
                        + status + " '" + text + "'"));
            }
        }
        return Answer.text(status, text);
    }
}
