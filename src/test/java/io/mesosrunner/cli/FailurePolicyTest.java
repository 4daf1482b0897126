package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run does when instances fail: on_failure / --keep-going, retry_on_exit / no_retry_exit
 * and --retry-failed, in-process on the local cluster and against the Mesos test master.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FailurePolicyTest {

  @TempDir Path tmp;
  private TestMaster master;

  @AfterEach
  void stopMaster() {
    if (master != null) master.close();
  }

  private TestRunDir run;

  @BeforeEach
  void useTempDir() {
    run = new TestRunDir(tmp);
  }

  /** A test master on which instance 1 of every job exits {@code exitCode} and the others finish. */
  private String masterWhereInstanceOneExits(int exitCode) {
    master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).stepDelay(Duration.ofMillis(5))
        .heartbeatInterval(Duration.ofSeconds(2))
        .behaviours(t -> instanceOf(t).equals("1") ? TaskBehaviour.exitAfter(Duration.ofMillis(20), exitCode)
            : TaskBehaviour.finishAfter(Duration.ofMillis(50)).withStdout("ok"))
        .build().start();
    master.addAgent(AgentSpec.standard());
    return master.uri().toString();
  }

  private static String instanceOf(TaskInfo t) {
    return t.getLabels().getLabelsList().stream().filter(l -> l.getKey().equals("runner.instance"))
        .map(l -> l.getValue()).findFirst().orElse("");
  }

  private static final String FAIL_ONE_AND_TWO = """
      name: shards
      command: 'case $RUNNER_INSTANCE in 1|2) exit 7;; esac; echo done $RUNNER_INSTANCE of $RUNNER_INSTANCES'
      cpus: 0.1
      mem: 16
      instances: 4
      parallelism: 1
      retries: 0
      """;

  @Test
  void keepGoingRunsEveryInstanceAndExitsOneNamingEachFailedInstance() throws IOException {
    Path f = run.job(FAIL_ONE_AND_TWO);
    Cli.run(f.toString(), "--state-dir", run.state(), "--keep-going").exitedWith(1)
        .outContains("done 0 of 4", "done 3 of 4").errContains("2 of 4 instances failed (on_failure: continue): 1, 2",
            "instance 1 failed after 1 attempt", "instance 2 failed after 1 attempt");
  }

  @Test
  void withoutKeepGoingTheFirstFailureStopsTheRun() throws IOException {
    Path f = run.job(FAIL_ONE_AND_TWO);
    CliResult r = Cli.run(f.toString(), "--state-dir", run.state()).exitedWith(1).errContains("instance 1 failed 1 time");
    assertThat(r.out()).doesNotContain("done 3 of 4");
  }

  @Test
  void anExitCodeInNoRetryExitIsNotRetried() throws IOException {
    Path f = run.job("""
        name: no-retry
        command: 'echo try; exit 2'
        cpus: 0.1
        mem: 16
        retries: 3
        no_retry_exit: [2]
        """);
    CliResult r = Cli.run(f.toString(), "--state-dir", run.state()).exitedWith(1)
        .errContains("failed with exit code 2, which is not retried (no_retry_exit: [2])", "attempts:  1 (1 failed");
    assertThat(r.out().lines().filter(l -> l.endsWith("] try"))).hasSize(1);
  }

  @Test
  void retryFailedLaunchesOnlyWhatDidNotCompleteAndSaysWhatItSkipped() throws IOException {
    Path mark = tmp.resolve("fixed");
    Path f = run.job("""
        name: flaky
        command: '[ "$RUNNER_INSTANCE" != 1 ] || [ -e "$MARK" ] || exit 7; echo ran $RUNNER_INSTANCE'
        cpus: 0.1
        mem: 16
        instances: 3
        retries: 0
        on_failure: continue
        env:
          MARK: %s
        """.formatted(mark));
    CliResult first = Cli.run(f.toString(), "--state-dir", run.state()).exitedWith(1);
    String firstRun = first.err().lines().filter(l -> l.contains("run id:")).findFirst().orElseThrow()
        .replaceAll(".*run id:\\s*", "");
    Files.writeString(mark, "");

    CliResult second = Cli.run(f.toString(), "--state-dir", run.state(), "--retry-failed").exitedWith(0)
        .outContains("[flaky/1] ran 1")
        .errContains("skipped as already completed: run " + firstRun + ": 0, 2", "retrying run " + firstRun + ": launching 1 of 3 instances");
    assertThat(second.out()).doesNotContain("ran 0").doesNotContain("ran 2");

    Cli.run(f.toString(), "--state-dir", run.state(), "--retry-failed").exitedWith(0)
        .errContains("nothing to retry: all 3 instances completed");
  }

  @Test
  void keepGoingOnMesosLetsTheOthersFinish() throws IOException {
    String url = masterWhereInstanceOneExits(7);
    Path f = run.job("name: shards\ncommand: work\ncpus: 0.1\nmem: 16\ninstances: 3\nretries: 0\n");
    Cli.run(f.toString(), "--state-dir", run.state(), "--master", url, "--keep-going").exitedWith(1)
        .errContains("1 of 3 instances failed (on_failure: continue): 1");
    assertThat(master.finishedTaskIds()).hasSize(2);
    assertThat(master.unacknowledgedUpdates()).isEmpty();
  }

  @Test
  void retryOnExitOnMesosDoesNotRetryACodeItDoesNotList() throws IOException {
    String url = masterWhereInstanceOneExits(4);
    Path f = run.job("name: shards\ncommand: work\ncpus: 0.1\nmem: 16\ninstances: 2\nretries: 3\nretry_on_exit: [75]\n");
    Cli.run(f.toString(), "--state-dir", run.state(), "--master", url).exitedWith(1)
        .errContains("instance 1 failed with exit code 4, which is not retried (retry_on_exit: [75])");
    assertThat(master.launchedTasks()).filteredOn(t -> instanceOf(t).equals("1")).hasSize(1);
  }
}
