package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.FakeAgent;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code runner logs}' reads of a task's sandbox against the test master's agents (files-download.jsonl, new-agent.jsonl). */
@Timeout(30)
class AgentSandboxFilesTest {
  private static final String FID = "fw-0001";

  private TestMaster master;

  @AfterEach
  void close() {
    if (master != null) master.close();
  }

  private AgentSandboxFiles files() {
    return new AgentSandboxFiles(MesosConfig.builder(MasterAddress.parse("127.0.0.1:" + master.port()), "logs-test").build());
  }

  @Test
  void readsEveryByteOfANonUtf8FileBackUnchanged() throws Exception {
    master = TestMaster.builder().agentRemovalDelay(Duration.ofMillis(100)).build().start();
    FakeAgent agent = master.addAgent(AgentSpec.standard());
    byte[] all = new byte[1024];
    for (int i = 0; i < all.length; i++) all[i] = (byte) i;
    agent.writeFile(FID, "t1", "stdout", all);
    try (AgentSandboxFiles files = files()) {
      assertThat(files.read(agent.agentId(), FID, "t1", "stdout", 0)).isEqualTo(all);
      assertThat(files.read(agent.agentId(), FID, "t1", "stdout", all.length)).isEmpty();
    }
  }

  @Test
  void anAgentThatLeftTheMasterWhileReadingIsNamedAsGone() throws Exception {
    master = TestMaster.builder().agentRemovalDelay(Duration.ofMillis(100)).build().start();
    FakeAgent agent = master.addAgent(AgentSpec.standard());
    agent.writeFile(FID, "t1", "stdout", "first\n".getBytes());
    try (AgentSandboxFiles files = files()) {
      assertThat(files.read(agent.agentId(), FID, "t1", "stdout", 0)).isEqualTo("first\n".getBytes());
      // The agent stops: it refuses connections, and the master soon no longer lists it.
      master.removeAgent(agent.agentId());
      agent.close();
      Await.until("the master removed the agent", Duration.ofSeconds(5),
          () -> !MasterTasks.get(MesosConfig.builder(MasterAddress.parse("127.0.0.1:" + master.port()), "x").build(),
              "/master/slaves").contains(agent.agentId()));
      assertThat(files.read(agent.agentId(), FID, "t1", "stdout", 6)).isNull();
      assertThat(files.unknownAgent(agent.agentId())).isTrue();
    }
  }
}
