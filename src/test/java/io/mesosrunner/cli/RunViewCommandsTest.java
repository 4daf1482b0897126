package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.StateLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that reads a run says the same of it: state, exit code, counts (one read model,
 * {@code RunView}), for runs written here as their journals would be.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunViewCommandsTest {

  private static final long T = 1_700_000_000_000L;

  @TempDir Path tmp;

  private Path state() {
    return tmp.resolve("state");
  }

  private void journal(String job, List<JournalRecord> records) throws Exception {
    try (RunJournal j = RunJournal.open(JobStore.jobDir(state(), job))) {
      j.append(records);
    }
  }

  private static RunStarted started(String runId, String job, int instances) {
    return new RunStarted(runId, job, job + ".yaml", "ab".repeat(32), null, "local", T, instances, null);
  }

  /** A run of 1000 instances: 0-2 completed, 3 and 17-19 failed, 20-21 running, the rest not launched. */
  private static List<JournalRecord> bigRun(String runId) {
    List<JournalRecord> r = new ArrayList<>();
    r.add(started(runId, "big", 1000));
    for (int i : new int[] {0, 1, 2, 3, 17, 18, 19, 20, 21}) {
      String task = "big." + i + ".1." + runId;
      r.add(new TaskLaunched(task, i, 1, "agent", "host", T + 10));
      if (i <= 2) {
        r.add(new TaskStateChanged(task, "FINISHED", 0, null, null, T + 500));
        r.add(new InstanceCompleted(i, task, T + 500));
      } else if (i <= 19) {
        r.add(new InstanceFailed(i, "instance " + i + " failed 1 time (exit 7)", T + 600));
        r.add(new TaskStateChanged(task, "FAILED", 7, null, "FAILED", T + 600));
      }
    }
    return r;
  }

  @Test
  void statusSummarisesABigRunWithInstanceRangesNotALinePerInstance() throws Exception {
    journal("big", bigRun("r1"));
    CliResult status = Cli.run("status", "big", "--state-dir", state().toString());
    // No runner attached: the run is not over and can be resumed (130, as wait says).
    status.exitedWith(130).outContains("big: run r1 not attached (exit 130)", "failed:    3, 17-19 (4)",
        "unsettled: 20, 21 (2)", "instances: 3 of 1000 completed", "  instance 17 failed 1 time (exit 7)");
    assertThat(status.out().lines().count()).as(status.out()).isLessThan(20);
    assertThat(Cli.run("wait", "big", "--state-dir", state().toString()).exitCode()).isEqualTo(130);
    assertThat(Cli.run("status", "big", "-o", "json", "--state-dir", state().toString()).exitedWith(130).out())
        .contains("\"state\" : \"not attached\"", "\"exitCode\" : 130");
  }

  @Test
  void aLiveRunIsRunningInStatusAndInItsReportsWithNoExitCodeYet() throws Exception {
    journal("big", bigRun("r2"));
    // This JVM holds the job's lock: a live runner is attached.
    try (StateLock lock = StateLock.acquire(JobStore.jobDir(state(), "big"))) {
      long me = ProcessHandle.current().pid();
      Cli.run("status", "big", "--state-dir", state().toString()).exitedWith(0)
          .outContains("big: run r2 running (runner pid " + me + ")");
      Cli.run("report", "big", "--state-dir", state().toString()).exitedWith(0).outContains("big: running\n");
      assertThat(Cli.run("report", "big", "--state-dir", state().toString(), "--report", "-").exitedWith(0).out())
          .contains("\"state\" : \"running\"", "\"exitCode\" : null", "\"endedAt\" : null");
      assertThat(Cli.run("report", "big", "--state-dir", state().toString(), "--html", "-").exitedWith(0).out())
          .contains(">running</span>", "id=\"s-exit\">none yet (running)<");
      Cli.run("wait", "big", "--state-dir", state().toString(), "--timeout", "300ms").exitedWith(124);
    }
  }

  @Test
  void waitWithoutARunIdDoesNotAnswerForAnEndedRunWhileARunnerStartsTheNext() throws Exception {
    journal("small", List.of(started("old", "small", 1), new RunEnded("SUCCEEDED", "all 1 instances completed", T + 5)));
    try (StateLock lock = StateLock.acquire(JobStore.jobDir(state(), "small"))) {
      // A runner holds the job and has not written the exit code of run old: it starts a new run.
      Cli.run("wait", "small", "--state-dir", state().toString(), "--timeout", "500ms").exitedWith(124)
          .errContains("timed out");
      // Named by its id, the ended run answers at once.
      Cli.run("wait", "small", "--run", "old", "--state-dir", state().toString()).exitedWith(0)
          .outContains("small: run old succeeded (exit 0)");
    }
    Cli.run("wait", "small", "--state-dir", state().toString()).exitedWith(0);
    Cli.run("wait", "small", "--run", "nope", "--state-dir", state().toString()).exitedWith(2)
        .errContains("no run nope", "runs kept: old");
  }

  @Test
  void aRunThatCouldNotReachItsMasterCouldNotRunInEveryCommand() throws Exception {
    Path job = tmp.resolve("unreachable.yaml");
    java.nio.file.Files.writeString(job, "name: unreachable\ncommand: 'true'\ncpus: 0.1\nmem: 16\n");
    String dir = state().toString();
    Cli.run(job.toString(), "--state-dir", dir, "--master", "http://127.0.0.1:1", "--connect-retries", "1")
        .exitedWith(3).errContains("unreachable: could not run");
    Cli.run("status", job.toString(), "--state-dir", dir).exitedWith(3).outContains(" could not run (exit 3)");
    assertThat(Cli.run("status", job.toString(), "-o", "json", "--state-dir", dir).exitedWith(3).out())
        .contains("\"state\" : \"could not run\"", "\"exitCode\" : 3");
    Cli.run("wait", job.toString(), "--state-dir", dir).exitedWith(3).outContains("could not run (exit 3)");
    Cli.run("report", job.toString(), "--state-dir", dir).exitedWith(0).outContains("unreachable: could not run");
  }
}
