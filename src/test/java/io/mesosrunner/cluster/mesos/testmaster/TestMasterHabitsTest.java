package io.mesosrunner.cluster.mesos.testmaster;

import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
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
 * One test per row of the table of habits in {@link TestMaster}'s class comment, named after the
 * row. Timing rows run the master with short intervals and check the same shape as the recorded
 * times (offers land on allocation ticks, filters last as long as asked), measured on the
 * master's side ({@link TestMaster#sentEvents()}, {@link TestMaster#calls()}) so a slow client
 * does not blur them. Rows backed by a recording compare with the recorded events themselves.
 */
@Timeout(30)
class TestMasterHabitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Scheduling slack on a loaded machine: timers may fire this late. Lower bounds measured from a
     * call are 30-50 ms short: a call is recorded when it is answered, after its timers were set. */
    private static final long SLACK_MS = 150;

    @RegisterExtension
    final TestMasterRun run = new TestMasterRun();

    // ------------------------------------------------------------------------------------------
    // helpers

    private static TestMaster.Builder every(long allocationMs) {
        return TestMaster.builder().allocationInterval(Duration.ofMillis(allocationMs));
    }

    private static Offer offerIn(Event e) {
        return e.getOffers().getOffers(0);
    }

    private static Offer nextOffer(SchedulerTestClient.Subscription s, Duration timeout) {
        return offerIn(s.next(Event.Type.OFFERS, timeout));
    }

    /** When the master wrote the OFFERS event holding this offer. */
    private Instant sentAt(Offer offer) {
        return run.master().sentEvents().stream().filter(e -> e.event().getType() == Event.Type.OFFERS
                && e.event().getOffers().getOffersList().stream().anyMatch(o -> o.getId().equals(offer.getId())))
                .findFirst().orElseThrow().at();
    }

    /** When the master wrote the first event of this type after {@code after}. */
    private Instant sentAt(Event.Type type, Instant after) {
        return run.master().sentEvents().stream().filter(e -> e.event().getType() == type && !e.at().isBefore(after))
                .findFirst().orElseThrow().at();
    }

    /** When the master wrote the first update with this state. */
    private Instant sentAt(TaskState state) {
        return run.master().sentEvents().stream().filter(e -> e.event().getType() == Event.Type.UPDATE
                && e.event().getUpdate().getStatus().getState() == state).findFirst().orElseThrow().at();
    }

    /** When the latest call of this type arrived. */
    private Instant lastCallAt(Call.Type type) {
        List<ReceivedCall> c = run.master().calls(type);
        return c.get(c.size() - 1).at();
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static double cpus(Offer offer) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals("cpus"))
                .mapToDouble(r -> r.getScalar().getValue()).sum();
    }

    private static Resource scalar(Offer offer, String name, double value) {
        Resource r = offer.getResourcesList().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        return r.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static TaskInfo task(String id, Offer offer, double cpus) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
                .addResources(scalar(offer, "cpus", cpus)).addResources(scalar(offer, "mem", 32))
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 1")).build();
    }

    /** ACCEPTs the offer with these tasks; {@code refuseSeconds < 0}: no filters in the call. */
    private void accept(SchedulerTestClient.Subscription s, FrameworkID fid, Offer offer, double refuseSeconds,
                        TaskInfo... tasks) {
        Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH);
        op.getLaunchBuilder().addAllTaskInfos(List.of(tasks));
        Call.Accept.Builder a = Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(op);
        if (refuseSeconds >= 0) {
            a.setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        }
        assertThat(run.client().call(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(fid).setAccept(a).build(),
                s.streamId()).statusCode()).isEqualTo(202);
    }

    /** DECLINEs the offer; {@code refuseSeconds < 0}: no filters in the call. */
    private void decline(SchedulerTestClient.Subscription s, FrameworkID fid, OfferID offer, double refuseSeconds) {
        Call.Decline.Builder d = Call.Decline.newBuilder().addOfferIds(offer);
        if (refuseSeconds >= 0) {
            d.setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds));
        }
        assertThat(run.client().call(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(fid).setDecline(d).build(),
                s.streamId()).statusCode()).isEqualTo(202);
    }

    private void call(SchedulerTestClient.Subscription s, FrameworkID fid, Call.Type type) {
        assertThat(run.client().call(Call.newBuilder().setType(type).setFrameworkId(fid).build(), s.streamId()).statusCode())
                .isEqualTo(202);
    }

    private void ack(SchedulerTestClient.Subscription s, FrameworkID fid, TaskStatus st) {
        Call ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(fid)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(st.getAgentId()).setTaskId(st.getTaskId())
                        .setUuid(st.getUuid())).build();
        assertThat(run.client().call(ack, s.streamId()).statusCode()).isEqualTo(202);
    }

    private static TaskStatus nextUpdate(SchedulerTestClient.Subscription s, String taskId, Duration timeout) {
        return s.next(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId), timeout).getUpdate().getStatus();
    }

    /** Acknowledges the task's updates until it reaches {@code state}; answers that update. */
    private TaskStatus ackUntil(SchedulerTestClient.Subscription s, FrameworkID fid, String taskId, TaskState state) {
        while (true) {
            TaskStatus st = nextUpdate(s, taskId, WAIT);
            if (st.hasUuid()) {
                ack(s, fid, st);
            }
            if (st.getState() == state) {
                return st;
            }
        }
    }

    /** Waits until the framework holds an offer (the client may have skipped its event). */
    private Offer heldOffer() {
        try {
            Await.until("an outstanding offer", WAIT, () -> !run.master().outstandingOffers().isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return run.master().outstandingOffers().get(0);
    }

    private static void assertNoOffer(SchedulerTestClient.Subscription s, Duration within) {
        assertThatThrownBy(() -> s.next(Event.Type.OFFERS, within)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no matching event");
    }

    /** A recorded event, decoded. */
    private static Event recordedEvent(String file, int seq) {
        JsonNode line = MesosRecordings.lines(file).stream().filter(l -> l.path("seq").asInt() == seq).findFirst()
                .orElseThrow();
        try {
            return Event.parseFrom(Base64.getDecoder().decode(line.path("pb_base64").asText()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(file + " seq " + seq + " is not an Event", e);
        }
    }

    /** The milliseconds between two recorded lines. */
    private static long recordedGapMs(String file, int fromSeq, int toSeq) {
        Map<Integer, Long> ms = new TreeMap<>();
        MesosRecordings.lines(file).forEach(l -> ms.put(l.path("seq").asInt(), l.path("ms").asLong()));
        return ms.get(toSeq) - ms.get(fromSeq);
    }

    /**
     * What a status update is made of: which fields are set, and the values that are the same
     * on every master (state, reason, message, source); ids, times and uuids vary.
     */
    private static Map<String, String> shape(TaskStatus s) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<FieldDescriptor, Object> f : s.getAllFields().entrySet()) {
            String name = f.getKey().getName();
            boolean stable = name.equals("state") || name.equals("reason") || name.equals("message")
                    || name.equals("source");
            out.put(name, stable ? String.valueOf(f.getValue()) : "set");
        }
        return out;
    }

    /** Subscribes, launches one task with a script that never ends, acknowledges up to RUNNING. */
    private record Running(SchedulerTestClient.Subscription s, FrameworkID fid, Offer offer) {
    }

    private Running runForever(String taskId, FrameworkInfo.Capability.Type... capabilities) {
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("habits", capabilities));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        accept(s, fid, offer, 0, task(taskId, offer, 0.1));
        ackUntil(s, fid, taskId, TaskState.TASK_RUNNING);
        return new Running(s, fid, offer);
    }

    // ------------------------------------------------------------------------------------------
    // one test per row

    @Test
    void allocationInterval() {
        // Recorded: a 0 s DECLINE came back after one allocation interval (1 s).
        assertThat(recordedGapMs("refuse-superset.jsonl", 18, 19)).isBetween(1000L, 1100L);
        long interval = 500;
        run.start(every(interval), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("interval"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        decline(s, fid, offer.getId(), 0);
        List<Instant> ticks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            offer = nextOffer(s, WAIT);
            ticks.add(sentAt(offer));
            decline(s, fid, offer.getId(), 0);
        }
        // Offers after a 0 s DECLINE land on the next allocation tick: one interval apart (a tick
        // that fires late makes the gap before it longer and the one after it shorter).
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(ms(ticks.get(i - 1), ticks.get(i))).isBetween(interval - SLACK_MS, interval + SLACK_MS);
        }
    }

    @Test
    void allocationPhaseMovedBySubscribe() {
        // The master's own ticks are 10 s apart, starting now: without the move, the offer declined
        // below would come back about 10 s after SUBSCRIBE.
        run.start(every(10_000), 1);
        run.master().phaseAllocationsAfterNextSubscribe(Duration.ofMillis(400));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("phase"));
        FrameworkID fid = s.frameworkId(WAIT);
        Instant subscribed = sentAt(Event.Type.SUBSCRIBED, Instant.EPOCH);
        decline(s, fid, nextOffer(s, WAIT).getId(), 0);
        Offer again = nextOffer(s, WAIT);
        assertThat(ms(subscribed, sentAt(again))).isBetween(350L, 5_000L);
        assertThatThrownBy(() -> run.master().phaseAllocationsAfterNextSubscribe(Duration.ofSeconds(10)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstOffersAtSubscribe() {
        run.start(every(10_000), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("first"));
        List<Event.Type> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(s.next(e -> true, Duration.ofSeconds(2)).getType());
        }
        // Within 2 s although the next periodic allocation is 10 s away.
        assertThat(first).containsExactly(Event.Type.SUBSCRIBED, Event.Type.HEARTBEAT, Event.Type.OFFERS);
    }

    @Test
    void freedResourcesAtNextAllocation() {
        long interval = 1000;
        run.start(every(interval).stepDelay(Duration.ofMillis(5))
                .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(interval / 2))), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("freed"));
        FrameworkID fid = s.frameworkId(WAIT);
        decline(s, fid, nextOffer(s, WAIT).getId(), 0);
        Offer onTick = nextOffer(s, WAIT);
        Instant tick = sentAt(onTick);
        // Launched just after a tick, the task ends in the middle of the interval.
        accept(s, fid, onTick, 60, task("freed-1", onTick, 1));
        ackUntil(s, fid, "freed-1", TaskState.TASK_FINISHED);
        Instant finished = sentAt(TaskState.TASK_FINISHED);
        Offer freed = nextOffer(s, WAIT);
        Instant offered = sentAt(freed);
        assertThat(cpus(freed)).isEqualTo(2.0);
        // Not at once (that would be within a few ms): at the next tick, a whole number of intervals
        // after the earlier one.
        assertThat(ms(finished, offered)).isGreaterThanOrEqualTo(20);
        long sinceTick = ms(tick, offered) % interval;
        assertThat(Math.min(sinceTick, interval - sinceTick)).isLessThanOrEqualTo(SLACK_MS / 2);
    }

    @Test
    void refuseFilterHoldsOnlyWhatItContains() {
        // Recorded: after a partial ACCEPT with a 60 s filter, the whole agent (freed plus refused)
        // came back 31 ms after TASK_FINISHED.
        assertThat(recordedGapMs("refuse-superset.jsonl", 10, 13)).isLessThan(1000);
        assertThat(cpus(offerIn(recordedEvent("refuse-superset.jsonl", 13)))).isEqualTo(2.0);
        run.start(every(100).stepDelay(Duration.ofMillis(5)).behaviours(t -> TaskBehaviour.runForever()), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("superset"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        accept(s, fid, offer, 60, task("superset-1", offer, 0.5));
        ackUntil(s, fid, "superset-1", TaskState.TASK_RUNNING);
        // The rest is what was refused: held back for as long as nothing is freed.
        assertNoOffer(s, Duration.ofMillis(800));
        run.master().completeTask("superset-1", 0);
        ackUntil(s, fid, "superset-1", TaskState.TASK_FINISHED);
        Offer back = nextOffer(s, WAIT);
        assertThat(cpus(back)).isEqualTo(2.0);
    }

    @Test
    void declineFilterExpiresThenNextAllocation() {
        // Recorded: DECLINE with 4 s, next offer 4019 ms later.
        assertThat(recordedGapMs("refuse-superset.jsonl", 15, 16)).isBetween(4000L, 5000L);
        long interval = 200;
        run.start(every(interval), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("expiry"));
        FrameworkID fid = s.frameworkId(WAIT);
        decline(s, fid, nextOffer(s, WAIT).getId(), 0.8);
        Instant declined = lastCallAt(Call.Type.DECLINE);
        Offer next = nextOffer(s, WAIT);
        assertThat(ms(declined, sentAt(next))).isBetween(770L, 800 + interval + SLACK_MS);

        // A filter shorter than the allocation interval still lasts one interval.
        // run.start closes the first master and its subscription
        long longInterval = 600;
        run.start(every(longInterval), 1);
        s = run.subscribe(SchedulerTestClient.framework("expiry-short"));
        fid = s.frameworkId(WAIT);
        decline(s, fid, nextOffer(s, WAIT).getId(), 0.05);
        declined = lastCallAt(Call.Type.DECLINE);
        next = nextOffer(s, WAIT);
        assertThat(ms(declined, sentAt(next))).isGreaterThanOrEqualTo(longInterval - 50);
    }

    @Test
    void defaultRefuseSecondsIsFive() {
        run.start(every(100), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("default-filter"));
        FrameworkID fid = s.frameworkId(WAIT);
        decline(s, fid, nextOffer(s, WAIT).getId(), -1);
        Instant declined = lastCallAt(Call.Type.DECLINE);
        Offer next = nextOffer(s, Duration.ofSeconds(8));
        assertThat(ms(declined, sentAt(next))).isBetween(4970L, 5000 + 100 + SLACK_MS);
    }

    @Test
    void filtersOnOneAgentExpireEachOnItsOwn() {
        run.start(every(100).stepDelay(Duration.ofMillis(5)).behaviours(t -> TaskBehaviour.runForever()), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("two-filters"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        accept(s, fid, offer, 3, task("long-1", offer, 1));
        Instant longFilter = lastCallAt(Call.Type.ACCEPT);
        ackUntil(s, fid, "long-1", TaskState.TASK_RUNNING);
        run.master().completeTask("long-1", 0);
        ackUntil(s, fid, "long-1", TaskState.TASK_FINISHED);
        // The whole agent is not inside the 3 s filter: offered, and a second task refuses the same
        // rest for only 0.2 s.
        Offer whole = nextOffer(s, WAIT);
        accept(s, fid, whole, 0.2, task("short-1", whole, 1));
        ackUntil(s, fid, "short-1", TaskState.TASK_RUNNING);
        // The rest stays held by the 3 s filter after the 0.2 s one expired.
        Offer rest = nextOffer(s, WAIT);
        assertThat(ms(longFilter, sentAt(rest))).isGreaterThanOrEqualTo(2970);
        assertThat(cpus(rest)).isEqualTo(1.0);
    }

    @Test
    void suppressStopsReviveClearsFiltersAndOffers() {
        // Recorded: an offer 23 ms after REVIVE.
        assertThat(MesosRecordings.lines("decline-suppress-revive.jsonl")).isNotEmpty();
        run.start(every(2_000), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("suppress"));
        FrameworkID fid = s.frameworkId(WAIT);
        decline(s, fid, nextOffer(s, WAIT).getId(), 0);
        call(s, fid, Call.Type.SUPPRESS);
        assertNoOffer(s, Duration.ofMillis(4_500));
        decline(s, fid, OfferID.newBuilder().setValue("none").build(), 60);
        call(s, fid, Call.Type.REVIVE);
        Instant revived = lastCallAt(Call.Type.REVIVE);
        Offer next = nextOffer(s, WAIT);
        assertThat(ms(revived, sentAt(next))).isLessThan(500);
    }

    @Test
    void offerTimeoutRescindsAndReoffersAtNextAllocation() {
        // Recorded (offer_timeout 5 s): RESCIND 4788 ms after the offer arrived, a new offer 349 ms later.
        assertThat(recordedGapMs("rescind.jsonl", 4, 5)).isBetween(4500L, 5000L);
        assertThat(recordedGapMs("rescind.jsonl", 5, 7)).isBetween(1L, 1000L);
        long interval = 400;
        long timeout = 600;
        run.start(every(interval).offerTimeout(Duration.ofMillis(timeout)), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("timeout"));
        FrameworkID fid = s.frameworkId(WAIT);
        decline(s, fid, nextOffer(s, WAIT).getId(), 0);
        Offer held = nextOffer(s, WAIT);
        Instant offered = sentAt(held);
        assertThat(s.next(Event.Type.RESCIND, WAIT).getRescind().getOfferId()).isEqualTo(held.getId());
        Instant rescinded = sentAt(Event.Type.RESCIND, offered);
        // The timer starts when the offer is made, a little before the event is written.
        assertThat(ms(offered, rescinded)).isBetween(timeout - 50, timeout + SLACK_MS);
        // Half an interval after the RESCIND: the next tick, not the same moment.
        Offer again = nextOffer(s, WAIT);
        assertThat(ms(rescinded, sentAt(again))).isGreaterThanOrEqualTo(interval / 4);
    }

    @Test
    void lostAgentsOffersRescindedAtOnce() {
        assertThat(recordedGapMs("agent-lost.jsonl", 11, 12)).isLessThan(200);
        run.start(every(100).stepDelay(Duration.ofMillis(5)).behaviours(t -> TaskBehaviour.runForever()), 1);
        Running r = runForever("al-sleep", FrameworkInfo.Capability.Type.PARTITION_AWARE);
        Offer held = heldOffer();
        Instant removed = Instant.now();
        run.master().removeAgent(held.getAgentId().getValue());
        assertThat(r.s.next(Event.Type.RESCIND, WAIT).getRescind().getOfferId()).isEqualTo(held.getId());
        assertThat(ms(removed, sentAt(Event.Type.RESCIND, removed))).isLessThan(100);
    }

    @Test
    void unreachableAgentPartitionAware() {
        unreachableLikeTheRecording("agent-lost.jsonl", FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    @Test
    void unreachableAgentNotPartitionAware() {
        unreachableLikeTheRecording("agent-lost-non-pa.jsonl");
    }

    /** The agent goes away: the update and FAILURE look as recorded (seq 13, 14 in both files). */
    private void unreachableLikeTheRecording(String file, FrameworkInfo.Capability.Type... capabilities) {
        TaskStatus recorded = recordedEvent(file, 13).getUpdate().getStatus();
        Event recordedFailure = recordedEvent(file, 14);
        run.start(every(100).stepDelay(Duration.ofMillis(5)).agentRemovalDelay(Duration.ofMillis(100))
                .behaviours(t -> TaskBehaviour.runForever()), 1);
        Running r = runForever("al-sleep", capabilities);
        run.master().removeAgent(r.offer.getAgentId().getValue());
        TaskStatus lost = nextUpdate(r.s, "al-sleep", WAIT);
        assertThat(shape(lost)).isEqualTo(shape(recorded));
        Event failure = r.s.next(Event.Type.FAILURE, WAIT);
        assertThat(failure.getFailure().getAllFields().keySet()).extracting(FieldDescriptor::getName)
                .containsExactlyElementsOf(recordedFailure.getFailure().getAllFields().keySet().stream()
                        .map(FieldDescriptor::getName).toList());
        assertThat(failure.getFailure().getAgentId()).isEqualTo(r.offer.getAgentId());
    }

    @Test
    void reregisteredAgentsTasksRunningAgain() {
        for (String file : List.of("agent-lost.jsonl", "agent-lost-non-pa.jsonl")) {
            assertThat(recordedGapMs(file, 18, 19)).isLessThan(100);
        }
        TaskStatus recorded = recordedEvent("agent-lost-non-pa.jsonl", 18).getUpdate().getStatus();
        run.start(every(5_000).stepDelay(Duration.ofMillis(5)).agentRemovalDelay(Duration.ofMillis(100))
                .behaviours(t -> TaskBehaviour.runForever()), 1);
        Running r = runForever("al-sleep");
        String agent = r.offer.getAgentId().getValue();
        run.master().removeAgent(agent);
        assertThat(nextUpdate(r.s, "al-sleep", WAIT).getState()).isEqualTo(TaskState.TASK_LOST);
        Instant back = Instant.now();
        run.master().reAddAgent(agent);
        TaskStatus running = nextUpdate(r.s, "al-sleep", WAIT);
        assertThat(shape(running)).isEqualTo(shape(recorded));
        // Offers at once, not at the next periodic allocation 5 s away.
        assertThat(ms(back, sentAt(nextOffer(r.s, WAIT)))).isBetween(0L, 500L);
    }

    @Test
    void tasksPauseWhileTheirAgentIsUnreachable() {
        run.start(every(100).stepDelay(Duration.ofMillis(200)).agentRemovalDelay(Duration.ofMillis(50))
                .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(100))), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("pause",
                FrameworkInfo.Capability.Type.PARTITION_AWARE));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        accept(s, fid, offer, 0, task("pause-1", offer, 0.1));
        // Gone before its executor said anything: nothing from it until the agent is back.
        run.master().removeAgent(offer.getAgentId().getValue());
        assertThat(nextUpdate(s, "pause-1", WAIT).getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
        assertThatThrownBy(() -> nextUpdate(s, "pause-1", Duration.ofMillis(1000)))
                .isInstanceOf(AssertionError.class);
        run.master().reAddAgent(offer.getAgentId().getValue());
        assertThat(ackUntil(s, fid, "pause-1", TaskState.TASK_FINISHED).getSource())
                .isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    }

    @Test
    void newAgentOfferedAtOnce() {
        run.start(every(10_000), 0);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("new-agent"));
        s.frameworkId(WAIT);
        FakeAgent agent = run.master().addAgent(AgentSpec.standard());
        Offer offer = nextOffer(s, Duration.ofSeconds(2));
        assertThat(offer.getAgentId().getValue()).isEqualTo(agent.agentId());
    }

    @Test
    void oneOfferPerAgentInOneEvent() {
        Offer recorded = offerIn(recordedEvent("happy.jsonl", 5));
        assertThat(cpus(recorded)).isEqualTo(2.0);
        run.start(every(100), 3);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("three"));
        s.frameworkId(WAIT);
        Event offers = s.next(Event.Type.OFFERS, WAIT);
        assertThat(offers.getOffers().getOffersList()).hasSize(3)
                .allSatisfy(o -> assertThat(cpus(o)).isEqualTo(cpus(recorded)))
                .extracting(o -> o.getAgentId().getValue()).doesNotHaveDuplicates();
        assertThat(offers.getOffers().getOffers(0).getResourcesList()).extracting(Resource::getName)
                .containsExactlyInAnyOrderElementsOf(recorded.getResourcesList().stream().map(Resource::getName).toList());
    }

    @Test
    void executorTiming() {
        run.start(every(100).stepDelay(Duration.ofMillis(150)).killDelay(Duration.ofMillis(200))
                .behaviours(t -> TaskBehaviour.runForever()), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("timing",
                FrameworkInfo.Capability.Type.PARTITION_AWARE));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        accept(s, fid, offer, 0, task("timing-1", offer, 0.1));
        Instant accepted = lastCallAt(Call.Type.ACCEPT);
        ackUntil(s, fid, "timing-1", TaskState.TASK_STARTING);
        Instant starting = sentAt(Event.Type.UPDATE, accepted);
        ackUntil(s, fid, "timing-1", TaskState.TASK_RUNNING);
        Instant running = sentAt(Event.Type.UPDATE, starting.plusMillis(1));
        // A call is recorded when it is answered, a little after its timers were set: bounds 30 ms short.
        assertThat(ms(accepted, starting)).isGreaterThanOrEqualTo(120);
        assertThat(ms(starting, running)).isGreaterThanOrEqualTo(120);
        assertThat(run.client().call(Call.newBuilder().setType(Call.Type.KILL).setFrameworkId(fid)
                .setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("timing-1"))).build(),
                s.streamId()).statusCode()).isEqualTo(202);
        Instant killCall = lastCallAt(Call.Type.KILL);
        ackUntil(s, fid, "timing-1", TaskState.TASK_KILLED);
        Instant killed = sentAt(TaskState.TASK_KILLED);
        assertThat(ms(killCall, killed)).isGreaterThanOrEqualTo(170);
    }

    @Test
    void nextUpdateAfterAcknowledgementAndRetried() {
        run.start(every(100).stepDelay(Duration.ofMillis(5)).updateRetryInterval(Duration.ofMillis(400))
                .ackGrace(Duration.ofSeconds(10)).behaviours(t -> TaskBehaviour.runForever()), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("acks"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = nextOffer(s, WAIT);
        accept(s, fid, offer, 0, task("acks-1", offer, 0.1));
        TaskStatus starting = nextUpdate(s, "acks-1", WAIT);
        assertThat(starting.getState()).isEqualTo(TaskState.TASK_STARTING);
        // Not acknowledged: the same update again after the retry interval, and nothing newer.
        TaskStatus again = nextUpdate(s, "acks-1", WAIT);
        assertThat(again.getState()).isEqualTo(TaskState.TASK_STARTING);
        assertThat(again.getUuid()).isEqualTo(starting.getUuid());
        List<Instant> sent = run.master().sentEvents().stream().filter(e -> e.event().getType() == Event.Type.UPDATE)
                .map(TestMaster.SentEvent::at).toList();
        assertThat(ms(sent.get(0), sent.get(1))).isGreaterThanOrEqualTo(395);
        ack(s, fid, again);
        assertThat(nextUpdate(s, "acks-1", WAIT).getState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void failoverRemovesOffersWithoutRescind() {
        List<Event.Type> recordedStream2 = MesosRecordings.lines("failover.jsonl").stream()
                .filter(l -> l.path("dir").asText().equals("event") && l.path("sub").asInt() == 2)
                .map(l -> Event.Type.valueOf(l.path("json").path("type").asText())).toList();
        assertThat(recordedStream2).contains(Event.Type.OFFERS).doesNotContain(Event.Type.RESCIND)
                .endsWith(Event.Type.ERROR);
        run.start(every(100), 1);
        FrameworkInfo info = SchedulerTestClient.framework("failover");
        SchedulerTestClient.Subscription first = run.subscribe(info);
        FrameworkID fid = first.frameworkId(WAIT);
        Offer held = nextOffer(first, WAIT);
        SchedulerTestClient.Subscription second = run.subscribe(info.toBuilder().setId(fid).build());
        assertThat(second.frameworkId(WAIT)).isEqualTo(fid);
        List<Event.Type> rest = new ArrayList<>();
        while (true) {
            Event e = first.next(x -> true, WAIT);
            rest.add(e.getType());
            if (e.getType() == Event.Type.ERROR) {
                assertThat(e.getError().getMessage()).isEqualTo("Framework failed over");
                break;
            }
        }
        assertThat(rest).doesNotContain(Event.Type.RESCIND);
        Offer fresh = nextOffer(second, WAIT);
        assertThat(fresh.getId()).isNotEqualTo(held.getId());
        assertThat(cpus(fresh)).isEqualTo(2.0);
    }

    /** A call carrying {@code s}'s stream id, as a client whose call was already in flight sends it. */
    private java.net.http.HttpResponse<String> callOn(SchedulerTestClient.Subscription s, FrameworkID fid, Call.Type type) {
        return run.client().call(Call.newBuilder().setType(type).setFrameworkId(fid).build(), s.streamId());
    }

    /** Lets more than {@code grace} pass: what is being tested is time gone by, not a condition. */
    private static void outlast(Duration grace) throws InterruptedException {
        Thread.sleep(grace.toMillis() * 3);
    }

    @Test
    void callOnAStreamTheMasterEndedIsARaceWithinTheGrace() throws InterruptedException {
        run.start(every(1000).raceGrace(Duration.ofSeconds(10)), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("race"));
        FrameworkID fid = s.frameworkId(WAIT);
        run.master().dropStream();
        var dropped = callOn(s, fid, Call.Type.SUPPRESS);
        assertThat(dropped.statusCode()).isEqualTo(403);
        assertThat(dropped.body()).isEqualTo("Framework is not subscribed");
        // A new stream: the old id now gets the recorded 400 text, still a race within the grace.
        SchedulerTestClient.Subscription again = run.subscribe(SchedulerTestClient.framework("race").toBuilder().setId(fid).build());
        assertThat(again.frameworkId(WAIT)).isEqualTo(fid);
        var stale = callOn(s, fid, Call.Type.REVIVE);
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(stale.body()).isEqualTo("The stream ID '" + s.streamId() + "' included in this request didn't match"
                + " the stream ID currently associated with framework ID " + fid.getValue());
        assertThat(run.master().violations()).isEmpty();
        assertThat(run.master().races()).extracting(Race::kind).containsExactly("STALE_STREAM_IN_FLIGHT", "STALE_STREAM_IN_FLIGHT");
    }

    @Test
    void callOnAStreamTheMasterEndedIsAViolationAfterTheGrace() throws InterruptedException {
        Duration grace = Duration.ofMillis(50);
        run.start(every(1000).raceGrace(grace), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("late"));
        FrameworkID fid = s.frameworkId(WAIT);
        run.master().dropStream();
        outlast(grace);
        assertThat(callOn(s, fid, Call.Type.SUPPRESS).statusCode()).isEqualTo(403);
        assertThat(run.master().races()).isEmpty();
        assertThat(run.master().violations()).extracting(Violation::kind).containsExactly("HTTP_403");
    }

    @Test
    void callOnAStreamTheMasterNeverEndedIsAViolation() {
        run.start(every(1000).raceGrace(Duration.ofSeconds(10)), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("made-up"));
        FrameworkID fid = s.frameworkId(WAIT);
        var wrong = run.client().call(Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fid).build(),
                java.util.UUID.randomUUID().toString());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(run.master().races()).isEmpty();
        assertThat(run.master().violations()).extracting(Violation::kind).containsExactly("HTTP_400");
    }

    @Test
    void offerSentJustBeforeTeardownIsARace() {
        run.start(every(1000).raceGrace(Duration.ofSeconds(10)), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("young-offer"));
        FrameworkID fid = s.frameworkId(WAIT);
        nextOffer(s, WAIT);
        call(s, fid, Call.Type.TEARDOWN);
        assertThat(run.master().violations()).isEmpty();
        assertThat(run.master().races()).extracting(Race::kind).containsExactly("OFFER_SENT_AT_TEARDOWN");
    }

    @Test
    void offerHeldLongerThanTheGraceAtTeardownIsAViolation() throws InterruptedException {
        Duration grace = Duration.ofMillis(50);
        run.start(every(1000).raceGrace(grace), 1);
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("old-offer"));
        FrameworkID fid = s.frameworkId(WAIT);
        nextOffer(s, WAIT);
        outlast(grace);
        call(s, fid, Call.Type.TEARDOWN);
        assertThat(run.master().races()).isEmpty();
        assertThat(run.master().violations()).extracting(Violation::kind).containsExactly("OFFER_HELD_AT_TEARDOWN");
    }
}
