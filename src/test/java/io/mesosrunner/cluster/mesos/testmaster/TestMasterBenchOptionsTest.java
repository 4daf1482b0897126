package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The options that let benchmarks run thousands of agents: no files servers, whole-agent refuse filters. */
@Timeout(30)
class TestMasterBenchOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final TestMasterRun run = new TestMasterRun();

    private SchedulerTestClient.Subscription subscribe() {
        return run.subscribe(SchedulerTestClient.framework("bench-options"));
    }

    private static double cpus(Offer offer) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals("cpus"))
                .mapToDouble(r -> r.getScalar().getValue()).sum();
    }

    /** Launches one 1-cpu task on the offer and refuses the rest for a minute. */
    private void launchOneRefusingTheRest(SchedulerTestClient.Subscription s, FrameworkID fid, Offer offer) {
        Resource cpu = offer.getResourcesList().stream().filter(r -> r.getName().equals("cpus")).findFirst()
                .orElseThrow().toBuilder().setScalar(Value.Scalar.newBuilder().setValue(1)).build();
        TaskInfo task = TaskInfo.newBuilder().setName("t1").setTaskId(TaskID.newBuilder().setValue("t1"))
                .setAgentId(offer.getAgentId()).addResources(cpu)
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("true")).build();
        Offer.Operation.Builder op = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH);
        op.getLaunchBuilder().addTaskInfos(task);
        Call accept = Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(fid)
                .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(op)
                        .setFilters(Filters.newBuilder().setRefuseSeconds(60))).build();
        assertThat(run.client().call(accept, s.streamId()).statusCode()).isEqualTo(202);
    }

    private TestMaster.Builder builder() {
        return TestMaster.builder().allocationInterval(Duration.ofMillis(50)).stepDelay(Duration.ofMillis(5))
                .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(100)));
    }

    @Test
    void agentsWithoutFilesServerBindNoPortAndAreStillOffered() {
        run.start(builder().agentFilesServers(false), 0);
        FakeAgent agent = run.master().addAgent(AgentSpec.standard());
        assertThat(agent.port()).isZero();
        Offer offer = subscribe().next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(offer.getAgentId().getValue()).isEqualTo(agent.agentId());
        assertThat(offer.getUrl().getAddress().getPort()).isZero();
        assertThat(cpus(offer)).isEqualTo(2.0);
    }

    @Test
    void byDefaultResourcesFreedByAnEndedTaskAreOfferedBeforeTheFilterExpires() {
        run.start(builder(), 0);
        run.master().addAgent(AgentSpec.standard());
        SchedulerTestClient.Subscription s = subscribe();
        FrameworkID fid = s.frameworkId(WAIT);
        Offer first = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        launchOneRefusingTheRest(s, fid, first);

        Offer next = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        assertThat(run.master().finishedTaskIds()).containsExactly("t1");
        assertThat(cpus(next)).isEqualTo(2.0);
    }

    @Test
    void wholeAgentFiltersHoldBackTheWholeAgentUntilTheyExpire() {
        run.start(builder().resourceRefuseFilters(false), 0);
        run.master().addAgent(AgentSpec.standard());
        SchedulerTestClient.Subscription s = subscribe();
        FrameworkID fid = s.frameworkId(WAIT);
        Offer first = s.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
        launchOneRefusingTheRest(s, fid, first);

        assertThatThrownBy(() -> s.next(Event.Type.OFFERS, Duration.ofSeconds(1))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no matching event");
        assertThat(run.master().finishedTaskIds()).containsExactly("t1");
    }
}
