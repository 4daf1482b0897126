package io.mesosrunner.cluster.mesos.testmaster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** A raw v1 scheduler client for the test master's own tests: protobuf calls, a RecordIO reader. */
final class SchedulerTestClient {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;

    SchedulerTestClient(URI master) {
        this.endpoint = master.resolve("/api/v1/scheduler");
    }

    static FrameworkInfo framework(String name, FrameworkInfo.Capability.Type... capabilities) {
        FrameworkInfo.Builder b = FrameworkInfo.newBuilder().setUser("root").setName(name).setFailoverTimeout(120)
                .setCheckpoint(true).addRoles("*");
        b.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE));
        for (FrameworkInfo.Capability.Type c : capabilities) {
            b.addCapabilities(FrameworkInfo.Capability.newBuilder().setType(c));
        }
        return b.build();
    }

    static Call subscribeCall(FrameworkInfo info) {
        Call.Builder b = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            b.setFrameworkId(info.getId());
        }
        return b.build();
    }

    /** POSTs raw bytes with the given headers. */
    HttpResponse<String> post(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> call(Call call, String streamId) {
        return post(call.toByteArray(), streamId == null
                ? Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF)
                : Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF, "Mesos-Stream-Id", streamId));
    }

    /** Opens a subscription; events are read on a daemon thread into a queue. */
    Subscription subscribe(FrameworkInfo info) {
        return subscribe(subscribeCall(info), Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF));
    }

    Subscription subscribe(Call call, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
        headers.forEach(b::header);
        try {
            HttpResponse<InputStream> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Subscription(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One open event stream. */
    static final class Subscription implements AutoCloseable {
        private static final Event END = Event.newBuilder().setType(Event.Type.UNKNOWN).build();
        final HttpResponse<InputStream> response;
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        private final Thread reader;
        volatile boolean ended;

        Subscription(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new Thread(this::read, "test-subscription-reader");
            reader.setDaemon(true);
            if (response.statusCode() == 200) {
                reader.start();
            }
        }

        String streamId() {
            return response.headers().firstValue("Mesos-Stream-Id").orElseThrow();
        }

        private void read() {
            try (InputStream in = response.body()) {
                while (true) {
                    ByteArrayOutputStream len = new ByteArrayOutputStream();
                    int c;
                    while ((c = in.read()) != '\n') {
                        if (c < 0) {
                            return;
                        }
                        len.write(c);
                    }
                    byte[] record = in.readNBytes(Integer.parseInt(len.toString()));
                    arrivals.add(System.nanoTime());
                    events.add(Event.parseFrom(record));
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                ended = true;
                events.add(END);
            }
        }

        /** The next event matching {@code predicate}, skipping others; fails after the timeout or at EOF. */
        Event next(Predicate<Event> predicate, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (true) {
                    Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (e == null) {
                        throw new AssertionError("no matching event within " + timeout);
                    }
                    if (e == END) {
                        events.add(END);
                        throw new AssertionError("stream ended before a matching event");
                    }
                    if (predicate.test(e)) {
                        return e;
                    }
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }

        Event next(Event.Type type, Duration timeout) {
            return next(e -> e.getType() == type, timeout);
        }

        /** Waits for EOF, answering whether it came within the timeout. */
        boolean awaitEnd(Duration timeout) throws InterruptedException {
            reader.join(timeout.toMillis());
            return ended;
        }

        FrameworkID frameworkId(Duration timeout) {
            return next(Event.Type.SUBSCRIBED, timeout).getSubscribed().getFrameworkId();
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
