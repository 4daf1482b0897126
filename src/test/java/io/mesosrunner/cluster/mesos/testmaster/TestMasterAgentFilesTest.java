package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.mesosrunner.testing.Await;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The habits table's rows "agent files", one test per row named after it, each compared with
 * {@code files-download.jsonl}: a task writes the recorded {@code out.bin} (0x00..0xff, 400 times)
 * and {@code summary.html}, and the fake agent must answer byte for byte as the real one did.
 */
@Timeout(30)
class TestMasterAgentFilesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String RECORDING = "files-download.jsonl";

    @RegisterExtension
    final TestMasterRun run = new TestMasterRun();

    private String sandbox;
    private FakeAgent agent;

    static byte[] outBin() {
        byte[] b = new byte[102400];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** The recorded summary.html, verbatim. */
    private static byte[] summaryHtml() {
        return line(14).path("body_head_text").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode line(int seq) {
        return MesosRecordings.lines(RECORDING).stream().filter(l -> l.path("seq").asInt() == seq).findFirst()
                .orElseThrow();
    }

    /** A task {@code fd-files} that wrote out.bin and summary.html and runs for {@code runFor}. */
    private void startTask(Duration runFor) throws InterruptedException {
        run.start(TestMaster.builder().allocationInterval(Duration.ofMillis(50)).behaviours(t -> TaskBehaviour
                .finishAfter(runFor).withFile("out.bin", outBin()).withFile("summary.html", summaryHtml())), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("files-download"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        TaskInfo task = TaskInfo.newBuilder().setName("fd-files").setTaskId(TaskID.newBuilder().setValue("fd-files"))
                .setAgentId(offer.getAgentId()).addResources(scalar(offer, "cpus", 0.1)).addResources(scalar(offer, "mem", 32))
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("write files; sleep 5")).build();
        Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH);
        op.getLaunchBuilder().addTaskInfos(task);
        run.client().call(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(fid)
                .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(op)).build(), s.streamId());
        Await.until("fd-files has written its files", WAIT, () -> run.master().taskState("fd-files")
                .filter(st -> st == TaskState.TASK_RUNNING || st == TaskState.TASK_FINISHED).isPresent());
        sandbox = FakeAgent.virtualSandbox(fid.getValue(), "fd-files");
        agent = run.master().agents().get(0);
    }

    private static Resource scalar(Offer offer, String name, double value) {
        Resource r = offer.getResourcesList().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        return r.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private HttpResponse<byte[]> get(String endpoint, String query) throws IOException, InterruptedException {
        URI uri = URI.create(agent.uri() + endpoint + (query == null ? "" : "?" + query));
        return SchedulerTestClient.HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String path(String p) {
        return "path=" + URLEncoder.encode(p, StandardCharsets.UTF_8);
    }

    private static byte[] recordedBody(int seq) {
        return Base64.getDecoder().decode(line(seq).path("body_base64").asText());
    }

    private static String recordedHeader(int seq, String name) {
        return line(seq).path("response_headers").path(name).asText();
    }

    @Test
    void filesDownloadGivesTheBytesWithTypeByExtensionAndAttachment() throws Exception {
        startTask(Duration.ofSeconds(60));
        for (int seq : List.of(13, 14)) {
            String file = line(seq).path("path").asText().replaceAll(".*/", "");
            HttpResponse<byte[]> r = get("/files/download", path(sandbox + "/" + file));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue(recordedHeader(seq, "content-type"));
            assertThat(r.headers().firstValue("content-disposition")).hasValue(recordedHeader(seq, "content-disposition"));
            assertThat(r.headers().firstValue("content-length")).hasValue(recordedHeader(seq, "content-length"));
            assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(r.body()))
                    .asHexString().isEqualToIgnoringCase(line(seq).path("body_sha256").asText());
        }
        assertThat(AgentFiles.contentType("report.unknown-ext")).isEqualTo("application/octet-stream");
    }

    @Test
    void filesErrorsAnswerAsRecorded() throws Exception {
        startTask(Duration.ofSeconds(60));
        String unknownExecutor = sandbox.replace("/executors/fd-files/", "/executors/no-such-executor/");
        Object[][] cases = {
            {33, "/files/download", path(sandbox + "/no-such-file.bin")},
            {38, "/files/download", path(unknownExecutor + "/out.bin")},
            {36, "/files/download", path(sandbox)},
            {37, "/files/download", null},
            {34, "/files/browse", path(sandbox + "/no-such-dir")},
            {35, "/files/read", path(sandbox + "/no-such-file.bin") + "&offset=0&length=10"},
        };
        for (Object[] c : cases) {
            int seq = (int) c[0];
            HttpResponse<byte[]> r = get((String) c[1], (String) c[2]);
            assertThat(r.statusCode()).as("seq %d", seq).isEqualTo(line(seq).path("status").asInt());
            assertThat(r.headers().firstValue("content-type")).as("seq %d", seq)
                    .hasValue(recordedHeader(seq, "content-type"));
            byte[] recorded = line(seq).has("body_base64") ? recordedBody(seq) : new byte[0];
            assertThat(r.body()).as("seq %d", seq).isEqualTo(recorded);
        }
    }

    @Test
    void filesReadOfBinaryDataIsTheRawBytesNotUtf8() throws Exception {
        startTask(Duration.ofSeconds(60));
        for (int seq : List.of(15, 16, 17)) {
            String query = line(seq).path("path").asText().replaceAll("^[^?]*\\?path=[^&]*", "");
            HttpResponse<byte[]> r = get("/files/read", path(sandbox + "/out.bin") + query);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(r.body()).as("seq %d", seq).isEqualTo(recordedBody(seq));
        }
        HttpResponse<byte[]> size = get("/files/read", path(sandbox + "/out.bin") + "&offset=-1");
        assertThat(new String(size.body(), StandardCharsets.US_ASCII)).isEqualTo("{\"data\":\"\",\"offset\":102400}");
    }

    @Test
    void filesAnswerTheSameAfterTheTaskFinished() throws Exception {
        startTask(Duration.ofMillis(50));
        run.master().awaitTaskState("fd-files", TaskState.TASK_FINISHED, WAIT);
        HttpResponse<byte[]> read = get("/files/read", path(sandbox + "/out.bin") + "&offset=120&length=16");
        assertThat(read.body()).isEqualTo(recordedBody(29));
        HttpResponse<byte[]> download = get("/files/download", path(sandbox + "/out.bin"));
        assertThat(download.body()).isEqualTo(outBin());
        JsonNode browse = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/files/browse", path(sandbox)).body());
        assertThat(browse.findValuesAsText("path")).containsExactly(sandbox + "/out.bin", sandbox + "/stderr",
                sandbox + "/stdout", sandbox + "/summary.html");
    }
}
