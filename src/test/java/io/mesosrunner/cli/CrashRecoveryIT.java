package io.mesosrunner.cli;

import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner killed with SIGKILL at random points, then started again with the same command:
 * every instance completes exactly once in the runner's accounting, nothing is left running, and
 * on Mesos no completed instance is ever run twice (running tasks are adopted, not relaunched).
 */
class CrashRecoveryIT {

  private static final int KILLS = Integer.getInteger("crash.kills", 20);

  @TempDir Path tmp;
  private final Random random = new Random(Long.getLong("crash.seed", 20261125L));

  private Process start(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("runner.jar", "target/runner.jar")));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("runner.log").toFile()));
    pb.environment().remove("MESOS_MASTER");
    return pb.start();
  }

  /**
   * Kills the runner {@link #KILLS} times at random moments, then lets a last run finish; returns
   * its exit code. The jobs hold more work (40 s and 37 s at their parallelism) than KILLS windows
   * of at most {@code maxMs} can finish, so every start resumes the same run.
   */
  private int crashAndFinish(List<String> args, Path journal, int minMs, int maxMs) throws Exception {
    int kills = 0;
    while (kills < KILLS) {
      long journalBefore = Files.exists(journal) ? Files.size(journal) : -1;
      Process p = start(args);
      long wait = minMs + random.nextInt(maxMs - minMs);
      if (kills % 2 == 1) {
        // Every other kill comes a random moment after this start first wrote to the journal, so
        // that kills land in the middle of the work even when a loaded machine starts JVMs slowly.
        Await.until("the start writes to the journal or exits", Duration.ofSeconds(30),
            () -> !p.isAlive() || (Files.exists(journal) ? Files.size(journal) : -1) != journalBefore);
        wait = random.nextInt(maxMs - minMs);
      }
      if (p.waitFor(wait, TimeUnit.MILLISECONDS)) {
        // It ended on its own: the job must be long enough to be killed KILLS times, or the next
        // start would begin a new run and the test would prove nothing about resuming.
        assertThat(p.exitValue()).as("a run that ended before it was killed %d times", KILLS).isNotZero();
        continue;
      }
      p.toHandle().destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      kills++;
    }
    Process last = start(args);
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(tmp.resolve("runner.log"))).isTrue();
    return last.exitValue();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void localRunKilledAtRandomPointsCompletesEveryInstanceOnce() throws Exception {
    Path job = tmp.resolve("crashy.yaml");
    Files.writeString(job, """
        name: crashy
        command: 'echo "$RUNNER_INSTANCE $RUNNER_ATTEMPT" >> %s; sleep 2'
        cpus: 0.1
        mem: 16
        instances: 60
        parallelism: 3
        """.formatted(tmp.resolve("starts.log")));
    Path state = tmp.resolve("state");
    Path report = tmp.resolve("report.json");
    int exit = crashAndFinish(List.of(job.toString(), "--quiet", "--state-dir", state.toString(), "--report",
        report.toString()), JobStore.jobDir(state, "crashy").resolve(RunJournal.FILE_NAME), 300, 1500);

    assertThat(exit).as(Files.readString(tmp.resolve("runner.log"))).isZero();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("completed").asInt()).isEqualTo(60);
    RunState run = JobStore.status(state, "crashy").orElseThrow();
    assertThat(run.completedCount()).isEqualTo(60);
    assertThat(run.instances()).allSatisfy(i -> assertThat(i.completed()).isTrue());
    // Every instance ran at least once; none is left running anywhere.
    Map<String, Integer> starts = new HashMap<>();
    for (String line : Files.readAllLines(tmp.resolve("starts.log"))) starts.merge(line.split(" ")[0], 1, Integer::sum);
    assertThat(starts).hasSize(60);
    try (Stream<Path> pidFiles = Files.find(state.resolve("runs"), 3, (p, a) -> p.endsWith(".runner-pid"))) {
      for (Path f : pidFiles.toList()) {
        long pid = Long.parseLong(Files.readString(f).trim().split(" ")[0]);
        assertThat(RunnerJarIT.running(pid)).as("task process %d from %s", pid, f).isFalse();
      }
    }
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void mesosRunKilledAtRandomPointsAdoptsRunningTasksAndNeverRunsAnInstanceTwice() throws Exception {
    try (TestMaster master = TestMaster.builder().allocationInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofSeconds(1)).stepDelay(Duration.ofMillis(5))
        .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(1000 + (t.getTaskId().getValue().hashCode() & 0x3ff))))
        .build().start()) {
      master.addAgent(AgentSpec.standard());
      Path job = tmp.resolve("remote.yaml");
      Files.writeString(job, "name: remote\ncommand: work\ncpus: 0.5\nmem: 64\ninstances: 50\nparallelism: 2\n");
      Path state = tmp.resolve("state");
      int exit = crashAndFinish(List.of(job.toString(), "--quiet", "--master", master.uri().toString(), "--state-dir",
          state.toString()), JobStore.jobDir(state, "remote").resolve(RunJournal.FILE_NAME), 400, 1500);

      assertThat(exit).as(Files.readString(tmp.resolve("runner.log"))).isZero();
      RunState run = JobStore.status(state, "remote").orElseThrow();
      assertThat(run.completedCount()).isEqualTo(50);
      // The master's view: every instance index finished by exactly one task, each task once.
      Map<Integer, Integer> finishedPerInstance = new HashMap<>();
      master.finishedCounts().forEach((task, n) -> {
        assertThat(n).as("finishes of %s", task).isEqualTo(1);
        String[] parts = task.split("\\.");
        finishedPerInstance.merge(Integer.parseInt(parts[1]), 1, Integer::sum);
      });
      assertThat(finishedPerInstance).hasSize(50).allSatisfy((i, n) -> assertThat(n).as("instance %d", i).isEqualTo(1));
      assertThat(master.runningTaskIds()).isEmpty();
      assertThat(master.unacknowledgedUpdates()).isEmpty();
      assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
      // Once the run's framework is registered, every later SUBSCRIBE resumes it. (A runner killed
      // between SUBSCRIBED and its journal write registers afresh next time; the framework it
      // leaves behind never launched a task, since launches are journaled after it.) The test
      // master numbers frameworks in the order of the SUBSCRIBEs that registered them (no id).
      List<String> ids = master.calls(Call.Type.SUBSCRIBE).stream().filter(c -> c.status() == 200)
          .map(c -> c.call().orElseThrow().getSubscribe().getFrameworkInfo().getId().getValue()).toList();
      String fid = run.frameworkId();
      int registration = Integer.parseInt(fid.substring(fid.lastIndexOf('-') + 1));
      int first = -1;
      for (int i = 0, fresh = 0; i < ids.size() && first < 0; i++) {
        if (ids.get(i).isEmpty() && fresh++ == registration) first = i;
      }
      assertThat(first).as("the SUBSCRIBE that registered %s among %s", fid, ids).isGreaterThanOrEqualTo(0);
      assertThat(ids.subList(first + 1, ids.size())).as("SUBSCRIBEs after %s was registered", fid)
          .allSatisfy(id -> assertThat(id).isEqualTo(fid));
    }
  }
}
