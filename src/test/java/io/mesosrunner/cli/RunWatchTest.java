package io.mesosrunner.cli;

import java.time.Duration;
import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Following a run from another terminal: status --watch, status --output json, wait. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunWatchTest {

  @TempDir Path tmp;

  private TestRunDir run;

  @BeforeEach
  void useTempDir() {
    run = new TestRunDir(tmp);
  }

  /** Starts a runner in the background; {@code interrupt} receives its Ctrl-C handler. */
  private CompletableFuture<CliResult> runInBackground(Path job, AtomicReference<Consumer<String>> interrupt) {
    return CompletableFuture.supplyAsync(() -> Cli.run(Map.of(), interrupt::set, job.toString(), "--state-dir", run.state()));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean);
  }

  private void awaitJournal(String jobName) throws InterruptedException {
    await("the journal", () -> {
      try {
        return Files.size(tmp.resolve("state").resolve(jobName).resolve("journal.log")) > 8;
      } catch (IOException e) {
        return false;
      }
    });
  }

  private static final String FLAKY = """
      name: flaky
      command: 'sleep 1; if [ $RUNNER_INSTANCE = 1 ] && [ $RUNNER_ATTEMPT = 1 ]; then exit 7; fi; echo ok'
      cpus: 0.1
      mem: 16
      instances: 2
      """;

  @Test
  void watchShowsTheLiveLineAndTheRetriesAndEndsWithTheSummaryAndTheRunsExitCode() throws Exception {
    Path f = run.job(FLAKY);
    CompletableFuture<CliResult> runner = runInBackground(f, new AtomicReference<>());
    awaitJournal("flaky");
    CliResult watch = Cli.run(Map.of(), Terminal.of(false, true, 100, Map.of()), "status", f.toString(), "--watch",
        "--state-dir", run.state()).exitedWith(0);
    runner.get(60, TimeUnit.SECONDS).exitedWith(0);
    assertThat(Style.strip(watch.err()))
        .contains("runner: following run ", "runner: instance 1 attempt 1 failed (exit 7), retrying in 1s\n");
    assertThat(StatusLines.drawn(watch.err())).anyMatch(l -> Style.strip(l).startsWith("flaky: ") && l.contains("elapsed"));
    assertThat(watch.out()).contains("flaky: succeeded", "instances: 2 of 2 completed", "attempts:  3 (1 failed");
  }

  @Test
  void waitExitsWithTheFailedRunsExitCode() throws Exception {
    Path f = run.job("name: breaks\ncommand: 'sleep 1; exit 7'\ncpus: 0.1\nmem: 16\nretries: 0\n");
    CompletableFuture<CliResult> runner = runInBackground(f, new AtomicReference<>());
    awaitJournal("breaks");
    CliResult wait = Cli.run("wait", f.toString(), "--state-dir", run.state()).exitedWith(1);
    assertThat(wait.out()).startsWith("breaks: run ").contains("failed (exit 1)");
    runner.get(60, TimeUnit.SECONDS).exitedWith(1);
    // An ended run answers at once, as often as asked.
    Cli.run("wait", f.toString(), "--state-dir", run.state(), "--quiet").exitedWith(1);
    assertThat(Cli.run("wait", f.toString(), "--state-dir", run.state(), "-q").out()).isEmpty();
  }

  @Test
  void waitGivesUpAfterItsTimeoutAndThenSeesTheInterruptedRunsCode() throws Exception {
    Path f = run.job("name: long\ncommand: 'sleep 60'\ncpus: 0.1\nmem: 16\n");
    AtomicReference<Consumer<String>> interrupt = new AtomicReference<>();
    CompletableFuture<CliResult> runner = runInBackground(f, interrupt);
    awaitJournal("long");
    long t0 = System.nanoTime();
    Cli.run("wait", f.toString(), "--state-dir", run.state(), "--timeout", "1s").exitedWith(124)
        .errContains("runner: timed out after 1s waiting for run ");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1000);
    await("the runner's interrupt handler", () -> interrupt.get() != null);
    CompletableFuture<CliResult> waiting = CompletableFuture.supplyAsync(
        () -> Cli.run("wait", f.toString(), "--state-dir", run.state()));
    interrupt.get().accept("SIGINT");
    runner.get(60, TimeUnit.SECONDS).exitedWith(130);
    waiting.get(30, TimeUnit.SECONDS).exitedWith(130).outContains("long: run ", "interrupted (exit 130)");
  }

  @Test
  void statusAsJsonSaysWhereTheRunStandsWhileItRunsAndAfter() throws Exception {
    Path f = run.job("name: three\ncommand: 'sleep 2'\ncpus: 0.1\nmem: 16\ninstances: 3\nparallelism: 1\n");
    CompletableFuture<CliResult> runner = runInBackground(f, new AtomicReference<>());
    awaitJournal("three");
    ObjectMapper json = new ObjectMapper();
    JsonNode during = json.readTree(Cli.run("status", f.toString(), "--output", "json", "--state-dir", run.state())
        .exitedWith(0).out());
    assertThat(during.get("state").asText()).isEqualTo("running");
    assertThat(during.get("exitCode").isNull()).isTrue();
    assertThat(during.get("runnerPid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(during.get("job").asText()).isEqualTo("three");
    assertThat(during.get("instanceCount").asInt()).isEqualTo(3);
    assertThat(during.get("running").asInt() + during.get("waiting").asInt() + during.get("completed").asInt())
        .isEqualTo(3);
    runner.get(60, TimeUnit.SECONDS).exitedWith(0);
    JsonNode after = json.readTree(Cli.run("status", f.toString(), "-o", "json", "--state-dir", run.state())
        .exitedWith(0).out());
    assertThat(after.get("state").asText()).isEqualTo("succeeded");
    assertThat(after.get("exitCode").asInt()).isZero();
    assertThat(after.get("runnerPid").isNull()).isTrue();
    assertThat(after.get("completed").asInt()).isEqualTo(3);
    assertThat(after.get("runId").asText()).isEqualTo(during.get("runId").asText());
    assertThat(after.get("instances")).hasSize(3);
    assertThat(after.get("instances").get(0).get("attempts").get(0).get("state").asText()).isEqualTo("TASK_FINISHED");
  }

  @Test
  void aJobWithNoRunIsAUsageError() throws IOException {
    Path f = run.job("name: never\ncommand: 'true'\ncpus: 0.1\nmem: 16\n");
    Cli.run("wait", f.toString(), "--state-dir", run.state()).exitedWith(2).errContains("no run of never is recorded");
    Cli.run("status", f.toString(), "--watch", "--state-dir", run.state()).exitedWith(2);
    Cli.run("status", f.toString(), "--output", "json", "--state-dir", run.state()).exitedWith(2);
    Cli.run("wait", f.toString(), "--timeout", "soon", "--state-dir", run.state()).exitedWith(2)
        .errContains("--timeout: not a duration: 'soon'");
  }
}
