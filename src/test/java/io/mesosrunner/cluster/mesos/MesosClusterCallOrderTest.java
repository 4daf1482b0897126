package io.mesosrunner.cluster.mesos;

import io.mesosrunner.testing.RecordingListener;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.ReceivedCall;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls go out in parallel where order cannot matter (ACKNOWLEDGE, ACCEPT, DECLINE) and in order
 * where it does: a KILL after the ACCEPT of its task, TEARDOWN after everything queued before it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MesosClusterCallOrderTest {

  private TestMaster master;
  private MesosCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
    if (master != null) master.close();
  }

  private RecordingListener start() {
    master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).stepDelay(Duration.ofMillis(5))
        .killDelay(Duration.ofMillis(10)).behaviours(t -> TaskBehaviour.runForever()).build().start();
    master.addAgent(AgentSpec.standard());
    cluster = new MesosCluster(MesosRun.fastConfig(master.uri().toString()).tailOutput(false).build());
    RecordingListener listener = new RecordingListener();
    cluster.start(listener);
    return listener;
  }

  private static TaskSpec task(String id, Offer offer) {
    Resources need = new Resources(0.1, 32, 0, 0);
    return new TaskSpec(id, MesosRun.job("name: order\ncommand: sleep 60\ncpus: 0.1\nmem: 32\n"), 0, 1,
        new Placement("0", offer, need, List.of()), Map.of(), Map.of());
  }

  @Test
  void aKillQueuedRightAfterTheLaunchReachesTheMasterAfterTheAcceptAndKillsTheTask() throws Exception {
    RecordingListener listener = start();
    Offer offer = listener.next(Event.OffersReceived.class).offers().get(0);
    TaskSpec t = task("order.0.1.a", offer);
    List<String> filler = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // Acknowledgements of uuids the master never sent: answered 202, and they keep the call workers busy.
      byte[] uuid = new byte[16];
      uuid[0] = (byte) i;
      filler.add(Base64.getEncoder().encodeToString(uuid));
    }
    filler.forEach(u -> cluster.execute(new Action.Acknowledge("other", offer.agentId(), u)));
    cluster.execute(new Action.Launch(offer.id(), offer.agentId(), List.of(t), Duration.ofSeconds(5)));
    cluster.execute(new Action.Kill(t.taskId(), offer.agentId()));

    // A KILL that overtook its ACCEPT would find no task (TASK_LOST) and the task would run forever.
    master.awaitTaskState(t.taskId(), org.apache.mesos.v1.Protos.TaskState.TASK_KILLED, Duration.ofSeconds(10));
    List<ReceivedCall> calls = master.calls();
    assertThat(calls.stream().filter(c -> c.is(Call.Type.ACKNOWLEDGE) && c.status() == 202).count()).isEqualTo(20);
    assertThat(calls.stream().filter(c -> c.is(Call.Type.KILL))).hasSize(1);
  }

  @Test
  void teardownGoesOutAfterEveryCallQueuedBeforeIt() throws Exception {
    RecordingListener listener = start();
    Offer offer = listener.next(Event.OffersReceived.class).offers().get(0);
    for (int i = 0; i < 40; i++) {
      byte[] uuid = new byte[16];
      uuid[1] = (byte) i;
      cluster.execute(new Action.Acknowledge("other", offer.agentId(), Base64.getEncoder().encodeToString(uuid)));
    }
    cluster.execute(new Action.Decline(List.of(offer.id()), Duration.ofSeconds(5)));
    cluster.execute(new Action.Teardown());

    master.awaitCall(c -> c.is(Call.Type.TEARDOWN), Duration.ofSeconds(10));
    List<ReceivedCall> calls = master.calls();
    // A call that came after TEARDOWN would be refused: the framework is gone.
    assertThat(calls.stream().filter(c -> c.is(Call.Type.ACKNOWLEDGE) && c.status() == 202).count()).isEqualTo(40);
    assertThat(calls.stream().filter(c -> c.is(Call.Type.DECLINE) && c.status() == 202)).hasSize(1);
    assertThat(calls.stream().filter(c -> c.is(Call.Type.TEARDOWN) && c.status() == 202)).hasSize(1);
  }
}
