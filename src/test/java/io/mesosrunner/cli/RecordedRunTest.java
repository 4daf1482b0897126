package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.StateLock;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run recorded decides what later commands do: a bad master never locks a job, status and
 * kill work from the journal whatever became of the job file, a dead runner is named as such, and
 * the state directory explains itself (to git, and when it cannot be used).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RecordedRunTest {

  @TempDir Path tmp;

  private static final String QUICK = "name: quick\ncommand: 'true'\ncpus: 0.1\nmem: 16\ninstances: 2\n";

  private Path jobFile(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private Path state() {
    return tmp.resolve("state");
  }

  /** An unfinished run of {@code file} as a crashed runner leaves it: one task launched, no update since. */
  private String recordUnfinishedRun(Path file, String cluster, String frameworkId) throws IOException {
    String runId = "0badc0de";
    try (JobStore store = JobStore.open(state(), "quick")) {
      RunJournal journal = store.startNew(new RunStarted(runId, "quick", file.toRealPath().toString(),
          RunFiles.sha256(Files.readAllBytes(file)), null, cluster, System.currentTimeMillis(), 2, QUICK));
      if (frameworkId != null) journal.append(new FrameworkRegistered(frameworkId));
      journal.append(new TaskLaunched("quick.0.1." + runId, 0, 1, "agent-1", "host-1", System.currentTimeMillis()));
    }
    return runId;
  }

  private RunState latest() throws IOException {
    return JobStore.status(state(), "quick").orElseThrow();
  }

  // ------------------------------------------------------------------ 10.1 a wrong --master

  @Test
  void anUnparseableMasterIsRefusedBeforeAnythingIsRecorded() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    Cli.run(job.toString(), "--state-dir", state().toString(), "--master", "not-a-url:::").exitedWith(2)
        .errContains("--master: master address 'not-a-url:::'").noStackTrace();
    Cli.run(Map.of("RUNNER_MASTER", "not-a-url:::"), job.toString(), "--state-dir", state().toString()).exitedWith(2)
        .errContains("RUNNER_MASTER: master address 'not-a-url:::'");
    assertThat(state()).doesNotExist();
    Cli.run(job.toString(), "--state-dir", state().toString(), "-q").exitedWith(0).errContains("2 of 2 completed");
  }

  @Test
  void aRunThatNeverReachedItsMasterDoesNotBlockTheNextRun() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    Cli.run(job.toString(), "--state-dir", state().toString(), "--master", "127.0.0.1:1", "--connect-retries", "1", "-q")
        .exitedWith(3);
    Cli.run(job.toString(), "--state-dir", state().toString()).exitedWith(0)
        .errContains("launched no task", "it ran on http://127.0.0.1:1", "starting a new run")
        .errContains("2 of 2 completed");
  }

  @Test
  void killGivesUpARunWhoseRecordedMasterCannotBeParsedAfterSayingWhatMayBeLeft() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    String runId = recordUnfinishedRun(job, "not-a-url:::", "fw-7");
    Cli.run("kill", job.toString(), "--state-dir", state().toString()).exitedWith(0)
        .errContains("its master 'not-a-url:::' cannot be used", "1 task of framework fw-7 may still run there: quick.0.1." + runId)
        .outContains("gave up run " + runId).noStackTrace();
    assertThat(latest().ended()).isTrue();
    Cli.run("kill", job.toString(), "--state-dir", state().toString()).exitedWith(0).outContains("nothing to kill");
  }

  @Test
  void restartGoesOnWhenTheEarlierRunsMasterIsUnreachable() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    String runId = recordUnfinishedRun(job, "http://127.0.0.1:1", "fw-8");
    Cli.run(job.toString(), "--state-dir", state().toString(), "--restart", "--connect-retries", "1").exitedWith(0)
        .errContains("cannot tear its framework down on http://127.0.0.1:1", "may still run there: quick.0.1." + runId,
            "curl -X POST http://127.0.0.1:1/master/teardown -d frameworkId=fw-8")
        .errContains("2 of 2 completed");
    assertThat(latest().runId()).isNotEqualTo(runId);
    assertThat(latest().started().cluster()).isEqualTo("local");
  }

  // ------------------------------------------------------------------ 10.4 the recorded run, not the file as it is now

  @Test
  void statusAndKillWorkAfterTheJobFileGotATypo() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    String runId = recordUnfinishedRun(job, "local", null);
    Files.writeString(job, QUICK + "comand: oops\n");
    Cli.run("status", job.toString(), "--state-dir", state().toString()).exitedWith(130)
        .outContains("quick: run " + runId + " not attached", "note: " + job + " changed since this run began").noStackTrace();
    Cli.run("kill", job.toString(), "--state-dir", state().toString()).exitedWith(0)
        .outContains("quick: killed 0 task processes left by run " + runId);
    assertThat(latest().ended()).isTrue();
  }

  @Test
  void statusAndKillFindTheRunOfAMovedFileByItsOldPathItsJobNameOrItsStateDirectory() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    String runId = recordUnfinishedRun(job, "local", null);
    Files.move(job, tmp.resolve("elsewhere.yaml"));
    Cli.run("status", job.toString(), "--state-dir", state().toString()).exitedWith(130).outContains("run " + runId);
    Cli.run("status", "quick", "--state-dir", state().toString()).exitedWith(130).outContains("run " + runId);
    Cli.run("status", state().resolve("quick").toString()).exitedWith(130).outContains("run " + runId);
    Cli.run("status", state().toString()).exitedWith(130).outContains("run " + runId);
    Cli.run("kill", "quick", "--state-dir", state().toString()).exitedWith(0).outContains("left by run " + runId);
    Cli.run("status", "nosuchjob", "--state-dir", state().toString()).exitedWith(2)
        .errContains("no job file, job name or state directory called nosuchjob");
  }

  @Test
  void aCopiedFileWithTheSameJobNameIsToldWhichFileOwnsTheRun() throws IOException {
    Path original = jobFile("quick.yaml", QUICK);
    Path copy = jobFile("copy.yaml", QUICK);
    recordUnfinishedRun(original, "local", null);
    String owner = original.toRealPath().toString();
    Cli.run(copy.toString(), "--state-dir", state().toString()).exitedWith(2)
        .errContains("it was started from " + owner + ", not " + copy, "its own --state-dir");
    Cli.run("kill", copy.toString(), "--state-dir", state().toString()).exitedWith(2)
        .errContains("was started from " + owner, "runner kill " + owner);
    assertThat(latest().ended()).isFalse();
    try (JobStore held = JobStore.open(state(), "quick")) {
      Cli.run(copy.toString(), "--state-dir", state().toString()).exitedWith(2)
          .errContains("is already running", "from " + owner + ", a different file with the same job name",
              "runner kill " + owner);
    }
  }

  // ------------------------------------------------------------------ 10.5 a runner that died

  @Test
  void statusSaysNoRunnerIsAttachedWhenItsPidIsGone() throws Exception {
    Path job = jobFile("quick.yaml", QUICK);
    recordUnfinishedRun(job, "local", null);
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Files.writeString(state().resolve("quick").resolve(StateLock.FILE_NAME), gone.pid() + "\n");
    Cli.run("status", job.toString(), "--state-dir", state().toString()).exitedWith(130)
        .outContains("no runner is attached (pid " + gone.pid() + " is gone); run the same command to resume it (runner "
            + job.toRealPath() + ")");
    try (JobStore held = JobStore.open(state(), "quick")) {
      Cli.run("status", job.toString(), "--state-dir", state().toString()).exitedWith(0)
          .outContains(" running (runner pid " + ProcessHandle.current().pid() + ")");
      assertThat(StateLock.holder(state().resolve("quick")).holds()).as("the probe leaves the lock held").isTrue();
    }
  }

  // ------------------------------------------------------------------ 10.10 and 10.14 the state directory

  @Test
  void theDefaultStateDirectoryKeepsItselfOutOfGitStatus() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    assertThat(new ProcessBuilder("git", "init", "-q").directory(repo.toFile()).start().waitFor()).isZero();
    Path job = repo.resolve("quick.yaml");
    Files.writeString(job, QUICK);
    Cli.run(job.toString(), "-q").exitedWith(0);
    assertThat(repo.resolve(".runner/.gitignore")).content().contains("*");
    Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=all").directory(repo.toFile())
        .redirectErrorStream(true).start();
    String listed = new String(status.getInputStream().readAllBytes());
    assertThat(status.waitFor()).isZero();
    assertThat(listed.strip()).isEqualTo("?? quick.yaml");
  }

  @Test
  void aStateDirectoryThatHeldTheUsersFilesGetsNoIgnoreFile() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    Files.createDirectories(state());
    Files.writeString(state().resolve("notes.txt"), "mine");
    Cli.run(job.toString(), "--state-dir", state().toString(), "-q").exitedWith(0);
    assertThat(state().resolve(".gitignore")).doesNotExist();
  }

  @Test
  void anUnusableStateDirectorySaysWhyAndPointsAtStateDir() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    Path file = jobFile("a-file", "");
    Cli.run(job.toString(), "--state-dir", file.resolve("state").toString()).exitedWith(2)
        .errContains("cannot use the state directory " + file.resolve("state") + ": not a directory",
            "choose a writable one with --state-dir DIR (or RUNNER_STATE_DIR)").noStackTrace();
    assertThat(StateDirProblem.reason(new AccessDeniedException("/x/.runner/quick/lock"))).isEqualTo("permission denied");
    assertThat(StateDirProblem.describe(Path.of("/x/.runner"), new AccessDeniedException("/x/.runner/quick/lock")))
        .isEqualTo("cannot use the state directory /x/.runner: permission denied (/x/.runner/quick/lock);"
            + " choose a writable one with --state-dir DIR (or RUNNER_STATE_DIR)");
  }

  @Test
  void runnerStateDirNamesTheStateDirectoryWhenNoFlagDoes() throws IOException {
    Path job = jobFile("quick.yaml", QUICK);
    Path fromEnv = tmp.resolve("from-env");
    Cli.run(Map.of("RUNNER_STATE_DIR", fromEnv.toString()), job.toString(), "-q").exitedWith(0);
    assertThat(JobStore.status(fromEnv, "quick")).isPresent();
    assertThat(tmp.resolve(".runner")).doesNotExist();
    Cli.run(Map.of("RUNNER_STATE_DIR", fromEnv.toString()), "status", "quick").exitedWith(0).outContains("succeeded (exit 0)");
  }

  // ------------------------------------------------------------------ 13.8 stdin and several files

  @Test
  void runDashReadsTheJobFromStdinAndKeepsItsStateUnderTheJobName() throws IOException {
    Cli.withStdin(QUICK, Map.of(), "run", "-", "--state-dir", state().toString(), "-q").exitedWith(0)
        .errContains("2 of 2 completed");
    assertThat(latest().started().jobFile()).isEqualTo("<stdin>");
    Cli.run("status", "quick", "--state-dir", state().toString()).exitedWith(0).outContains("run " + latest().runId());
    Cli.withStdin("name: quick\ncommand: [ ]\n", Map.of(), "-", "--state-dir", state().toString()).exitedWith(2)
        .errContains("<stdin>:2:");
  }

  @Test
  void oneRunTakesOneJobFile() throws IOException {
    Path a = jobFile("a.yaml", QUICK);
    Path b = jobFile("b.yaml", QUICK);
    Cli.run(a.toString(), b.toString(), "--state-dir", state().toString()).exitedWith(2)
        .errContains("one run takes one job file (got 2: " + a + ", " + b + ")", "runner validate " + a + " " + b);
    assertThat(state()).doesNotExist();
  }
}
