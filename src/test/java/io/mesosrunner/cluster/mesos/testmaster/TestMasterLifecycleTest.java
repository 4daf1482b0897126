package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.testing.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
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

/** Launches, failures, failover and fault injection, driven with raw protobuf calls. */
@Timeout(30)
class TestMasterLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final TestMasterRun run = new TestMasterRun();

    /** A master allocating every 50 ms with one standard agent. */
    private void start(TestMaster.Builder builder) {
        run.start(builder.allocationInterval(Duration.ofMillis(50)), 1);
    }

    private static Resource scalar(Offer offer, String name, double value) {
        Resource r = offer.getResourcesList().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        return r.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static TaskInfo task(String id, Offer offer, double cpus, String command) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
                .addResources(scalar(offer, "cpus", cpus)).addResources(scalar(offer, "mem", 32))
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command)).build();
    }

    private static Call accept(FrameworkID fid, Offer offer, TaskInfo... tasks) {
        Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH);
        op.getLaunchBuilder().addAllTaskInfos(List.of(tasks));
        return Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(fid)
                .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(op)).build();
    }

    private void ack(SchedulerTestClient.Subscription s, FrameworkID fid, TaskStatus st) {
        Call ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(fid)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(st.getAgentId()).setTaskId(st.getTaskId())
                        .setUuid(st.getUuid())).build();
        assertThat(run.client().call(ack, s.streamId()).statusCode()).isEqualTo(202);
    }

    private TaskStatus nextUpdate(SchedulerTestClient.Subscription s, String taskId) {
        return s.next(e -> e.getType() == Event.Type.UPDATE && e.getUpdate().getStatus().getTaskId().getValue().equals(taskId),
                WAIT).getUpdate().getStatus();
    }

    private void teardown(SchedulerTestClient.Subscription s, FrameworkID fid) {
        assertThat(run.client().call(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(fid).build(), s.streamId())
                .statusCode()).isEqualTo(202);
    }

    @Test
    void happyLaunchGoesStartingRunningFinishedWithUuidsAndLeavesNoViolation() throws Exception {
        start(TestMaster.builder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(50))
                .withStdout("hello world").withStderr("to-stderr")));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("happy"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(run.client().call(accept(fid, offer, task("happy-1", offer, 0.1, "echo hello world")), s.streamId()).statusCode())
                .isEqualTo(202);
        List<TaskState> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TaskStatus st = nextUpdate(s, "happy-1");
            assertThat(st.getUuid().size()).isEqualTo(16);
            assertThat(st.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            assertThat(st.getExecutorId().getValue()).isEqualTo("happy-1");
            assertThat(st.hasContainerStatus()).isTrue();
            assertThat(st.hasReason()).isFalse();
            states.add(st.getState());
            if (st.getState() == TaskState.TASK_FINISHED) {
                assertThat(st.getMessage()).isEqualTo("Command exited with status 0");
            }
            ack(s, fid, st);
        }
        assertThat(states).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        assertThat(run.master().finishedCounts()).containsEntry("happy-1", 1);
        assertThat(run.master().launchedTasks()).extracting(t -> t.getTaskId().getValue()).containsExactly("happy-1");

        FakeAgent agent = run.master().agents().get(0);
        String stdout = "/frameworks/" + fid.getValue() + "/executors/happy-1/runs/latest/stdout";
        assertThat(get(agent, "/files/read?path=" + stdout + "&offset=0&length=65536").body())
                .isEqualTo("{\"data\":\"hello world\\n\",\"offset\":0}");
        assertThat(get(agent, "/files/read?path=" + stdout + "&offset=-1").body()).isEqualTo("{\"data\":\"\",\"offset\":12}");
        assertThat(get(agent, "/files/read?path=" + stdout).body()).isEqualTo("{\"data\":\"\",\"offset\":12}");
        assertThat(get(agent, "/files/read?path=" + stdout + "&offset=6&length=5").body())
                .isEqualTo("{\"data\":\"world\",\"offset\":6}");
        assertThat(get(agent, "/files/read?path=" + stdout.replace("stdout", "nope") + "&offset=0").statusCode()).isEqualTo(404);
        assertThat(agent.file(stdout.replace("stdout", "stderr")).orElseThrow())
                .contains("exec.cpp:164] Version: 1.12.0", "Starting task happy-1", "to-stderr",
                        "Command exited with status 0");
        assertThat(offer.getUrl().getAddress().getPort()).isEqualTo(agent.port());

        // The freed agent is offered again although the ACCEPT refused the rest for 5 s (the
        // filter holds only what it contains, as in happy.jsonl): a framework declines it.
        for (Offer held : run.master().outstandingOffers()) {
            run.client().call(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(fid)
                    .setDecline(Call.Decline.newBuilder().addOfferIds(held.getId())).build(), s.streamId());
        }
        teardown(s, fid);
        assertThat(run.master().violations()).isEmpty();
    }

    @Test
    void acceptBeyondTheOfferIsTaskErrorAndUsesTheOfferUp() {
        start(TestMaster.builder());
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("errors"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        run.client().call(accept(fid, offer, task("too-big", offer, 102, "true")), s.streamId());
        TaskStatus error = nextUpdate(s, "too-big");
        assertThat(error.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(error.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
        assertThat(error.hasUuid()).isFalse();
        assertThat(error.getMessage()).isEqualTo("Total resources cpus(allocated: *):102; mem(allocated: *):32 required by "
                + "task and its executor is more than available ports(allocated: *):[31000-32000]; cpus(allocated: *):2; "
                + "mem(allocated: *):23081; disk(allocated: *):252899");

        run.client().call(accept(fid, offer, task("reuse", offer, 0.1, "true")), s.streamId());
        TaskStatus lost = nextUpdate(s, "reuse");
        assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
        assertThat(lost.getMessage()).isEqualTo("Task launched with invalid offers: Offer " + offer.getId().getValue()
                + " is no longer valid");
        assertThat(lost.getAgentId()).isEqualTo(offer.getAgentId());
        assertThat(run.master().violations()).extracting(Violation::kind).containsExactly("INVALID_TASK", "INVALID_OFFERS");
    }

    @Test
    void launchesOfOneAcceptAreCheckedAgainstWhatEarlierOnesLeft() {
        start(TestMaster.builder().behaviours(t -> TaskBehaviour.runForever()));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("pa",
                FrameworkInfo.Capability.Type.PARTITION_AWARE));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        run.client().call(accept(fid, offer, task("small", offer, 0.1, "sleep 60"), task("big", offer, 2, "true")), s.streamId());
        TaskStatus big = nextUpdate(s, "big");
        assertThat(big.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(big.getMessage()).contains("cpus(allocated: *):1.9;");
        run.client().call(accept(fid, offer, task("late", offer, 0.1, "true")), s.streamId());
        assertThat(nextUpdate(s, "late").getState()).isEqualTo(TaskState.TASK_DROPPED);
    }

    @Test
    void resourcesWithoutAllocationInfoAreInvalidForMultiRoleFrameworks() {
        start(TestMaster.builder());
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("roles"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        TaskInfo bare = task("bare", offer, 0.1, "true");
        bare = bare.toBuilder().setResources(0, bare.getResources(0).toBuilder().clearAllocationInfo()).build();
        run.client().call(accept(fid, offer, bare), s.streamId());
        TaskStatus st = nextUpdate(s, "bare");
        assertThat(st.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(st.getMessage()).contains("allocation_info");
    }

    @Test
    void heartbeatsArriveAtTheConfiguredInterval() throws Exception {
        start(TestMaster.builder().heartbeatInterval(Duration.ofMillis(200)));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("heartbeat"));
        Event subscribed = s.next(Event.Type.SUBSCRIBED, WAIT);
        assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.2);
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            s.next(Event.Type.HEARTBEAT, WAIT);
            at.add(System.nanoTime());
        }
        for (int i = 2; i < 4; i++) {
            assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1)).toMillis()).isBetween(120L, 400L);
        }
        run.master().stopHeartbeats();
        // What the master wrote before the stop may still be on its way: the client gets all of it first.
        long written = run.master().sentEvents().stream().filter(e -> e.streamId().equals(s.streamId())).count();
        Await.until("the client has every event the master wrote", WAIT, () -> s.arrivals.size() >= written);
        s.events.clear();
        assertThatThrownBy(() -> s.next(Event.Type.HEARTBEAT, Duration.ofMillis(500)))
                .hasMessageContaining("no matching event");
    }

    @Test
    void resubscribeKeepsTheFrameworkIdAndTheOldStreamGetsFailedOver() throws Exception {
        start(TestMaster.builder());
        SchedulerTestClient.Subscription first = run.subscribe(SchedulerTestClient.framework("failover"));
        FrameworkID fid = first.frameworkId(WAIT);
        SchedulerTestClient.Subscription second = run.subscribe(SchedulerTestClient.framework("failover").toBuilder().setId(fid).build());
        assertThat(second.frameworkId(WAIT)).isEqualTo(fid);
        assertThat(second.streamId()).isNotEqualTo(first.streamId());
        assertThat(first.next(Event.Type.ERROR, WAIT).getError().getMessage()).isEqualTo("Framework failed over");
        assertThat(first.awaitEnd(WAIT)).isTrue();
        HttpResponse<String> old = run.client().call(Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fid).build(),
                first.streamId());
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(old.body()).startsWith("The stream ID '" + first.streamId() + "'");
        assertThat(run.master().frameworkInfo().orElseThrow().getId()).isEqualTo(fid);
    }

    @Test
    void killOfARunningTaskGivesKillingThenKilledFromTheExecutor() {
        start(TestMaster.builder().behaviours(t -> TaskBehaviour.runForever()));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("kill",
                FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        run.client().call(accept(fid, offer, task("sleeper", offer, 0.1, "sleep 60")), s.streamId());
        ack(s, fid, nextUpdate(s, "sleeper"));
        ack(s, fid, nextUpdate(s, "sleeper"));
        run.master().awaitTaskState("sleeper", TaskState.TASK_RUNNING, WAIT);
        assertThat(run.master().runningTaskIds()).containsExactly("sleeper");
        run.client().call(Call.newBuilder().setType(Call.Type.KILL).setFrameworkId(fid)
                .setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("sleeper"))).build(), s.streamId());
        TaskStatus killing = nextUpdate(s, "sleeper");
        assertThat(killing.getState()).isEqualTo(TaskState.TASK_KILLING);
        ack(s, fid, killing);
        TaskStatus killed = nextUpdate(s, "sleeper");
        assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Terminated");
        assertThat(killed.getUuid().size()).isEqualTo(16);
        ack(s, fid, killed);
        assertThat(run.master().unacknowledgedUpdates()).isEmpty();
    }

    @Test
    void nextExecutorUpdateWaitsForTheAcknowledgementAndIsResent() throws Exception {
        start(TestMaster.builder().updateRetryInterval(Duration.ofMillis(300)).ackGrace(Duration.ofMillis(100)));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("acks"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        run.client().call(accept(fid, offer, task("t1", offer, 0.1, "true")), s.streamId());
        TaskStatus starting = nextUpdate(s, "t1");
        TaskStatus again = nextUpdate(s, "t1");
        assertThat(again.getState()).isEqualTo(TaskState.TASK_STARTING);
        assertThat(again.getUuid()).isEqualTo(starting.getUuid());
        assertThat(run.master().unacknowledgedUpdates()).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_STARTING);
        assertThat(run.master().violations()).extracting(Violation::kind).contains("UNACKNOWLEDGED_UPDATE");
        ack(s, fid, starting);
        assertThat(nextUpdate(s, "t1").getState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void reconciliationFollowsTheRecordedTable() {
        start(TestMaster.builder().behaviours(t -> TaskBehaviour.runForever()));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("reconcile"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        run.client().call(accept(fid, offer, task("kr-sleep", offer, 0.1, "sleep 60")), s.streamId());
        ack(s, fid, nextUpdate(s, "kr-sleep"));
        ack(s, fid, nextUpdate(s, "kr-sleep"));
        Call.Reconcile.Builder r = Call.Reconcile.newBuilder();
        r.addTasksBuilder().setTaskId(TaskID.newBuilder().setValue("kr-sleep")).setAgentId(offer.getAgentId());
        r.addTasksBuilder().setTaskId(TaskID.newBuilder().setValue("kr-unknown"));
        r.addTasksBuilder().setTaskId(TaskID.newBuilder().setValue("kr-unknown-on-agent")).setAgentId(offer.getAgentId());
        run.client().call(Call.newBuilder().setType(Call.Type.RECONCILE).setFrameworkId(fid).setReconcile(r).build(), s.streamId());
        TaskStatus known = nextUpdate(s, "kr-sleep");
        assertThat(known.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(known.getMessage()).isEqualTo("Reconciliation: Latest task state");
        assertThat(known.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        assertThat(known.hasUuid()).isFalse();
        TaskStatus unknown = nextUpdate(s, "kr-unknown");
        assertThat(unknown.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(unknown.getMessage()).isEqualTo("Reconciliation: Task is unknown");
        assertThat(unknown.hasAgentId()).isFalse();
        assertThat(nextUpdate(s, "kr-unknown-on-agent").getMessage()).isEqualTo("Reconciliation: Task is unknown to the agent");
    }

    @Test
    void removedAgentTurnsTasksLostThenRunningAgainWhenItReturns() {
        start(TestMaster.builder().behaviours(t -> TaskBehaviour.runForever()));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("agent-lost"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        run.client().call(accept(fid, offer, task("al-sleep", offer, 0.1, "sleep 300")), s.streamId());
        ack(s, fid, nextUpdate(s, "al-sleep"));
        ack(s, fid, nextUpdate(s, "al-sleep"));
        Offer held = s.next(Event.Type.OFFERS, Duration.ofSeconds(8)).getOffers().getOffers(0);
        run.master().removeAgent(offer.getAgentId().getValue());
        assertThat(s.next(Event.Type.RESCIND, WAIT).getRescind().getOfferId()).isEqualTo(held.getId());
        TaskStatus lost = nextUpdate(s, "al-sleep");
        assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
        assertThat(lost.getMessage()).isEqualTo("health check timed out");
        assertThat(s.next(Event.Type.FAILURE, WAIT).getFailure().getAgentId()).isEqualTo(offer.getAgentId());
        run.master().reAddAgent(offer.getAgentId().getValue());
        TaskStatus back = nextUpdate(s, "al-sleep");
        assertThat(back.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(back.getReason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REREGISTERED);
        assertThat(back.getMessage()).isEqualTo("Unreachable agent re-reregistered");
        assertThat(back.hasUuid()).isFalse();
    }

    @Test
    void offerTimeoutRescindsHeldOffers() {
        start(TestMaster.builder().offerTimeout(Duration.ofMillis(200)));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("rescind"));
        s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(s.next(Event.Type.RESCIND, WAIT).getRescind().getOfferId()).isEqualTo(offer.getId());
        assertThat(s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0).getId()).isNotEqualTo(offer.getId());
    }

    @Test
    void declineFiltersSuppressStopsAndReviveRestartsOffers() throws Exception {
        start(TestMaster.builder());
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("dsr"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        long declined = System.nanoTime();
        run.client().call(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(fid).setDecline(Call.Decline.newBuilder()
                .addOfferIds(offer.getId()).setFilters(org.apache.mesos.v1.Protos.Filters.newBuilder().setRefuseSeconds(0.4)))
                .build(), s.streamId());
        Offer next = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(Duration.ofNanos(System.nanoTime() - declined).toMillis()).isGreaterThanOrEqualTo(350);
        run.client().call(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(fid).setDecline(Call.Decline.newBuilder()
                .addOfferIds(next.getId())).build(), s.streamId());
        run.client().call(Call.newBuilder().setType(Call.Type.SUPPRESS).setFrameworkId(fid).build(), s.streamId());
        run.client().call(Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(fid).build(), s.streamId());
        s.next(Event.Type.OFFERS, Duration.ofSeconds(1));
        assertThat(run.master().violations()).isEmpty();
    }

    @Test
    void teardownWithHeldOfferAndUnackedUpdateIsAViolation() throws InterruptedException {
        start(TestMaster.builder().raceGrace(Duration.ofMillis(50)));
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("sloppy"));
        FrameworkID fid = s.frameworkId(WAIT);
        Offer offer = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        Thread.sleep(150); // held longer than the race grace: time gone by is what is tested
        teardown(s, fid);
        assertThat(run.master().violations()).extracting(Violation::kind).containsExactly("OFFER_HELD_AT_TEARDOWN");
        assertThat(run.master().violations().get(0).detail()).contains(offer.getId().getValue());
    }

    @Test
    void closeEndsOpenStreams() throws Exception {
        start(TestMaster.builder());
        SchedulerTestClient.Subscription s = run.subscribe(SchedulerTestClient.framework("close"));
        s.frameworkId(WAIT);
        run.master().close();
        assertThat(s.awaitEnd(WAIT)).isTrue();
    }

    private static HttpResponse<String> get(FakeAgent agent, String pathAndQuery) throws Exception {
        return SchedulerTestClient.HTTP.send(HttpRequest.newBuilder(agent.uri().resolve(pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
