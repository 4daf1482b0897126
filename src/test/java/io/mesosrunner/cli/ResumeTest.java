package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunState;
import io.mesosrunner.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs are journaled: an interrupted run is resumed, a changed file is refused, status and kill read the journal. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ResumeTest {

  @TempDir Path tmp;

  private Path log() {
    return tmp.resolve("starts.log");
  }

  /** Instances 0 and 1 finish at once; 2 and 3 wait until the marker file exists. */
  private Path job(int instances) throws IOException {
    Path f = tmp.resolve("job.yaml");
    Files.writeString(f, """
        name: resumable
        command: 'echo "$RUNNER_INSTANCE $RUNNER_ATTEMPT" >> %s; test $RUNNER_INSTANCE -lt 2 || test -f %s || exec sleep 30'
        cpus: 0.1
        mem: 16
        instances: %d
        """.formatted(log(), tmp.resolve("marker"), instances));
    return f;
  }

  private String state() {
    return tmp.resolve("state").toString();
  }

  /** Starts a run, waits until every instance started, then plays Ctrl-C. */
  private CliResult interruptedRun(Path job) throws Exception {
    AtomicReference<Consumer<String>> handler = new AtomicReference<>();
    CompletableFuture<CliResult> run = CompletableFuture.supplyAsync(
        () -> Cli.run(Map.of(), handler::set, job.toString(), "--state-dir", state()));
    Await.until("every instance started", Duration.ofSeconds(30), () -> lines() >= 4);
    Await.until("instances 0 and 1 recorded as completed", Duration.ofSeconds(30),
        () -> JobStore.status(Path.of(state()), "resumable").map(RunState::completedCount).orElse(0) >= 2);
    handler.get().accept("SIGINT");
    return run.get(60, TimeUnit.SECONDS);
  }

  private long lines() throws IOException {
    return Files.exists(log()) ? Files.readAllLines(log()).size() : 0;
  }

  @Test
  void anInterruptedRunIsResumedWithoutRunningCompletedInstancesAgain() throws Exception {
    Path job = job(4);
    interruptedRun(job).exitedWith(130).errContains("resumable: interrupted");
    Files.writeString(tmp.resolve("marker"), "go");
    Path report = tmp.resolve("r.json");
    Cli.run(job.toString(), "--state-dir", state(), "--report", report.toString()).exitedWith(0)
        .errContains("resuming run", "2 of 4 instances already completed", "4 of 4 completed");

    List<String> starts = Files.readAllLines(log());
    assertThat(starts).containsExactlyInAnyOrder("0 1", "1 1", "2 1", "3 1", "2 2", "3 2");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    String firstRunId = json.get("runId").asText();
    assertThat(json.get("instances").get(2).get("attempts")).hasSize(2);
    assertThat(json.get("instances").get(2).get("attempts").get(1).get("taskId").asText())
        .isEqualTo("resumable.2.2." + firstRunId);

    // The run ended: the next command starts a new run.
    Cli.run(job.toString(), "--state-dir", state(), "--quiet").exitedWith(0);
    assertThat(Files.readAllLines(log())).hasSize(10);
  }

  @Test
  void aChangedJobFileIsNotResumedUnlessRestartIsGiven() throws Exception {
    Path job = job(4);
    interruptedRun(job).exitedWith(130);
    Files.writeString(job, Files.readString(job).replace("instances: 4", "instances: 3"));
    Cli.run(job.toString(), "--state-dir", state()).exitedWith(2)
        .errContains("cannot resume run", "the job file changed", "instances: 4 -> 3", "--restart").noStackTrace();
    Files.writeString(tmp.resolve("marker"), "go");
    Cli.run(job.toString(), "--state-dir", state(), "--restart").exitedWith(0)
        .errContains("3 of 3 completed");
  }

  @Test
  void statusShowsTheLatestRunFromItsJournal() throws Exception {
    Path job = job(4);
    // As wait and logs: a job that never ran has nothing to show (exit 2).
    Cli.run("status", job.toString(), "--state-dir", state()).exitedWith(2).errContains("no run of resumable is recorded");
    interruptedRun(job).exitedWith(130);
    // The status's exit code is the run's: interrupted, 130, and the same command resumes it.
    CliResult status = Cli.run("status", job.toString(), "--state-dir", state()).exitedWith(130);
    assertThat(status.out()).contains("resumable: run ", " interrupted (exit 130)", "run the same command to resume it");
  }

  @Test
  void killMarksAnInterruptedRunEndedSoTheNextRunStartsAfresh() throws Exception {
    Path job = job(4);
    interruptedRun(job).exitedWith(130);
    Cli.run("kill", job.toString(), "--state-dir", state()).exitedWith(0).outContains("left by run", " killed");
    // Killed, in every command's words and with one exit code.
    Cli.run("status", job.toString(), "--state-dir", state()).exitedWith(137).outContains(" killed (exit 137)");
    Cli.run("wait", job.toString(), "--state-dir", state()).exitedWith(137).outContains(" killed (exit 137)");
    assertThat(Cli.run("status", job.toString(), "-o", "json", "--state-dir", state()).exitedWith(137).out())
        .contains("\"state\" : \"killed\"", "\"exitCode\" : 137");
    Cli.run("report", job.toString(), "--state-dir", state()).exitedWith(0).outContains("resumable: killed");
    Cli.run("kill", job.toString(), "--state-dir", state()).exitedWith(0).outContains("nothing to kill");
    Files.writeString(tmp.resolve("marker"), "go");
    Cli.run(job.toString(), "--state-dir", state()).exitedWith(0).errContains("4 of 4 completed");
    assertThat(Files.readAllLines(log())).hasSize(8);
  }

  @Test
  void aResumedRunsSummaryAndItsReportsAgreeAndKeepTheAttemptsBeforeTheInterruption() throws Exception {
    Path job = job(4);
    interruptedRun(job).exitedWith(130);
    Files.writeString(tmp.resolve("marker"), "go");
    Path json = tmp.resolve("run.json");
    CliResult resumed = Cli.run(job.toString(), "--state-dir", state(), "--report", json.toString()).exitedWith(0);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode atEnd = mapper.readTree(json.toFile());
    JsonNode rebuilt = mapper.readTree(Cli.run("report", job.toString(), "--state-dir", state(), "--report", "-")
        .exitedWith(0).out());
    // Instances 0 and 1 finished before the interruption: their attempts and times are kept.
    for (JsonNode report : List.of(atEnd, rebuilt)) {
      JsonNode first = report.get("instances").get(0).get("attempts");
      assertThat(first).as("attempts of instance 0 in %s", report).hasSize(1);
      assertThat(first.get(0).get("endedAt").isNull()).isFalse();
    }
    for (String field : List.of("state", "exitCode", "attempts", "completed", "failed", "wallSeconds", "startedAt", "endedAt")) {
      assertThat(atEnd.get(field)).as(field).isEqualTo(rebuilt.get(field));
    }
    String attemptsLine = resumed.err().lines().filter(l -> l.startsWith("  attempts:")).findFirst().orElseThrow();
    Cli.run("report", job.toString(), "--state-dir", state()).exitedWith(0).outContains(attemptsLine);
  }
}
