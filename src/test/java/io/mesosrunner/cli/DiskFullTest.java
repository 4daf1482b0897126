package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory on a real, small file system (a tmpfs the test mounts; CI runs as root)
 * that fills up under a run: one line naming the journal and why, exit 4, nothing left running,
 * and once there is room the same command resumes the run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DiskFullTest {

  @TempDir Path tmp;

  private Path mounted;

  private static int sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted == null) return;
    // The runner's task processes may still be leaving the sandboxes ("device busy") for a moment
    // after it returned; a lazy unmount detaches the tmpfs at once if they take longer than that.
    try {
      io.mesosrunner.testing.Await.until("the tmpfs unmounted", java.time.Duration.ofSeconds(10),
          () -> sh("umount", mounted.toString()) == 0);
    } catch (AssertionError busy) {
      sh("umount", "-l", mounted.toString());
    }
  }

  @Test
  void aFullDiskStopsTheRunWithOneLineAndTheSameCommandResumesItOnceThereIsRoom() throws Exception {
    Path state = tmp.resolve("state");
    Files.createDirectories(state);
    assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", state.toString()) == 0,
        "mounting a tmpfs needs root (CI runs as root)");
    mounted = state;
    Path job = tmp.resolve("many.yaml");
    Files.writeString(job, "name: many\ncommand: 'true'\ncpus: 0.01\nmem: 32\ninstances: 1500\nparallelism: 20\n");
    CliResult full = Cli.run(job.toString(), "--state-dir", state.toString(), "-q");
    full.exitedWith(4).noStackTrace()
        .errContains("runner: cannot write the run journal " + state.resolve("many").resolve("journal.log")
            + ": No space left on device; stopped launching and killed the tasks it had launched")
        .errContains("many: journal not written");
    assertThat(full.err().lines().filter(l -> l.contains("cannot write the run journal")).count()).isEqualTo(1);
    Cli.run("status", "many", "--state-dir", state.toString()).outContains("many: run ");
    assertThat(Cli.run("status", "many", "--state-dir", state.toString()).out()).doesNotContain(" running");
    assertThat(sh("mount", "-o", "remount,size=16m", state.toString())).isZero();
    String runId = full.err().lines().filter(l -> l.startsWith("  run id:")).findFirst().orElseThrow();
    // The same run, resumed (-q leaves out the line that says so): same id, every instance completed.
    Cli.run(job.toString(), "--state-dir", state.toString(), "-q").exitedWith(0)
        .errContains(runId, "many: succeeded", "1500 of 1500 completed");
  }
}
