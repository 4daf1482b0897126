package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * {@code /api/v1/scheduler}: the checks a real master makes in its order (method, authentication,
 * content type, parsing, validation, stream id), the dispatch of each call and the recording of
 * every call with its answer. Status codes and texts as in the recordings' README tables.
 */
final class SchedulerEndpoint {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String VALIDATE = "Failed to validate scheduler::Call: ";

    private final MasterState m;
    private final AcceptCall accepts;

    SchedulerEndpoint(MasterState m) {
        this.m = m;
        this.accepts = new AcceptCall(m);
    }

    void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Optional<Call> parsed = Optional.empty();
        try {
            parsed = Optional.of(Call.parseFrom(body));
        } catch (InvalidProtocolBufferException e) {
            // answered below, in the master's order of checks
        }
        Answer pre = preChecks(ex, method);
        if (pre != null) {
            answer(ex, pre, method, path, parsed);
            return;
        }
        if (parsed.isEmpty()) {
            answer(ex, Answer.text(400, "Failed to parse body into Call protobuf"), method, path, parsed);
            return;
        }
        Call call = parsed.get();
        String authenticated = authenticatedPrincipal(ex);
        String invalid = validate(call, authenticated);
        if (invalid != null) {
            answer(ex, Answer.text(400, VALIDATE + invalid), method, path, parsed);
            return;
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            subscribe(ex, call, path);
            return;
        }
        Answer a;
        m.lock.lock();
        try {
            a = handleCall(call, ex.getRequestHeaders().getFirst("Mesos-Stream-Id"), authenticated);
        } finally {
            m.lock.unlock();
        }
        answer(ex, a, method, path, parsed);
    }

    /** Fault injection, method, authentication and content type, in the master's order. */
    private Answer preChecks(HttpExchange ex, String method) {
        m.lock.lock();
        try {
            if (m.redirect != null) {
                String location = "//" + m.redirect.getHost() + ":" + m.redirect.getPort() + "/master/api/v1/scheduler";
                return new Answer(307, "", Map.of("Location", location));
            }
            if (m.failCount > 0) {
                m.failCount--;
                return new Answer(m.failStatus, m.failBody, Map.of("X-Test-Master-Injected", "true"));
            }
        } finally {
            m.lock.unlock();
        }
        if (!"POST".equals(method)) {
            return new Answer(405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '" + method + "'.",
                    Map.of("Allow", "POST"));
        }
        if (m.config.principal != null && authenticatedPrincipal(ex) == null) {
            return new Answer(401, "401 Unauthorized.",
                    Map.of("WWW-Authenticate", "Basic realm=\"mesos-master-scheduler\""));
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            return Answer.text(400, "Expecting 'Content-Type' to be present");
        }
        String media = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals(TestMaster.JSON)) {
            m.lock.lock();
            try {
                m.violation("JSON_UNSUPPORTED", "a JSON body was sent; the test master speaks protobuf only");
            } finally {
                m.lock.unlock();
            }
            return Answer.text(415, "The test master accepts only 'Content-Type' application/x-protobuf");
        }
        if (!media.equals(TestMaster.PROTOBUF)) {
            return Answer.text(415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
        }
        return null;
    }

    private String authenticatedPrincipal(HttpExchange ex) {
        if (m.config.principal == null) {
            return null;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return decoded.equals(m.config.principal + ":" + m.config.secret) ? m.config.principal : null;
    }

    /** The master's validation of a Call (validation::scheduler::call::validate). */
    private static String validate(Call call, String principal) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return "Expecting 'subscribe' to be present";
            }
            FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
            if (principal != null && info.hasPrincipal() && !info.getPrincipal().equals(principal)) {
                return "Authenticated principal '" + principal + "' does not match principal '" + info.getPrincipal()
                        + "' set in `FrameworkInfo`";
            }
            if (call.hasFrameworkId() && !info.getId().equals(call.getFrameworkId())) {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }
            return null;
        }
        if (!call.hasFrameworkId()) {
            return "Expecting 'framework_id' to be present";
        }
        return switch (call.getType()) {
            case ACCEPT -> call.hasAccept() ? null : "Expecting 'accept' to be present";
            case DECLINE -> call.hasDecline() ? null : "Expecting 'decline' to be present";
            case KILL -> call.hasKill() ? null : "Expecting 'kill' to be present";
            case SHUTDOWN -> call.hasShutdown() ? null : "Expecting 'shutdown' to be present";
            case RECONCILE -> call.hasReconcile() ? null : "Expecting 'reconcile' to be present";
            case MESSAGE -> call.hasMessage() ? null : "Expecting 'message' to be present";
            case REQUEST -> call.hasRequest() ? null : "Expecting 'request' to be present";
            case ACKNOWLEDGE -> !call.hasAcknowledge() ? "Expecting 'acknowledge' to be present"
                    : call.getAcknowledge().getUuid().size() == 16 ? null : "Not a valid UUID";
            default -> null;
        };
    }

    private void answer(HttpExchange ex, Answer a, String method, String path, Optional<Call> call) throws IOException {
        // Recorded before the answer goes out: a client that has its answer finds its call here.
        record(method, path, call, a);
        try (ex) {
            a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (a.status() == 202 || a.status() == 307) {
                ex.sendResponseHeaders(a.status(), -1);
            } else {
                byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", TEXT);
                ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    ex.getResponseBody().write(bytes);
                }
            }
        }
    }

    private void record(String method, String path, Optional<Call> call, Answer a) {
        boolean injected = a.headers().containsKey("X-Test-Master-Injected");
        m.lock.lock();
        try {
            ReceivedCall rc = new ReceivedCall(m.timers.now(), method, path, call, a.status(), a.body());
            m.calls.add(rc);
            if (a.race() != null) {
                m.races.add(a.race());
            } else if (a.status() >= 400 && a.status() < 500 && !injected) {
                m.violation("HTTP_" + a.status(), rc.type() + " answered " + a.status() + " '" + a.body() + "'");
            }
            m.changed.signalAll();
        } finally {
            m.lock.unlock();
        }
    }

    private void subscribe(HttpExchange ex, Call call, String path) throws IOException {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        boolean acceptsProto = accepts(accept, TestMaster.PROTOBUF);
        boolean acceptsJson = accepts(accept, TestMaster.JSON);
        Optional<Call> parsed = Optional.of(call);
        if (!acceptsProto && !acceptsJson) {
            answer(ex, Answer.text(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"),
                    "POST", path, parsed);
        } else if (!acceptsProto) {
            answer(ex, Answer.text(406, "The test master streams only application/x-protobuf"), "POST", path, parsed);
        } else if (ex.getRequestHeaders().containsKey("Mesos-Stream-Id")) {
            answer(ex, Answer.text(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header"), "POST",
                    path, parsed);
        } else {
            m.streams.subscribe(ex, call, path, accept, acceptsJson);
        }
    }

    private static boolean accepts(String accept, String media) {
        if (accept == null) {
            return true;
        }
        String type = media.substring(0, media.indexOf('/'));
        for (String part : accept.split(",")) {
            String mt = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (mt.equals(media) || mt.equals("*/*") || mt.equals(type + "/*")) {
                return true;
            }
        }
        return false;
    }

    /** A call other than SUBSCRIBE, after the checks of the framework and its stream. Lock held. */
    private Answer handleCall(Call call, String streamId, String principal) {
        Framework fw = m.frameworks.get(call.getFrameworkId().getValue());
        if (fw == null) {
            return Answer.text(400, "Framework cannot be found");
        }
        if (principal != null && fw.info.hasPrincipal() && !fw.info.getPrincipal().equals(principal)) {
            return Answer.text(400, VALIDATE + "Authenticated principal '" + principal
                    + "' does not match principal '" + fw.info.getPrincipal() + "' set in `FrameworkInfo`");
        }
        if (fw.stream == null) {
            return m.streams.staleStream(call, streamId, 403, "Framework is not subscribed");
        }
        if (streamId == null) {
            return Answer.text(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamId.equals(fw.stream.id)) {
            return m.streams.staleStream(call, streamId, 400, "The stream ID '" + streamId
                    + "' included in this request didn't match the stream ID currently associated with framework ID "
                    + fw.id);
        }
        dispatch(fw, call);
        m.changed.signalAll();
        return new Answer(202, "", Map.of());
    }

    private void dispatch(Framework fw, Call call) {
        switch (call.getType()) {
            case TEARDOWN -> teardown(fw);
            case ACCEPT -> accepts.accept(fw, call.getAccept());
            case DECLINE -> m.allocator.decline(fw, call.getDecline().getOfferIdsList(), call.getDecline().getFilters());
            case REVIVE -> {
                fw.suppressed = false;
                fw.refuseFilters.clear();
                m.allocator.allocateSoon();
            }
            case SUPPRESS -> fw.suppressed = true;
            case KILL -> m.taskLife.kill(fw, call.getKill());
            case ACKNOWLEDGE -> m.taskLife.acknowledge(fw, call.getAcknowledge());
            case RECONCILE -> m.taskLife.reconcile(fw, call.getReconcile());
            case SHUTDOWN, MESSAGE, REQUEST, DECLINE_INVERSE_OFFERS, ACCEPT_INVERSE_OFFERS -> {
                // accepted and ignored, as a master without custom executors or inverse offers would
            }
            default -> m.violation("UNSUPPORTED_CALL", call.getType() + " is not supported by the test master");
        }
    }

    private void teardown(Framework fw) {
        long now = m.timers.nanoTime();
        for (OfferState o : m.offers.values()) {
            if (o.fw() == fw && now - o.createdNanos() < m.config.raceGrace.toNanos()) {
                m.races.add(new Race("OFFER_SENT_AT_TEARDOWN", "offer " + o.id() + " on agent " + o.agent().agentId()
                        + " was sent " + (now - o.createdNanos()) / 1_000_000 + " ms before TEARDOWN arrived"));
            } else if (o.fw() == fw) {
                m.violation("OFFER_HELD_AT_TEARDOWN", "offer " + o.id() + " on agent " + o.agent().agentId()
                        + " was neither accepted nor declined before TEARDOWN");
            }
        }
        for (Iterator<TestMaster.SentUpdate> it = m.unacked.values().iterator(); it.hasNext();) {
            TestMaster.SentUpdate u = it.next();
            if (u.frameworkId().equals(fw.id)) {
                m.violation("UNACKNOWLEDGED_UPDATE", MasterState.describe(u.status()) + " was never acknowledged (TEARDOWN)");
                it.remove();
            }
        }
        m.allocator.removeOffersOf(fw, false);
        for (MasterTask t : fw.tasks.values()) {
            m.taskLife.stopTask(t);
        }
        fw.tasks.clear();
        if (fw.stream != null) {
            m.streams.endStream(fw.stream);
            fw.stream = null;
        }
        m.frameworks.remove(fw.id);
        m.removedFrameworks.add(fw.id);
    }
}
