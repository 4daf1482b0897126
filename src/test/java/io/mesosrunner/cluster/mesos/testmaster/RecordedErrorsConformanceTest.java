package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replays the requests recorded in {@code errors.jsonl} against the test master and checks each
 * gets the recorded status and body. The recorded framework id and stream id are replaced by the
 * live ones (in the request and in the expected text); JSON bodies are skipped (protobuf only).
 */
@Timeout(30)
class RecordedErrorsConformanceTest {

    @Test
    void recordedErrorCallsGetTheRecordedStatusAndBody() throws Exception {
        List<JsonNode> lines = MesosRecordings.lines("errors.jsonl");
        JsonNode first = lines.stream().filter(l -> l.path("dir").asText().equals("call")).findFirst().orElseThrow();
        String recordedStream = first.path("response_headers").path("mesos-stream-id").asText();
        String recordedFid = lines.stream().filter(l -> l.path("json").path("type").asText().equals("SUBSCRIBED"))
                .findFirst().orElseThrow().path("json").path("subscribed").path("framework_id").path("value").asText();

        try (TestMaster master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).build().start()) {
            master.addAgent(AgentSpec.standard());
            SchedulerTestClient client = new SchedulerTestClient(master.uri());
            try (SchedulerTestClient.Subscription sub = client.subscribe(
                    Call.parseFrom(Base64.getDecoder().decode(first.path("pb_base64").asText())),
                    headers(first, recordedStream, null))) {
                assertThat(sub.response.statusCode()).isEqualTo(first.path("status").asInt());
                String liveFid = sub.frameworkId(Duration.ofSeconds(5)).getValue();
                String liveStream = sub.streamId();
                List<String> mismatches = new ArrayList<>();
                int replayed = 0;
                for (JsonNode line : lines) {
                    if (line == first || !isReplayable(line)) {
                        continue;
                    }
                    replayed++;
                    HttpResponse<String> r = replay(client, master, line, recordedFid, liveFid, recordedStream, liveStream);
                    int status = line.path("status").asInt();
                    String body = line.path("body_text").asText("").replace(recordedFid, liveFid);
                    if (r.statusCode() != status || !r.body().equals(body)) {
                        mismatches.add("seq " + line.path("seq").asInt() + " (" + line.path("note").asText() + "): expected "
                                + status + " '" + body + "' but got " + r.statusCode() + " '" + r.body() + "'");
                    }
                }
                assertThat(mismatches).isEmpty();
                assertThat(replayed).isGreaterThanOrEqualTo(25);
            }
        }
    }

    /** Protobuf calls and the GET; not JSON bodies, which the test master does not speak. */
    private static boolean isReplayable(JsonNode line) {
        String dir = line.path("dir").asText();
        if (dir.equals("http")) {
            return line.path("path").asText().equals("/api/v1/scheduler");
        }
        return dir.equals("call")
                && !line.path("request_headers").path("Content-Type").asText().equals(TestMaster.JSON);
    }

    private static HttpResponse<String> replay(SchedulerTestClient client, TestMaster master, JsonNode line,
                                               String recordedFid, String liveFid, String recordedStream,
                                               String liveStream) throws Exception {
        if (line.path("method").asText().equals("GET")) {
            return SchedulerTestClient.HTTP.send(HttpRequest.newBuilder(master.uri().resolve(line.path("path").asText()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        byte[] body = Base64.getDecoder().decode(line.path("pb_base64").asText());
        try {
            Call call = Call.parseFrom(body);
            if (call.getFrameworkId().getValue().equals(recordedFid)) {
                body = call.toBuilder().setFrameworkId(FrameworkID.newBuilder().setValue(liveFid)).build().toByteArray();
            }
        } catch (InvalidProtocolBufferException e) {
            // a deliberately malformed body is replayed as recorded
        }
        return client.post(body, headers(line, recordedStream, liveStream));
    }

    private static Map<String, String> headers(JsonNode line, String recordedStream, String liveStream) {
        Map<String, String> out = new LinkedHashMap<>();
        line.path("request_headers").fields().forEachRemaining(e -> {
            String value = e.getValue().asText();
            out.put(e.getKey(), e.getKey().equals("Mesos-Stream-Id") && value.equals(recordedStream) && liveStream != null
                    ? liveStream : value);
        });
        return out;
    }

    @Test
    void recordingsAndTheirReadmeAreOnTheClassPath() {
        assertThat(MesosRecordings.readme()).contains("Recorded traffic of a real Mesos master");
        assertThat(MesosRecordings.lines("errors.jsonl")).isNotEmpty();
    }
}
