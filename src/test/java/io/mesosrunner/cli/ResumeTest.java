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
    Cli.run("status", job.toString(), "--state-dir", state()).exitedWith(0).outContains("no run recorded");
    interruptedRun(job).exitedWith(130);
    CliResult status = Cli.run("status", job.toString(), "--state-dir", state()).exitedWith(0);
    assertThat(status.out()).contains("resumable").contains("2");
  }

  @Test
  void killMarksAnInterruptedRunEndedSoTheNextRunStartsAfresh() throws Exception {
    Path job = job(4);
    interruptedRun(job).exitedWith(130);
    Cli.run("kill", job.toString(), "--state-dir", state()).exitedWith(0).outContains("left by run");
    Cli.run("kill", job.toString(), "--state-dir", state()).exitedWith(0).outContains("nothing to kill");
    Files.writeString(tmp.resolve("marker"), "go");
    Cli.run(job.toString(), "--state-dir", state()).exitedWith(0).errContains("4 of 4 completed");
    assertThat(Files.readAllLines(log())).hasSize(8);
  }
}
