package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesosrunner.testing.Await;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The habits table's rows recorded with three agents (multi-agent-offers, default-refuse,
 * update-retry, master-slaves, new-agent), one test per row named after it. Times are scaled
 * down where the master lets a test choose them (allocation interval, resend interval).
 */
@Timeout(30)
class TestMasterThreeAgentsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TestMasterRun run = new TestMasterRun();

    private static TestMaster.Builder every(long ms) {
        return TestMaster.builder().allocationInterval(Duration.ofMillis(ms));
    }

    private static Resource scalar(Offer offer, String name, double value) {
        Resource r = offer.getResourcesList().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        return r.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private void accept(SchedulerTestClient.Subscription s, FrameworkID fid, Offer offer, String taskId) {
        TaskInfo task = TaskInfo.newBuilder().setName(taskId).setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(offer.getAgentId()).addResources(scalar(offer, "cpus", 0.1))
                .addResources(scalar(offer, "mem", 32))
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 1")).build();
        Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH);
        op.getLaunchBuilder().addTaskInfos(task);
        assertThat(run.client().call(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(fid)
                .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(op)
                        .setFilters(Filters.newBuilder().setRefuseSeconds(60))).build(), s.streamId()).statusCode())
                .isEqualTo(202);
    }

    private JsonNode slaves() throws Exception {
        URI uri = URI.create(run.master().uri() + "/master/slaves");
        HttpResponse<String> r = SchedulerTestClient.HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void offersOfAllAgentsComeInOneEvent() {
        run.start(every(100), 3);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("multi-agent-offers"));
        Event first = s.next(Event.Type.OFFERS, WAIT);
        assertThat(first.getOffers().getOffersList()).extracting(o -> o.getAgentId().getValue()).doesNotHaveDuplicates()
                .hasSize(3);
        Event recorded = recordedEvent("multi-agent-offers.jsonl", Event.Type.OFFERS);
        assertThat(recorded.getOffers().getOffersCount()).isEqualTo(3);
    }

    @Test
    void negativeRefuseSecondsRefuseForFiveSeconds() {
        run.start(every(100), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("default-refuse"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        Call decline = Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(fid)
                .setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())
                        .setFilters(Filters.newBuilder().setRefuseSeconds(-1))).build();
        assertThat(run.client().call(decline, s.streamId()).statusCode()).isEqualTo(202);
        // 15 allocation runs without the agent: a negative refuse_seconds is not "no filter".
        assertThatThrownBy(() -> s.next(Event.Type.OFFERS, Duration.ofMillis(1500)))
                .hasMessageContaining("no matching event");
    }

    @Test
    void unacknowledgedUpdateResentByteIdenticalAtDoublingIntervals() throws Exception {
        long base = 200;
        run.start(every(100).updateRetryInterval(Duration.ofMillis(base)).ackGrace(Duration.ofSeconds(20))
                .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(20))), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("update-retry"));
        FrameworkID fid = s.frameworkId(WAIT);
        accept(s, fid, s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0), "ur-sleep");
        List<TestMaster.SentEvent> sends = new ArrayList<>();
        Await.until("TASK_STARTING sent four times", WAIT, () -> {
            sends.clear();
            run.master().sentEvents().stream().filter(e -> e.event().getType() == Event.Type.UPDATE).forEach(sends::add);
            return sends.size() >= 4;
        });
        // Only the oldest unacknowledged update goes out, again and again, the same bytes each time.
        assertThat(sends).extracting(e -> e.event().getUpdate().getStatus().getState()).containsOnly(TaskState.TASK_STARTING);
        assertThat(sends).extracting(e -> e.event().toByteString()).containsOnly(sends.get(0).event().toByteString());
        Iterator<TestMaster.SentEvent> it = sends.iterator();
        Instant prev = it.next().at();
        for (long expected : new long[] {base, 2 * base, 4 * base}) {
            Instant at = it.next().at();
            assertThat(Duration.between(prev, at).toMillis()).isBetween(expected - 20, expected + 150);
            prev = at;
        }
        // The master learned of the end from the agent and offers the task's resources anyway.
        assertThat(run.master().taskState("ur-sleep")).hasValue(TaskState.TASK_FINISHED);
        // (The rest of the offer is under a 60 s filter, so an offer from the agent holds the freed resources.)
        Offer freed = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(freed.getAgentId()).isEqualTo(sends.get(0).event().getUpdate().getStatus().getAgentId());
        assertThat(run.master().unacknowledgedUpdates()).extracting(TaskStatus::getState)
                .containsExactly(TaskState.TASK_STARTING);
    }

    @Test
    void masterSlavesHasTheRecordedFields() throws Exception {
        run.start(every(100), 2);
        JsonNode recorded = MesosRecordings.lines("master-slaves.jsonl").stream()
                .filter(l -> l.path("path").asText().equals("/master/slaves")).findFirst().orElseThrow().path("json");
        List<String> recordedKeys = new ArrayList<>();
        recorded.path("slaves[0] keys (all)").forEach(k -> recordedKeys.add(k.asText()));
        JsonNode answer = slaves();
        assertThat(answer.has("recovered_slaves")).isTrue();
        JsonNode agent = answer.path("slaves").get(0);
        List<String> keys = new ArrayList<>();
        agent.fieldNames().forEachRemaining(keys::add);
        assertThat(recordedKeys).containsAll(keys);
        JsonNode recordedAgent = recorded.path("slaves").get(0);
        for (String k : List.of("id", "pid", "hostname", "port", "active", "deactivated", "version", "registered_time",
                "attributes", "resources", "used_resources", "offered_resources", "unreserved_resources")) {
            assertThat(agent.get(k)).as(k).isNotNull();
            assertThat(agent.get(k).getNodeType()).as(k).isEqualTo(recordedAgent.get(k).getNodeType());
        }
        assertThat(agent.path("resources").path("ports").isTextual()).isTrue();
        assertThat(agent.path("resources").has("gpus")).isTrue();
        assertThat(agent.path("used_resources").has("ports")).isFalse();
        assertThat(agent.path("pid").asText()).isEqualTo("slave(1)@127.0.0.1:" + agent.path("port").asInt());
        String id = agent.path("id").asText();
        URI one = URI.create(run.master().uri() + "/master/slaves?slave_id=" + id);
        JsonNode only = JSON.readTree(SchedulerTestClient.HTTP.send(HttpRequest.newBuilder(one).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(only.path("slaves")).hasSize(1);
    }

    @Test
    void stoppedAgentGoesInactiveThenLeavesTheListOfAgents() throws Exception {
        run.start(every(100).agentRemovalDelay(Duration.ofMillis(300)), 2);
        String gone = run.master().agents().get(1).agentId();
        run.master().removeAgent(gone);
        JsonNode inactive = null;
        for (JsonNode a : slaves().path("slaves")) {
            if (a.path("id").asText().equals(gone)) {
                inactive = a;
            }
        }
        assertThat(inactive).isNotNull();
        assertThat(inactive.path("active").asBoolean()).isFalse();
        assertThat(inactive.path("deactivated").asBoolean()).isFalse();
        Await.until("the agent is removed from /master/slaves", WAIT,
                () -> slaves().path("slaves").size() == 1);
        assertThat(slaves().path("recovered_slaves")).isEmpty();
    }

    private static Event recordedEvent(String file, Event.Type type) {
        return MesosRecordings.lines(file).stream().filter(l -> l.path("dir").asText().equals("event"))
                .map(l -> {
                    try {
                        return Event.parseFrom(java.util.Base64.getDecoder().decode(l.path("pb_base64").asText()));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                }).filter(e -> e.getType() == type).findFirst().orElseThrow();
    }
}
