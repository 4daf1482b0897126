package io.mesosrunner.cluster.mesos;

import io.mesosrunner.testing.Await;
import static io.mesosrunner.cluster.mesos.FaultChecks.assertCompletedExactlyOnce;
import static io.mesosrunner.cluster.mesos.FaultChecks.attempts;
import static io.mesosrunner.cluster.mesos.MesosRun.instanceOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.FakeAgent;
import io.mesosrunner.cluster.mesos.testmaster.ReceivedCall;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.Outcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the cluster, end to end against the protocol-level test master: a master that
 * forgets the framework, an agent that drops out and comes back, duplicate, stale and foreign
 * status updates, a failover to a master that never heard of the framework. Every scenario ends
 * with each instance completed exactly once and nothing left behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MesosFaultsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private TestMaster master;
  private MesosRun run;

  /** A test master with short intervals, shared by the end-to-end tests of this package. */
  static TestMaster.Builder masterBuilder() {
    return TestMaster.builder()
        .allocationInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofMillis(500))
        .stepDelay(Duration.ofMillis(5))
        .killDelay(Duration.ofMillis(20))
        .agentRemovalDelay(Duration.ofMillis(100))
        .updateRetryInterval(Duration.ofSeconds(2))
        .defaultRunTime(Duration.ofMillis(100));
  }

  private static String job(String name, int instances, int retries) {
    return "name: " + name + "\ncommand: work\ncpus: 0.1\nmem: 32\ninstances: " + instances
        + "\nretries: " + retries + "\n";
  }

  @AfterEach
  void tearDown() {
    if (run != null) run.close();
    if (master != null) master.close();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(what, WAIT, condition::getAsBoolean);
  }

  /** Waits until {@code n} tasks run at the master and every update so far was acknowledged. */
  private static void awaitRunningAndAcknowledged(TestMaster m, int n) throws InterruptedException {
    awaitTrue(() -> m.runningTaskIds().size() == n && m.unacknowledgedUpdates().isEmpty(),
        n + " running tasks with every update acknowledged");
  }

  // ---------------------------------------------------------------- 1. a master that forgets the framework

  @Test
  void aMasterThatForgetsTheFrameworkIsSubscribedAgainAndItsForgottenTasksAreRelaunchedWithoutUsingRetries()
      throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(1500))).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, job("forgotten", 3, 0));
    awaitRunningAndAcknowledged(master, 3);
    Set<String> forgotten = master.runningTaskIds();

    master.forgetFramework();

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    assertThat(master.calls(Call.Type.SUBSCRIBE)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(master.calls(Call.Type.RECONCILE)).isNotEmpty();
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.failures()).isZero();
      assertThat(inst.losses()).isEqualTo(1);
      AttemptRecord first = inst.attempts().get(0);
      assertThat(forgotten).contains(first.taskId());
      assertThat(first.cause()).isEqualTo(AttemptRecord.EndCause.LOST);
    }
    assertThat(master.finishedTaskIds()).doesNotContainAnyElementsOf(forgotten);
    assertCompletedExactlyOnce(run, 3, master);
  }

  @Test
  void callsAnsweredFrameworkCannotBeFoundMakeTheRunnerSubscribeAgainAndTheJobStillCompletes() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(300))).build().start();
    master.addAgent(AgentSpec.standard());
    master.failNextCalls(0, 400, "Framework cannot be found");
    run = MesosRun.start(master, job("notfound", 3, 0));
    master.awaitCall(c -> c.is(Call.Type.SUBSCRIBE) && c.status() == 200, WAIT);
    // The stream stays open but the master answers the next calls as if it did not know the framework.
    master.failNextCalls(3, 400, "Framework cannot be found");

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    assertThat(master.calls().stream().filter(c -> c.status() == 400)).hasSize(3);
    assertThat(master.calls(Call.Type.SUBSCRIBE).stream().filter(c -> c.status() == 200)).hasSizeGreaterThanOrEqualTo(2);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.failures()).isZero();
    }
    assertCompletedExactlyOnce(run, 3, master);
  }

  // ---------------------------------------------------------------- 2. an agent that drops out and comes back

  @ParameterizedTest(name = "partition aware: {0}")
  @ValueSource(booleans = {true, false})
  void anUnreachableAgentsTasksAreReplacedElsewhereAndKilledWhenTheyComeBackNeverCountedTwice(boolean partitionAware)
      throws Exception {
    master = masterBuilder().behaviours(t -> t.getAgentId().getValue().endsWith("S0")
        ? TaskBehaviour.runForever() : TaskBehaviour.finishAfter(Duration.ofMillis(1000))).build().start();
    FakeAgent first = master.addAgent(AgentSpec.standard());
    // No grace: the agent's tasks are replaced at once (UnreachableGraceRunTest has the grace).
    run = MesosRun.start(master, MesosRun.job(job("partitioned", 2, 0)).withUnreachableGrace(Duration.ZERO),
        java.time.Clock.systemUTC(), b -> b.partitionAware(partitionAware));
    awaitRunningAndAcknowledged(master, 2);
    Set<String> originals = master.runningTaskIds();
    master.addAgent(AgentSpec.standard().withId("").withHostname("agent-2"));

    master.removeAgent(first.agentId());
    awaitTrue(() -> master.launchedTasks().size() == 4, "replacements launched on agent-2");
    master.reAddAgent(first.agentId());

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    Set<String> killed = master.calls(Call.Type.KILL).stream()
        .map(c -> c.call().orElseThrow().getKill().getTaskId().getValue()).collect(Collectors.toSet());
    assertThat(killed).as("kills").containsAll(originals);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.failures()).isZero();
      assertThat(inst.losses()).isEqualTo(1);
      assertThat(inst.attempts()).hasSize(2);
      assertThat(inst.attempts().get(0).state().name()).isEqualTo("KILLED");
      assertThat(inst.attempts().get(1).state().name()).isEqualTo("FINISHED");
      assertThat(inst.attempts().get(1).agentId()).isNotEqualTo(first.agentId());
    }
    assertThat(master.finishedTaskIds()).doesNotContainAnyElementsOf(originals);
    assertCompletedExactlyOnce(run, 2, master);
  }

  @ParameterizedTest(name = "partition aware: {0}")
  @ValueSource(booleans = {true, false})
  void anAgentThatComesBackBeforeAReplacementCouldLaunchHasItsTasksAdoptedWithoutADuplicateLaunch(
      boolean partitionAware) throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(800))).build().start();
    FakeAgent only = master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, MesosRun.job(job("adopted", 3, 0)).withUnreachableGrace(Duration.ZERO),
        java.time.Clock.systemUTC(), b -> b.partitionAware(partitionAware));
    awaitRunningAndAcknowledged(master, 3);

    master.removeAgent(only.agentId());
    master.awaitEvent(e -> e.getType() == Event.Type.FAILURE, WAIT);
    // Give the runner time to take the UNREACHABLE updates in (and ask for offers it cannot get).
    master.awaitCall(c -> c.is(Call.Type.REVIVE), WAIT);
    master.reAddAgent(only.agentId());

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    assertThat(master.sentEvents().stream().filter(e -> e.event().getType() == Event.Type.UPDATE
        && e.event().getUpdate().getStatus().getState()
        == (partitionAware ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST))).hasSize(3);
    assertThat(master.launchedTasks()).as("no duplicate launch").hasSize(3);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.attempts()).hasSize(1);
      assertThat(inst.failures()).isZero();
      assertThat(inst.losses()).isZero();
    }
    assertCompletedExactlyOnce(run, 3, master);
  }

  // ---------------------------------------------------------------- 3. duplicate, stale and foreign updates

  @Test
  void repeatedStaleAndForeignUpdatesAreAcknowledgedPerDeliveryAndCountedOnce() throws Exception {
    // Instance 0 ends early; the others run on while its repeats arrive.
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(
        instanceOf(t.getTaskId().getValue()) == 0 ? 200 : 4000))).build().start();
    master.addAgent(AgentSpec.standard());
    run = MesosRun.start(master, job("noisy", 3, 0));
    awaitTrue(() -> master.runningTaskIds().size() == 2 && master.finishedTaskIds().size() == 1
        && master.unacknowledgedUpdates().isEmpty(), "instance 0 finished, 1 and 2 running");
    String done = master.finishedTaskIds().iterator().next();
    List<String> running = List.copyOf(master.runningTaskIds());
    TaskStatus finished = master.sentEvents().stream().map(e -> e.event())
        .filter(e -> e.getType() == Event.Type.UPDATE && e.getUpdate().getStatus().getTaskId().getValue().equals(done)
            && e.getUpdate().getStatus().getState() == TaskState.TASK_FINISHED)
        .map(e -> e.getUpdate().getStatus()).findFirst().orElseThrow();

    // The agent resends the latest update of the running tasks (same uuid), twice each.
    for (String id : running) {
      master.resendLastUpdate(id);
      master.resendLastUpdate(id);
    }
    // TASK_FINISHED delivered three more times, then a stale TASK_RUNNING with a new uuid.
    for (int i = 0; i < 3; i++) master.sendUpdate(finished);
    master.sendUpdate(finished.toBuilder().setState(TaskState.TASK_RUNNING).setMessage("stale")
        .setUuid(newUuid()).build());
    // A late TASK_FAILED about the finished task, and a master's TASK_LOST (no uuid) about it.
    master.sendUpdate(finished.toBuilder().setState(TaskState.TASK_FAILED).setMessage("Command exited with status 1")
        .setUuid(newUuid()).build());
    master.sendUpdate(finished.toBuilder().setState(TaskState.TASK_LOST).clearMessage().clearUuid()
        .setSource(TaskStatus.Source.SOURCE_MASTER).build());
    // A stale TASK_STARTING for a running task, and an update about a task this run never launched.
    master.sendUpdate(finished.toBuilder().setTaskId(TaskID.newBuilder().setValue(running.get(0)))
        .setState(TaskState.TASK_STARTING).clearMessage().setUuid(newUuid()).build());
    master.sendUpdate(finished.toBuilder().setTaskId(TaskID.newBuilder().setValue("stranger.0.1.zz"))
        .setState(TaskState.TASK_RUNNING).clearMessage().setUuid(newUuid())
        .setAgentId(AgentID.newBuilder().setValue(finished.getAgentId().getValue())).build());

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    run.close();
    Map<ByteString, Integer> delivered = new HashMap<>();
    master.sentEvents().stream().map(e -> e.event())
        .filter(e -> e.getType() == Event.Type.UPDATE && e.getUpdate().getStatus().hasUuid())
        .forEach(e -> delivered.merge(e.getUpdate().getStatus().getUuid(), 1, Integer::sum));
    Map<ByteString, Integer> acked = new HashMap<>();
    master.calls(Call.Type.ACKNOWLEDGE)
        .forEach(c -> acked.merge(c.call().orElseThrow().getAcknowledge().getUuid(), 1, Integer::sum));
    assertThat(acked).as("one acknowledgement per delivery of each uuid").isEqualTo(delivered);
    assertThat(acked.get(finished.getUuid())).isEqualTo(4);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.attempts()).as(attempts(run)).hasSize(1);
    }
    InstanceRecord zero = run.instances().get(0);
    assertThat(zero.attempts().get(0).state().name()).as("a stale update does not rewrite a finished attempt")
        .isEqualTo("FINISHED");
    assertThat(zero.attempts().get(0).cause()).isNull();
    assertThat(zero.failures()).isZero();
    assertThat(zero.losses()).isZero();
    assertThat(master.launchedTasks()).hasSize(3);
    assertCompletedExactlyOnce(run, 3, master);
  }

  private static ByteString newUuid() {
    UUID u = UUID.randomUUID();
    return ByteString.copyFrom(java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array());
  }

  // ---------------------------------------------------------------- 5. failover to a master without the registry

  @Test
  void aNewLeaderThatNeverHeardOfTheFrameworkIsSubscribedReconciledAndTheLostTasksRelaunched() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.runForever()).build().start();
    master.addAgent(AgentSpec.standard());
    try (TestingServer zk = new TestingServer(true);
        TestMaster second = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(300)))
            .build().start();
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      second.addAgent(AgentSpec.standard());
      client.start();
      String firstNode = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .forPath("/mesos/json.info_", masterInfo(master.port()));
      client.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/mesos/json.info_", masterInfo(second.port()));
      run = MesosRun.startAt("zk://" + zk.getConnectString() + "/mesos", job("failover", 3, 0), b -> b);
      awaitRunningAndAcknowledged(master, 3);
      Set<String> onOldLeader = master.runningTaskIds();
      String fid = master.frameworkInfo().orElseThrow().getId().getValue();

      client.delete().forPath(firstNode);
      master.close();

      assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
      List<ReceivedCall> subscribes = second.calls(Call.Type.SUBSCRIBE);
      assertThat(subscribes).isNotEmpty();
      assertThat(subscribes.get(0).call().orElseThrow().getFrameworkId().getValue()).isEqualTo(fid);
      Set<String> reconciled = second.calls(Call.Type.RECONCILE).stream()
          .flatMap(c -> c.call().orElseThrow().getReconcile().getTasksList().stream())
          .map(t -> t.getTaskId().getValue()).collect(Collectors.toSet());
      assertThat(reconciled).containsAll(onOldLeader);
      for (InstanceRecord inst : run.instances()) {
        assertThat(inst.failures()).isZero();
        assertThat(inst.losses()).isEqualTo(1);
        assertThat(onOldLeader).contains(inst.attempts().get(0).taskId());
      }
      assertThat(master.finishedTaskIds()).isEmpty();
      assertThat(master.violations()).isEmpty();
      assertCompletedExactlyOnce(run, 3, second);
      assertThat(second.calls(Call.Type.TEARDOWN)).hasSize(1);
    }
  }

  private static byte[] masterInfo(int port) {
    return ("{\"address\":{\"hostname\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},"
        + "\"hostname\":\"127.0.0.1\",\"id\":\"m-" + port + "\",\"ip\":16777343,\"port\":" + port
        + ",\"pid\":\"master@127.0.0.1:" + port + "\",\"version\":\"1.12.0\"}").getBytes();
  }
}
