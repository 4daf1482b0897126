package io.mesosrunner.cluster.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster's admin port against real sandboxes and a real process a killed runner left. */
@Timeout(60)
class LocalRunAdminTest {

  @TempDir Path runDir;
  private Process leftover;

  @AfterEach
  void killLeftover() {
    if (leftover != null) leftover.destroyForcibly();
  }

  @Test
  void listsAndKillsTheProcessARunnerLeftInItsSandbox() throws Exception {
    leftover = new ProcessBuilder("sleep", "60").start();
    long started = leftover.toHandle().info().startInstant().orElseThrow().toEpochMilli();
    sandbox("job.0.1.r", leftover.pid() + " " + started);
    sandbox("job.1.1.r", null); // ended: no pid file
    try (ClusterAdmin admin = new LocalRunAdmin(runDir, "r")) {
      assertThat(admin.tasks()).containsExactly(
          new ClusterAdmin.KnownTask("job.0.1.r", "TASK_RUNNING", LocalCluster.AGENT_ID, false));

      ClusterAdmin.TearDown done = admin.tearDown(List.of(task("job.0.1.r", false), task("job.1.1.r", false)));

      assertThat(done).isEqualTo(new ClusterAdmin.TearDown.Done("killed 1 task process left by run r"));
      Await.until("the leftover process ended", Duration.ofSeconds(30), () -> !leftover.isAlive());
      assertThat(admin.tasks()).isEmpty();
    }
  }

  @Test
  void aRecycledPidIsNeitherListedNorKilled() throws Exception {
    leftover = new ProcessBuilder("sleep", "60").start();
    long started = leftover.toHandle().info().startInstant().orElseThrow().toEpochMilli();
    // The file names this pid, but a process that started an hour earlier.
    sandbox("job.0.1.r", leftover.pid() + " " + (started - 3_600_000));
    try (ClusterAdmin admin = new LocalRunAdmin(runDir, "r")) {
      assertThat(admin.tasks()).isEmpty();
      assertThat(admin.tearDown(List.of(task("job.0.1.r", false))))
          .isEqualTo(new ClusterAdmin.TearDown.Done("killed 0 task processes left by run r"));
    }
    assertThat(leftover.isAlive()).isTrue();
  }

  @Test
  void readsATasksOutputFromItsOffsetAndSaysWhenTheSandboxIsGone() throws Exception {
    Path sandbox = sandbox("job.0.1.r", null);
    Files.writeString(sandbox.resolve("stdout"), "one\ntwo\n");
    try (ClusterAdmin admin = new LocalRunAdmin(runDir, "r")) {
      assertThat(new String(admin.readOutput(task("job.0.1.r", true), "stdout", 4), StandardCharsets.UTF_8))
          .isEqualTo("two\n");
      assertThat(admin.readOutput(task("job.0.1.r", true), "stdout", 8)).isEmpty();
      assertThat(admin.readOutput(task("job.0.1.r", true), "stderr", 0)).isNull();
      assertThat(admin.readOutput(task("job.5.1.r", false), "stdout", 0)).as("not written yet").isEmpty();
      assertThat(admin.whyNoOutput(task("job.5.1.r", true), "stdout"))
          .isEqualTo("no stdout of job.5.1.r (attempt 1 of instance 0): its sandbox " + runDir.resolve("job.5.1.r")
              + " is gone (removed, or the run's sandboxes were cleaned up)");
    }
  }

  private Path sandbox(String taskId, String pidFile) throws IOException {
    Path dir = Files.createDirectories(runDir.resolve(taskId));
    if (pidFile != null) Files.writeString(dir.resolve(LocalCluster.PID_FILE), pidFile + "\n");
    return dir;
  }

  private static ClusterAdmin.RecordedTask task(String taskId, boolean settled) {
    return new ClusterAdmin.RecordedTask(taskId, 0, 1, LocalCluster.AGENT_ID, "localhost", settled);
  }
}
