package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.FakeAgent;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.state.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner logs} against the Mesos test master: the output is read from the fake agent's
 * {@code /files/read} (found through the master's {@code /master/slaves}), until the agent
 * garbage-collects the sandboxes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MesosLogsTest {

  @TempDir Path tmp;
  private TestMaster master;

  @AfterEach
  void stopMaster() {
    if (master != null) master.close();
  }

  private static String label(TaskInfo t, String key) {
    return t.getLabels().getLabelsList().stream().filter(l -> l.getKey().equals(key)).map(l -> l.getValue())
        .findFirst().orElse("");
  }

  @Test
  void readsEachAttemptFromTheAgentUntilItsSandboxIsGarbageCollected() throws Exception {
    master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).stepDelay(Duration.ofMillis(5))
        .heartbeatInterval(Duration.ofSeconds(2))
        .behaviours(t -> {
          String i = label(t, "runner.instance");
          return i.equals("1") && label(t, "runner.attempt").equals("1")
              ? TaskBehaviour.exitAfter(Duration.ofMillis(20), 3).withStdout("first try 1").withStderr("oops 1")
              : TaskBehaviour.finishAfter(Duration.ofMillis(50)).withStdout("out " + i + " a", "out " + i + " b")
                  .withStderr("err " + i);
        })
        .build().start();
    FakeAgent agent = master.addAgent(AgentSpec.standard());
    Path f = tmp.resolve("job.yaml");
    Files.writeString(f, "name: two\ncommand: 'true'\ncpus: 0.1\nmem: 16\ninstances: 2\nretries: 1\n");
    String state = tmp.resolve("state").toString();
    Cli.run(f.toString(), "--state-dir", state, "--quiet", "--master", master.uri().toString()).exitedWith(0);

    assertThat(Cli.run("logs", f.toString(), "--state-dir", state).exitedWith(0).out().lines())
        .containsExactly("[two/0] out 0 a", "[two/0] out 0 b", "[two/1#2] out 1 a", "[two/1#2] out 1 b");
    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "1", "--state-dir", state).exitedWith(0).out())
        .isEqualTo("first try 1\n");
    assertThat(Cli.run("logs", f.toString(), "1", "--state-dir", state).exitedWith(0).out())
        .isEqualTo("out 1 a\nout 1 b\n");
    // The executor's own glog lines are in the agent's stderr file; the task's line alone is printed.
    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "1", "--stderr", "--state-dir", state).exitedWith(0).err())
        .isEqualTo("oops 1\n");

    agent.garbageCollect(JobStore.status(tmp.resolve("state"), "two").orElseThrow().frameworkId());
    Cli.run("logs", f.toString(), "1", "--state-dir", state).exitedWith(2)
        .errContains("garbage-collected the sandbox", "on agent " + agent.agentId()).noStackTrace();
  }

  @Test
  void anUnreachableMasterIsExitThree() throws Exception {
    master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).stepDelay(Duration.ofMillis(5))
        .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(20)).withStdout("hi")).build().start();
    master.addAgent(AgentSpec.standard());
    Path f = tmp.resolve("job.yaml");
    Files.writeString(f, "name: one\ncommand: 'true'\ncpus: 0.1\nmem: 16\n");
    String state = tmp.resolve("state").toString();
    Cli.run(f.toString(), "--state-dir", state, "--quiet", "--master", master.uri().toString()).exitedWith(0);
    assertThat(Cli.run("logs", f.toString(), "0", "--state-dir", state).exitedWith(0).out()).isEqualTo("hi\n");
    master.close();
    master = null;
    Cli.run("logs", f.toString(), "0", "--state-dir", state).exitedWith(3).errContains("cannot read").noStackTrace();
  }
}
