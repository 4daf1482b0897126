package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.FaultChecks.assertCompletedExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.FakeAgent;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A busy cluster for a while: about one attempt in ten has an executor that does not register in
 * time, and every 1.5 s one of three agents is unreachable for 0.3-0.8 s (shorter than the grace)
 * and comes back with its tasks. With {@code retries: 0}, no instance may fail for the cluster's
 * fault, and no instance may run twice (the grace prevents every duplicate here). Prints a {@code
 * BUSY} line for {@code bench/busy-cluster.sh}.
 */
class BusyClusterSoakIT {

  private static final int INSTANCES = Integer.getInteger("busy.instances", 300);

  private TestMaster master;
  private MesosRun run;
  private ScheduledExecutorService chaos;

  @AfterEach
  void tearDown() {
    if (chaos != null) chaos.shutdownNow();
    if (run != null) run.close();
    if (master != null) master.close();
  }

  /** Deterministic: about 10 % of task ids (which carry the attempt number) never register an executor. */
  static boolean executorHangs(String taskId) {
    int h = taskId.hashCode() * 0x9E3779B1;
    return Math.floorMod(h ^ (h >>> 16), 10) == 0;
  }

  private static TaskBehaviour behaviour(TaskInfo t) {
    return executorHangs(t.getTaskId().getValue()) ? TaskBehaviour.executorRegistrationTimeout()
        : TaskBehaviour.finishAfter(Duration.ofMillis(300));
  }

  @Test
  void noInstanceFailsForTheClustersFaultAndNoneRunsTwice() throws Exception {
    master = TestMaster.builder()
        .allocationInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofMillis(500))
        .stepDelay(Duration.ofMillis(5))
        .killDelay(Duration.ofMillis(20))
        .agentRemovalDelay(Duration.ofMillis(100))
        .executorRegistrationTimeout(Duration.ofMillis(200))
        .updateRetryInterval(Duration.ofSeconds(2))
        .ackGrace(Duration.ofSeconds(30))
        .behaviours(BusyClusterSoakIT::behaviour)
        .build().start();
    List<FakeAgent> agents = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      agents.add(master.addAgent(AgentSpec.standard().withId("").withHostname("agent-" + i).withResources(4, 8192, 10000)));
    }
    long started = System.nanoTime();
    run = MesosRun.start(master, """
        name: busy
        command: short
        cpus: 0.1
        mem: 32
        instances: %d
        retries: 0
        """.formatted(INSTANCES), b -> b.tailOutput(false).maxReconnectAttempts(50));
    Random random = new Random(24);
    AtomicInteger partitions = new AtomicInteger();
    chaos = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "busy-chaos");
      t.setDaemon(true);
      return t;
    });
    chaos.scheduleWithFixedDelay(() -> {
      FakeAgent agent = agents.get(random.nextInt(agents.size()));
      master.removeAgent(agent.agentId());
      partitions.incrementAndGet();
      try {
        Thread.sleep(300 + random.nextInt(500));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      master.reAddAgent(agent.agentId());
    }, 1000, 1500, TimeUnit.MILLISECONDS);

    Outcome outcome = run.await(Duration.ofMinutes(10));
    chaos.shutdownNow();
    chaos.awaitTermination(5, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(outcome).as("outcome; %s", run.scheduler.outcomeReason()).isEqualTo(Outcome.SUCCEEDED);

    long failures = run.instances().stream().mapToLong(InstanceRecord::failures).sum();
    long losses = run.instances().stream().mapToLong(InstanceRecord::losses).sum();
    long timeouts = run.instances().stream().flatMap(i -> i.attempts().stream())
        .filter(a -> "EXECUTOR_REGISTRATION_TIMEOUT".equals(a.reason())).count();
    long cameBack = run.instances().stream().flatMap(i -> i.attempts().stream())
        .filter(a -> a.unreachableFor() != null).count();
    Map<Integer, Integer> finished = new HashMap<>();
    master.finishedCounts().forEach((id, n) -> finished.merge(MesosRun.instanceOf(id), n, Integer::sum));
    long duplicates = finished.values().stream().filter(n -> n > 1).count();
    System.out.printf(Locale.ROOT,
        "BUSY instances=%d wall=%.1fs partitions=%d attempts=%d registration_timeouts=%d losses=%d failures=%d "
            + "tasks_back_from_unreachable=%d instances_run_twice=%d launched=%d%n",
        INSTANCES, seconds, partitions.get(), run.scheduler.progress().attempts(), timeouts, losses, failures,
        cameBack, duplicates, master.launchedTasks().size());

    assertThat(failures).as("attempts counted as the job's own failure").isZero();
    assertThat(timeouts).as("registration timeouts played").isPositive();
    assertThat(partitions.get()).as("partitions during the run").isPositive();
    assertThat(duplicates).as("instances that ran twice").isZero();
    assertCompletedExactlyOnce(run, INSTANCES, master);
  }
}
