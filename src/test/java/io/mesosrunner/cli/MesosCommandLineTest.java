package io.mesosrunner.cli;

import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line against the protocol-level Mesos test master, in-process. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MesosCommandLineTest {

  @TempDir Path tmp;
  private TestMaster master;

  @BeforeEach
  void startMaster() {
    master = builder().build().start();
    master.addAgent(AgentSpec.standard());
  }

  private static TestMaster.Builder builder() {
    return TestMaster.builder().allocationInterval(Duration.ofMillis(50)).stepDelay(Duration.ofMillis(5))
        .heartbeatInterval(Duration.ofSeconds(2))
        .behaviours(t -> t.getCommand().getValue().contains("exit 4")
            ? TaskBehaviour.exitAfter(Duration.ofMillis(20), 4).withStderr("cannot open input")
            : TaskBehaviour.finishAfter(Duration.ofMillis(50)).withStdout("hello world"));
  }

  @AfterEach
  void stopMaster() {
    if (master != null) master.close();
  }

  private String state() {
    return tmp.resolve("state").toString();
  }

  private String url() {
    return master.uri().toString();
  }

  @Test
  void runsHelloOnMesosWithTaggedOutputAndTearsDown() {
    Cli.run("jobs/hello.yaml", "--state-dir", state(), "--master", url()).exitedWith(0)
        .outContains("[hello-world/0] hello world", "[hello-world/1] hello world", "[hello-world/2] hello world")
        .errContains("3 of 3 completed", "mesos master " + url());
    assertThat(master.finishedTaskIds()).hasSize(3);
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
    assertThat(master.unacknowledgedUpdates()).isEmpty();
    assertThat(master.violations()).isEmpty();
    var fw = master.frameworkInfo().orElseThrow();
    assertThat(fw.getName()).isEqualTo("runner:hello-world");
    assertThat(master.launchedTasks()).allSatisfy(t -> assertThat(t.getLabels().getLabelsList())
        .extracting(l -> l.getKey()).contains("runner.job", "runner.instance", "runner.attempt", "runner.run",
            "runner.file-sha256"));
  }

  @Test
  void masterComesFromTheEnvironmentWhenNoFlagIsGiven() {
    Cli.run(Map.of("MESOS_MASTER", url()), "jobs/hello.yaml", "--state-dir", state(), "--quiet").exitedWith(0)
        .errContains("3 of 3 completed", "mesos master");
  }

  @Test
  void frameworkNameAndRoleFlagsReachTheMaster() {
    Cli.run("jobs/hello.yaml", "--state-dir", state(), "--quiet", "--master", url(), "--framework-name", "nightly", "--role", "*")
        .exitedWith(0);
    assertThat(master.frameworkInfo().orElseThrow().getName()).isEqualTo("nightly");
  }

  @Test
  void aJobThatFailsOnMesosExitsOneAndShowsTheExitCodeAndStderr() throws IOException {
    Path job = tmp.resolve("bad.yaml");
    Files.writeString(job, "name: bad\ncommand: exit 4\ncpus: 0.1\nmem: 16\nretries: 0\n");
    Cli.run(job.toString(), "--state-dir", state(), "--master", url()).exitedWith(1)
        .errContains("bad: FAILED", "exit code 4", "stderr| cannot open input");
  }

  @Test
  void anUnreachableMasterExitsThreeWithAOneLineReason() {
    String dead = url();
    master.close();
    master = null;
    CliResult r = Cli.run("jobs/hello.yaml", "--state-dir", state(), "--quiet", "--master", dead, "--connect-retries", "2").exitedWith(3)
        .noStackTrace();
    assertThat(r.err()).contains("could not run", "cannot reach master");
    assertThat(r.err()).contains("runner: cannot reach master at http://127.0.0.1:")
        .contains("; retry 1 of 1 in 0.5 s");
  }

  @Test
  void badMasterAddressIsAUsageError() {
    Cli.run("jobs/hello.yaml", "--state-dir", state(), "--master", "ftp://x:1").exitedWith(2).errContains("--master").noStackTrace();
  }

  @Test
  void authenticatesWithAPrincipalAndASecretFile() throws IOException {
    master.close();
    master = builder().authentication("runner", "s3cret").build().start();
    master.addAgent(AgentSpec.standard());
    Path secret = tmp.resolve("secret");
    Files.writeString(secret, "s3cret\n");
    CliResult ok = Cli.run("jobs/hello.yaml", "--state-dir", state(), "--quiet", "--master", url(), "--principal", "runner",
        "--secret-file", secret.toString(), "--verbose").exitedWith(0);
    assertThat(ok.out() + ok.err()).doesNotContain("s3cret");
    assertThat(master.frameworkInfo().orElseThrow().getPrincipal()).isEqualTo("runner");

    Files.writeString(secret, "wrong\n");
    Cli.run("jobs/hello.yaml", "--state-dir", state(), "--quiet", "--master", url(), "--principal", "runner", "--secret-file",
        secret.toString()).exitedWith(3).errContains("authentication failed");
  }

  @Test
  void planShowsPlacementsAndShortfallsAndLaunchesNothing() {
    master.addAgent(AgentSpec.standard().withId("").withHostname("tiny").withResources(0.05, 16, 10));
    CliResult r = Cli.run("plan", "jobs/hello.yaml", "--master", url(), "--wait", "5s").exitedWith(0);
    assertThat(r.out()).contains("plan for hello-world", "127.0.0.1", "3 instances", "tiny",
        "none: ", "cpus: asked 0.1", "3 of 3 instances would start now", "nothing launched");
    assertThat(master.launchedTasks()).isEmpty();
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
    assertThat(master.violations()).isEmpty();
  }

  @Test
  void runsThroughZooKeeperAndFollowsALeaderChange() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        TestMaster second = builder().build().start();
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      second.addAgent(AgentSpec.standard());
      client.start();
      String firstNode = client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .forPath("/mesos/json.info_", masterInfo(master.port()));
      client.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/mesos/json.info_", masterInfo(second.port()));
      Path job = tmp.resolve("slow.yaml");
      Files.writeString(job, "name: slow\ncommand: sleep 1\ncpus: 0.1\nmem: 16\ninstances: 2\n");
      // The first leader goes away as soon as the run has subscribed there.
      Thread switcher = new Thread(() -> {
        try {
          master.awaitCall(c -> c.is(Call.Type.SUBSCRIBE) && c.status() == 200, Duration.ofSeconds(30));
          client.delete().forPath(firstNode);
          master.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      switcher.start();
      Cli.run(job.toString(), "--state-dir", state(), "--quiet", "--master", "zk://" + zk.getConnectString() + "/mesos").exitedWith(0)
          .errContains("2 of 2 completed");
      switcher.join(10_000);
      assertThat(second.calls(Call.Type.SUBSCRIBE)).isNotEmpty();
      assertThat(second.calls(Call.Type.TEARDOWN)).hasSize(1);
      assertThat(second.violations()).isEmpty();
      master = null;
    }
  }

  @Test
  void statusAsksTheMasterAboutTheRunsTasksWithoutDisturbingIt() throws Exception {
    master.close();
    master = builder().behaviours(t -> TaskBehaviour.runForever()).build().start();
    master.addAgent(AgentSpec.standard());
    java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> ctrlC = new java.util.concurrent.atomic.AtomicReference<>();
    var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> Cli.run(Map.of(), ctrlC::set, "jobs/hello.yaml",
        "--state-dir", state(), "--master", url()));
    Await.until("three tasks run at the master", Duration.ofSeconds(10), () -> master.runningTaskIds().size() >= 3);
    CliResult status = Cli.run("status", "jobs/hello.yaml", "--state-dir", state(), "--master", url()).exitedWith(0);
    assertThat(status.out()).contains("on the master (framework ", "3 tasks", "3 TASK_RUNNING", "hello-world.0.1.");
    assertThat(master.calls(Call.Type.SUBSCRIBE)).hasSize(1);
    ctrlC.get().accept("SIGINT");
    run.get(60, TimeUnit.SECONDS).exitedWith(130);
    assertThat(master.runningTaskIds()).isEmpty();
  }

  private static byte[] masterInfo(int port) {
    return ("{\"address\":{\"hostname\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},"
        + "\"hostname\":\"127.0.0.1\",\"id\":\"m-" + port + "\",\"ip\":16777343,\"port\":" + port
        + ",\"pid\":\"master@127.0.0.1:" + port + "\",\"version\":\"1.12.0\"}").getBytes();
  }
}
