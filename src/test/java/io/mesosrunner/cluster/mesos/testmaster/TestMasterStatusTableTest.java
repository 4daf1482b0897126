package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per row of the README's status table that the test master reproduces. */
@Timeout(20)
class TestMasterStatusTableTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Map<String, String> PB = Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF);

    private TestMaster master;
    private SchedulerTestClient client;
    private SchedulerTestClient.Subscription sub;
    private FrameworkID fid;

    @BeforeEach
    void subscribe() {
        master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).build().start();
        master.addAgent(AgentSpec.standard());
        client = new SchedulerTestClient(master.uri());
        sub = client.subscribe(SchedulerTestClient.framework("status-table"));
        fid = sub.frameworkId(WAIT);
    }

    @AfterEach
    void close() {
        sub.close();
        master.close();
    }

    private Call revive() {
        return Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fid).build();
    }

    private static void assertError(HttpResponse<String> r, int status, String body) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    private static void assertAccepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Type")).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void subscribeAnswers200WithStreamIdAndProtobufContentType() {
        assertThat(sub.response.statusCode()).isEqualTo(200);
        assertThat(sub.response.headers().firstValue("Content-Type")).hasValue(TestMaster.PROTOBUF);
        assertThat(sub.response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(sub.streamId()).matches("[0-9a-f-]{36}");
        assertThat(fid.getValue()).isEqualTo(master.masterId() + "-0000");
        assertThat(master.violations()).isEmpty();
    }

    @Test
    void nonSubscribeCallWithoutStreamIdIs400() {
        assertError(client.call(revive(), null), 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        assertThat(master.violations()).extracting(Violation::kind).containsExactly("HTTP_400");
    }

    @Test
    void subscribeCarryingStreamIdIs400() {
        HttpResponse<String> r = client.post(SchedulerTestClient.subscribeCall(SchedulerTestClient.framework("side")).toByteArray(),
                Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF, "Mesos-Stream-Id", sub.streamId()));
        assertError(r, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
    }

    @Test
    void malformedProtobufIs400() {
        assertError(client.post(new byte[] {0x0a, 0x7f, 0x01}, PB), 400, "Failed to parse body into Call protobuf");
    }

    @Test
    void emptyBodyAndCallWithoutTypeAre400() {
        assertError(client.post(new byte[0], PB), 400, "Failed to validate scheduler::Call: Expecting 'type' to be present");
        assertError(client.post(Call.newBuilder().setFrameworkId(fid).build().toByteArray(), PB), 400,
                "Failed to validate scheduler::Call: Expecting 'type' to be present");
    }

    @Test
    void unknownFrameworkIdIs400() {
        Call call = Call.newBuilder().setType(Call.Type.REVIVE)
                .setFrameworkId(FrameworkID.newBuilder().setValue("00000000-0000-0000-0000-000000000000-0000")).build();
        assertError(client.call(call, sub.streamId()), 400, "Framework cannot be found");
    }

    @Test
    void wrongStreamIdIs400NamingBothIds() {
        String wrong = "16cb4742-edf4-4e15-a40d-e32452b672e9";
        assertError(client.call(revive(), wrong), 400, "The stream ID '" + wrong
                + "' included in this request didn't match the stream ID currently associated with framework ID " + fid.getValue());
    }

    @Test
    void missingFrameworkIdIs400() {
        assertError(client.call(Call.newBuilder().setType(Call.Type.REVIVE).build(), sub.streamId()), 400,
                "Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
    }

    @Test
    void textPlainContentTypeIs415() {
        assertError(client.post(revive().toByteArray(), Map.of("Content-Type", "text/plain", "Mesos-Stream-Id", sub.streamId())),
                415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    }

    @Test
    void missingContentTypeIs400() {
        assertError(client.post(revive().toByteArray(), Map.of("Mesos-Stream-Id", sub.streamId())), 400,
                "Expecting 'Content-Type' to be present");
    }

    @Test
    void acceptHeaderIsIgnoredOnNonSubscribeCalls() {
        assertAccepted(client.post(revive().toByteArray(),
                Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", "text/html", "Mesos-Stream-Id", sub.streamId())));
        assertThat(master.violations()).isEmpty();
    }

    @Test
    void subscribeAcceptingOnlyHtmlIs406() {
        HttpResponse<String> r = client.post(SchedulerTestClient.subscribeCall(SchedulerTestClient.framework("html")).toByteArray(),
                Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", "text/html"));
        assertError(r, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
    }

    @Test
    void getOnSchedulerEndpointIs405() throws Exception {
        HttpResponse<String> r = SchedulerTestClient.HTTP.send(
                HttpRequest.newBuilder(master.uri().resolve("/api/v1/scheduler")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(r, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void acknowledgeWithUuidNotSixteenBytesIs400() {
        for (ByteString uuid : new ByteString[] {ByteString.copyFromUtf8("not-a-uuid"), ByteString.EMPTY}) {
            Call ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(fid)
                    .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue("a"))
                            .setTaskId(TaskID.newBuilder().setValue("t")).setUuid(uuid)).build();
            assertError(client.call(ack, sub.streamId()), 400, "Failed to validate scheduler::Call: Not a valid UUID");
        }
    }

    @Test
    void acknowledgeOfUnknownTaskIs202ButAViolation() {
        Call ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(fid)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue("a"))
                        .setTaskId(TaskID.newBuilder().setValue("no-such-task"))
                        .setUuid(ByteString.copyFrom(new byte[16]))).build();
        assertAccepted(client.call(ack, sub.streamId()));
        assertThat(master.violations()).extracting(Violation::kind).containsExactly("UNKNOWN_ACKNOWLEDGEMENT");
    }

    @Test
    void declineOfUnknownOfferIs202() {
        Call decline = Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(fid)
                .setDecline(Call.Decline.newBuilder().addOfferIds(OfferID.newBuilder().setValue("no-such-offer-O2"))).build();
        assertAccepted(client.call(decline, sub.streamId()));
    }

    @Test
    void oldStreamIdWhileDisconnectedIs403() {
        String old = sub.streamId();
        master.dropStream();
        assertError(client.call(revive(), old), 403, "Framework is not subscribed");
    }

    @Test
    void anyCallAfterTeardownIs400() throws Exception {
        assertAccepted(client.call(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(fid).build(), sub.streamId()));
        assertThat(sub.awaitEnd(WAIT)).isTrue();
        assertError(client.call(revive(), sub.streamId()), 400, "Framework cannot be found");
    }

    @Test
    void injectedNoLeaderAnswersAre503ThenNormalAgain() {
        master.failNextCalls(2, 503, "No leader elected");
        assertError(client.call(revive(), sub.streamId()), 503, "No leader elected");
        assertError(client.call(revive(), sub.streamId()), 503, "No leader elected");
        assertAccepted(client.call(revive(), sub.streamId()));
        assertThat(master.violations()).isEmpty();
    }

    @Test
    void redirectAnswers307WithSchemelessLocation() {
        master.redirectTo(URI.create("http://127.0.0.1:5060"));
        HttpResponse<String> r = client.call(revive(), sub.streamId());
        assertThat(r.statusCode()).isEqualTo(307);
        assertThat(r.headers().firstValue("Location")).hasValue("//127.0.0.1:5060/master/api/v1/scheduler");
        assertThat(r.headers().firstValue("Content-Length")).hasValue("0");
        master.stopRedirecting();
        assertAccepted(client.call(revive(), sub.streamId()));
    }

    @Test
    void masterPrefixedPathIsServedToo() {
        HttpResponse<String> r;
        try {
            r = SchedulerTestClient.HTTP.send(HttpRequest.newBuilder(master.uri().resolve("/master/api/v1/scheduler"))
                    .header("Content-Type", TestMaster.PROTOBUF).header("Mesos-Stream-Id", sub.streamId())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(revive().toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertAccepted(r);
    }

    @Test
    void firstEventsAreSubscribedThenHeartbeatAndOffers() {
        assertThat(sub.next(e -> true, WAIT).getType()).isEqualTo(Event.Type.HEARTBEAT);
        Event offers = sub.next(Event.Type.OFFERS, WAIT);
        assertThat(offers.getOffers().getOffers(0).getUrl().getPath()).isEqualTo("/slave(1)");
        assertThat(offers.getOffers().getOffers(0).getAllocationInfo().getRole()).isEqualTo("*");
    }

    @Test
    void authenticationRejectsMissingOrWrongCredentialsWith401() {
        try (TestMaster secured = TestMaster.builder().authentication("rec-principal", "s3cret").build().start()) {
            SchedulerTestClient c = new SchedulerTestClient(secured.uri());
            byte[] body = SchedulerTestClient.subscribeCall(SchedulerTestClient.framework("auth")).toByteArray();
            for (String auth : new String[] {null, basic("rec-principal", "wrong"), basic("nobody", "s3cret")}) {
                Map<String, String> h = auth == null ? PB
                        : Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF, "Authorization", auth);
                HttpResponse<String> r = c.post(body, h);
                assertError(r, 401, "401 Unauthorized.");
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mesos-master-scheduler\"");
            }
        }
    }

    @Test
    void authenticationRejectsOtherPrincipalInFrameworkInfoWith400() {
        try (TestMaster secured = TestMaster.builder().authentication("rec-principal", "s3cret").build().start()) {
            SchedulerTestClient c = new SchedulerTestClient(secured.uri());
            Call call = SchedulerTestClient.subscribeCall(
                    SchedulerTestClient.framework("auth").toBuilder().setPrincipal("someone-else").build());
            HttpResponse<String> r = c.post(call.toByteArray(),
                    Map.of("Content-Type", TestMaster.PROTOBUF, "Accept", TestMaster.PROTOBUF,
                            "Authorization", basic("rec-principal", "s3cret")));
            assertError(r, 400, "Failed to validate scheduler::Call: Authenticated principal 'rec-principal' does not "
                    + "match principal 'someone-else' set in `FrameworkInfo`");
        }
    }

    @Test
    void authenticatedSubscribeWithSamePrincipalStreams() {
        try (TestMaster secured = TestMaster.builder().authentication("rec-principal", "s3cret").build().start()) {
            SchedulerTestClient c = new SchedulerTestClient(secured.uri());
            Call call = SchedulerTestClient.subscribeCall(
                    SchedulerTestClient.framework("auth").toBuilder().setPrincipal("rec-principal").build());
            try (SchedulerTestClient.Subscription s = c.subscribe(call, Map.of("Content-Type", TestMaster.PROTOBUF,
                    "Accept", TestMaster.PROTOBUF, "Authorization", basic("rec-principal", "s3cret")))) {
                assertThat(s.response.statusCode()).isEqualTo(200);
                FrameworkID id = s.frameworkId(WAIT);
                HttpResponse<String> noAuth = c.call(Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(id).build(),
                        s.streamId());
                assertThat(noAuth.statusCode()).isEqualTo(401);
            }
        }
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
