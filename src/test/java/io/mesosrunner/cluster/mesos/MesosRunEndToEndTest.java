package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.MesosRun.instanceOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.ReceivedCall;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner's scheduler and Mesos adapter, end to end against the protocol-level test master. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MesosRunEndToEndTest {

  private static final String HELLO = """
      name: hello
      command: echo hello from $RUNNER_INSTANCE
      cpus: 0.1
      mem: 32
      instances: 3
      """;

  private TestMaster master;
  private MesosRun run;

  private TestMaster.Builder masterBuilder() {
    return MesosFaultsTest.masterBuilder();
  }

  @AfterEach
  void tearDown() {
    if (run != null) run.close();
    if (master != null) master.close();
  }

  /** Every instance completed exactly once, every update acknowledged, nothing the master would reject. */
  private void assertCompletedExactlyOnce(int instances) {
    run.close(); // waits for the calls still queued (the last acknowledgements, TEARDOWN)
    assertThat(run.completedInstances()).isEqualTo(instances);
    Set<String> finished = master.finishedTaskIds();
    assertThat(finished.stream().map(MesosRun::instanceOf).collect(Collectors.toSet()))
        .hasSize(instances);
    assertThat(finished).hasSize(instances);
    assertThat(master.unacknowledgedUpdates()).isEmpty();
    assertThat(master.violations()).isEmpty();
    assertThat(master.calls(Call.Type.TEARDOWN)).as(callLog()).hasSize(1);
    assertThat(master.runningTaskIds()).isEmpty();
  }

  private String callLog() {
    return master.calls().stream().map(c -> c.type() + " " + c.status() + (c.body().isEmpty() ? "" : " " + c.body()))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void runsAJobToCompletionPackedIntoOneOfferAndStreamsItsOutput() {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(100))
        .withStdout("hello from " + instanceOf(t.getTaskId().getValue()))).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, HELLO);

    assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
    assertCompletedExactlyOnce(3);
    List<ReceivedCall> accepts = master.calls(Call.Type.ACCEPT);
    assertThat(accepts).hasSize(1);
    assertThat(accepts.get(0).call().orElseThrow().getAccept().getOperations(0).getLaunch().getTaskInfosCount())
        .isEqualTo(3);
    assertThat(run.output).contains("[hello/0] hello from 0", "[hello/1] hello from 1", "[hello/2] hello from 2");
    var fw = master.frameworkInfo().orElseThrow();
    assertThat(fw.getRolesList()).containsExactly("*");
    assertThat(fw.getCapabilitiesList()).extracting(c -> c.getType().name())
        .contains("MULTI_ROLE", "PARTITION_AWARE");
    assertThat(fw.getCheckpoint()).isTrue();
    assertThat(fw.getFailoverTimeout()).isPositive();
  }

  @Test
  void failedTasksAreRetriedUntilRetriesRunOutThenTheJobFails() {
    master = masterBuilder().behaviours(t -> TaskBehaviour.exitAfter(Duration.ofMillis(20), 3)
        .withStderr("broken input")).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, """
        name: broken
        command: exit 3
        cpus: 0.1
        mem: 32
        retries: 1
        """);

    assertThat(run.await()).isEqualTo(Outcome.FAILED);
    InstanceRecord inst = run.instances().get(0);
    assertThat(inst.failures()).isEqualTo(2);
    assertThat(inst.attempts()).extracting(AttemptRecord::exitCode).containsExactly(3, 3);
    assertThat(master.launchedTasks()).hasSize(2);
    run.close();
    assertThat(master.unacknowledgedUpdates()).isEmpty();
    assertThat(master.violations()).isEmpty();
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
  }

  @Test
  void aDroppedEventStreamIsResubscribedWithTheSameFrameworkIdAndReconciled() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(1500))).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, HELLO);
    // Dropped while a launched task runs, so the new stream must reconcile it.
    Await.until("a launched task running", Duration.ofSeconds(20), () -> !master.runningTaskIds().isEmpty());
    master.dropStream();

    assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
    List<ReceivedCall> subscribes = master.calls(Call.Type.SUBSCRIBE);
    assertThat(subscribes).hasSizeGreaterThanOrEqualTo(2);
    String fid = subscribes.get(1).call().orElseThrow().getFrameworkId().getValue();
    assertThat(fid).isNotEmpty();
    assertThat(subscribes.get(1).call().orElseThrow().getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(fid);
    assertThat(master.calls(Call.Type.RECONCILE)).isNotEmpty();
    assertCompletedExactlyOnce(3);
  }

  @Test
  void missingHeartbeatsMeanReconnectAndTheRunStillCompletes() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(2500))).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, HELLO);
    master.awaitCalls(c -> c.is(Call.Type.ACCEPT), 1, Duration.ofSeconds(30));
    master.stopHeartbeats();
    master.awaitCalls(c -> c.is(Call.Type.SUBSCRIBE), 2, Duration.ofSeconds(20));
    master.resumeHeartbeats();

    assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
    assertCompletedExactlyOnce(3);
  }

  @Test
  void aRedirectToTheLeadingMasterIsFollowed() {
    master = masterBuilder().build().start();
    master.addAgent(AgentSpec.standard());
    try (TestMaster follower = masterBuilder().build().start()) {
      follower.redirectTo(master.uri());
      run = MesosRun.start(follower, HELLO);
      assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(follower.calls(Call.Type.SUBSCRIBE)).isNotEmpty().allMatch(c -> c.status() == 307);
      assertCompletedExactlyOnce(3);
    }
  }

  @Test
  void aRescindedOfferIsNotUsedAndTheJobStillCompletes() throws Exception {
    master = masterBuilder().allocationInterval(Duration.ofMillis(300)).build().start();
    master.addAgent(AgentSpec.standard());
    // Two agents: rescind every outstanding offer as soon as it is made, once.
    master.addAgent(AgentSpec.standard().withId("").withHostname("agent-2"));
    run = MesosRun.start(master, HELLO);
    master.rescindAllOutstanding();
    assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
    assertCompletedExactlyOnce(3);
  }

  @Test
  void tasksOnARemovedAgentAreRelaunchedElsewhereWithoutUsingRetries() throws Exception {
    master = masterBuilder().behaviours(t -> t.getAgentId().getValue().endsWith("S0")
        ? TaskBehaviour.runForever() : TaskBehaviour.finishAfter(Duration.ofMillis(100))).build().start();
    var first = master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, MesosRun.job("""
        name: moved
        command: work
        cpus: 0.1
        mem: 32
        instances: 2
        retries: 0
        """).withUnreachableGrace(Duration.ZERO), java.time.Clock.systemUTC(), b -> b);
    master.awaitCalls(c -> c.is(Call.Type.ACCEPT), 1, Duration.ofSeconds(30));
    master.addAgent(AgentSpec.standard().withId("").withHostname("agent-2"));
    master.removeAgent(first.agentId());

    assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.completedInstances()).isEqualTo(2);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.failures()).isZero();
      assertThat(inst.losses()).isEqualTo(1);
      assertThat(inst.attempts().get(0).state().name()).isEqualTo("UNREACHABLE");
    }
    run.close();
    assertThat(master.unacknowledgedUpdates()).isEmpty();
    assertThat(master.violations()).isEmpty();
  }

  @Test
  void aServerErrorOnACallIsSurvived() throws Exception {
    master = masterBuilder().build().start();
    master.addAgent(AgentSpec.standard());
    master.failNextCalls(0, 503, "No leader elected");
    run = MesosRun.start(master, HELLO);
    master.awaitCall(c -> c.is(Call.Type.SUBSCRIBE) && c.status() == 200, Duration.ofSeconds(10));
    master.failNextCalls(2, 503, "No leader elected");
    assertThat(run.await()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.completedInstances()).isEqualTo(3);
    run.close();
    assertThat(master.calls().stream().filter(c -> c.status() == 503)).hasSizeGreaterThanOrEqualTo(1);
    assertThat(master.unacknowledgedUpdates()).isEmpty();
  }

  @Test
  void interruptKillsEveryRunningTaskThenTearsDown() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.runForever()).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, HELLO);
    Await.until("3 tasks running", Duration.ofSeconds(20), () -> master.runningTaskIds().size() == 3);
    run.run.interrupt("SIGINT");

    assertThat(run.await()).isEqualTo(Outcome.INTERRUPTED);
    run.close();
    assertThat(master.calls(Call.Type.KILL)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
    assertThat(master.runningTaskIds()).isEmpty();
    assertThat(master.violations()).isEmpty();
  }

  @Test
  void anUnreachableMasterEndsTheRunAsAClusterFailure() {
    master = masterBuilder().build().start();
    String uri = master.uri().toString();
    master.close();
    master = null;
    run = new MesosRunFactory().unreachable(uri);
    assertThat(run.await()).isEqualTo(Outcome.CLUSTER_FAILED);
    assertThat(run.scheduler.outcomeReason()).contains("cannot reach master");
  }

  /** Builds a run that gives up after a few quick attempts. */
  private static final class MesosRunFactory {
    MesosRun unreachable(String uri) {
      return MesosRun.startAt(uri, HELLO, b -> b.maxReconnectAttempts(3));
    }
  }
}
