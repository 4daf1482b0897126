package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.FaultChecks.assertCompletedExactlyOnce;
import static io.mesosrunner.cluster.mesos.FaultChecks.attempts;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.FakeAgent;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.testing.Await;
import io.mesosrunner.testing.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner against a test master that plays a busy cluster: executors that do not register in
 * time, a fetcher that cannot fetch, an agent unreachable for a while. The runner's scheduler runs
 * on a fake clock, so the grace passes when the test says.
 */
@Timeout(120)
class BusyClusterRunTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestMaster master;
  private MesosRun run;
  private final FakeClock clock = new FakeClock();

  @AfterEach
  void tearDown() {
    if (run != null) run.close();
    if (master != null) master.close();
  }

  private static TestMaster.Builder masterBuilder() {
    return TestMaster.builder().allocationInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(500))
        .stepDelay(Duration.ofMillis(5)).killDelay(Duration.ofMillis(20)).agentRemovalDelay(Duration.ofMillis(100))
        .updateRetryInterval(Duration.ofSeconds(2)).defaultRunTime(Duration.ofMillis(100));
  }

  private static String job(String name, int instances, int retries, String more) {
    return "name: " + name + "\ncommand: work\ncpus: 0.1\nmem: 32\ninstances: " + instances + "\nretries: " + retries
        + "\n" + more;
  }

  /** The attempt number in a task id {@code <job>.<instance>.<attempt>.<run>}. */
  private static int attemptOf(TaskInfo t) {
    String[] parts = t.getTaskId().getValue().split("\\.");
    return Integer.parseInt(parts[parts.length - 2]);
  }

  private MesosRun start(String yaml) {
    return MesosRun.start(master, MesosRun.job(yaml), clock, b -> b);
  }

  private void awaitWaitingForAgent(int tasks) throws InterruptedException {
    Await.until("the runner waits for the agent of " + tasks + " tasks", WAIT, () -> run.latestProgress != null
        && run.latestProgress.waitReason().startsWith("waiting for agent")
        && run.latestProgress.waiting() == tasks);
  }

  @Test
  void anExecutorThatDoesNotRegisterInTimeIsRelaunchedWithoutUsingARetry() throws Exception {
    master = masterBuilder().executorRegistrationTimeout(Duration.ofMillis(300))
        .behaviours(t -> attemptOf(t) == 1 ? TaskBehaviour.executorRegistrationTimeout()
            : TaskBehaviour.finishAfter(Duration.ofMillis(100))).build().start();
    master.addAgent(AgentSpec.standard());
    run = start(job("busy", 3, 0, ""));

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.failures()).isZero();
      assertThat(inst.losses()).isEqualTo(1);
      AttemptRecord first = inst.attempts().get(0);
      assertThat(first.cause()).isEqualTo(EndCause.LOST);
      assertThat(first.reason()).isEqualTo("EXECUTOR_REGISTRATION_TIMEOUT");
      assertThat(first.source()).isEqualTo(TaskStatus.Source.AGENT);
      assertThat(first.message()).isEqualTo("Executor did not register within 300ms");
    }
    assertCompletedExactlyOnce(run, 3, master);
  }

  @Test
  void aUriThatCannotBeFetchedIsTheJobsOwnFailure() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.fetchFails()).build().start();
    master.addAgent(AgentSpec.standard());
    run = start(job("fetch", 1, 1, "uris: [http://127.0.0.1:1/missing.tgz]\n"));
    // The retry waits out a backoff on the runner's clock.
    Await.until("the first attempt failed and waits out its backoff", WAIT, () -> run.latestProgress != null
        && run.latestProgress.waitReason().startsWith("backoff after failure"));
    clock.advance(Duration.ofSeconds(2));

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.FAILED);
    InstanceRecord inst = run.instances().get(0);
    assertThat(inst.failures()).isEqualTo(2);
    assertThat(inst.losses()).isZero();
    assertThat(inst.attempts()).extracting(AttemptRecord::cause).containsExactly(EndCause.FAILED, EndCause.FAILED);
    assertThat(inst.attempts().get(0).reason()).isEqualTo("CONTAINER_LAUNCH_FAILED");
    assertThat(inst.attempts().get(0).message()).startsWith("Failed to launch container: Failed to fetch all URIs");
    assertThat(master.violations()).isEmpty();
  }

  @Test
  void anAgentBackWithinTheGraceKeepsItsTasksAndEveryInstanceRunsOnce() throws Exception {
    master = masterBuilder().behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(1500))).build().start();
    FakeAgent agent = master.addAgent(AgentSpec.standard());
    run = start(job("blip", 3, 0, ""));
    Await.until("3 tasks running", WAIT, () -> master.runningTaskIds().size() == 3);

    master.removeAgent(agent.agentId());
    awaitWaitingForAgent(3);
    clock.advance(Duration.ofSeconds(18));
    assertThat(master.launchedTasks()).as("nothing replaced within the grace").hasSize(3);
    master.reAddAgent(agent.agentId());

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    assertThat(master.launchedTasks()).as("every instance ran once").hasSize(3);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.attempts()).hasSize(1);
      assertThat(inst.losses()).isZero();
      assertThat(inst.attempts().get(0).unreachableFor()).isGreaterThanOrEqualTo(Duration.ofSeconds(18));
    }
    assertCompletedExactlyOnce(run, 3, master);
  }

  @Test
  void anAgentBackAfterTheGraceHasItsCopiesKilledAndEachInstanceCountsOnce() throws Exception {
    master = masterBuilder().behaviours(t -> attemptOf(t) == 1 ? TaskBehaviour.runForever()
        : TaskBehaviour.finishAfter(Duration.ofMillis(1000))).build().start();
    FakeAgent first = master.addAgent(AgentSpec.standard());
    run = start(job("late", 2, 0, ""));
    Await.until("2 tasks running", WAIT, () -> master.runningTaskIds().size() == 2);
    Set<String> originals = master.runningTaskIds();
    master.addAgent(AgentSpec.standard().withId("").withHostname("agent-2"));

    master.removeAgent(first.agentId());
    awaitWaitingForAgent(2);
    clock.advance(Duration.ofSeconds(60));
    Await.until("replacements launched", WAIT, () -> master.launchedTasks().size() == 4);
    master.reAddAgent(first.agentId());

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    Set<String> killed = master.calls(Call.Type.KILL).stream()
        .map(c -> c.call().orElseThrow().getKill().getTaskId().getValue()).collect(Collectors.toSet());
    assertThat(killed).as("the copies that came back are killed").containsAll(originals);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.losses()).isEqualTo(1);
      assertThat(inst.failures()).isZero();
      assertThat(inst.attempts()).extracting(a -> a.state().name()).containsExactly("KILLED", "FINISHED");
    }
    assertCompletedExactlyOnce(run, 2, master);
  }

  @Test
  void anAgentNeverBackIsReplacedWhenTheGraceEnds() throws Exception {
    master = masterBuilder().behaviours(t -> attemptOf(t) == 1 ? TaskBehaviour.runForever()
        : TaskBehaviour.finishAfter(Duration.ofMillis(100))).build().start();
    FakeAgent first = master.addAgent(AgentSpec.standard());
    run = start(job("gone", 2, 0, ""));
    Await.until("2 tasks running", WAIT, () -> master.runningTaskIds().size() == 2);
    master.addAgent(AgentSpec.standard().withId("").withHostname("agent-2"));

    master.removeAgent(first.agentId());
    awaitWaitingForAgent(2);
    clock.advance(Duration.ofSeconds(59));
    assertThat(master.launchedTasks()).hasSize(2);
    clock.advance(Duration.ofSeconds(1));

    assertThat(run.await()).as(attempts(run)).isEqualTo(Outcome.SUCCEEDED);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.losses()).isEqualTo(1);
      assertThat(inst.attempts().get(0).cause()).isEqualTo(EndCause.LOST);
      assertThat(inst.attempts().get(0).state().name()).isEqualTo("UNREACHABLE");
    }
    run.close();
    assertThat(master.unacknowledgedUpdates()).isEmpty();
    assertThat(master.violations()).isEmpty();
  }
}
