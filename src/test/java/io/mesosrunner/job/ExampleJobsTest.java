package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example jobs load with the values the docs promise, and their commands really do what they say. */
class ExampleJobsTest {

  private final JobLoader loader = new JobLoader(Map.of());

  private record Run(int exit, String out, String err) {}

  /** Runs one instance's command the way the local cluster would: sh -c or argv, with the RUNNER_ variables. */
  private static Run run(Job job, int instance, int attempt) throws Exception {
    List<String> argv = job.command().isShell() ? List.of("/bin/sh", "-c", job.command().shell())
        : job.command().argv();
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(argv));
    Map<String, String> env = builder.environment();
    env.putAll(job.env());
    env.put("RUNNER_JOB", job.name());
    env.put("RUNNER_INSTANCE", String.valueOf(instance));
    env.put("RUNNER_INSTANCES", String.valueOf(job.instances()));
    env.put("RUNNER_ATTEMPT", String.valueOf(attempt));
    for (int p = 0; p < job.ports(); p++) env.put("PORT" + p, String.valueOf(31000 + p));
    if (job.ports() > 0) env.put("PORT", "31000");
    Process process = builder.start();
    process.getOutputStream().close();
    assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("%s finished in time", job.name()).isTrue();
    return new Run(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private Job load(String name) throws JobFileException {
    Path file = Path.of("jobs", name);
    try {
      return loader.parse(file.toString(), java.nio.file.Files.readAllBytes(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Timeout(10)
  void helloRunsEchoThreeTimesWithTinyResources() throws Exception {
    Job job = load("hello.yaml");
    assertThat(job.name()).isEqualTo("hello-world");
    assertThat(job.command()).isEqualTo(Command.shell("echo hello world"));
    assertThat(job.cpus()).isEqualTo(0.1);
    assertThat(job.memMb()).isEqualTo(32);
    assertThat(job.instances()).isEqualTo(3);
    assertThat(run(job, 0, 0)).isEqualTo(new Run(0, "hello world\n", ""));
  }

  @Test
  @Timeout(20)
  void fanOutGivesEachOfEightShardsItsOwnSlice() throws Exception {
    Job job = load("fan-out.yaml");
    assertThat(job.instances()).isEqualTo(8);
    assertThat(job.parallelism()).isEqualTo(4);
    assertThat(job.command().isShell()).isFalse();
    for (int shard = 0; shard < 8; shard++) {
      Run run = run(job, shard, 0);
      int first = shard * 100;
      assertThat(run).isEqualTo(new Run(0, "shard " + shard + " of 8: processed items " + first + ".."
          + (first + 99) + " (100 items)\n", ""));
    }
  }

  @Test
  @Timeout(10)
  void retryTimeoutFailsItsFirstAttemptAndSucceedsOnTheRetry() throws Exception {
    Job job = load("retry-timeout.yaml");
    assertThat(job.retries()).isEqualTo(2);
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(30));
    // Attempts count from 1, as in task ids.
    Run first = run(job, 0, 1);
    assertThat(first.exit()).isEqualTo(1);
    assertThat(first.err()).contains("attempt 1: upstream not ready");
    assertThat(run(job, 0, 2)).isEqualTo(new Run(0, "attempt 2: upstream ready, done\n", ""));
  }

  @Test
  @Timeout(10)
  void failsOnPurposeExitsThreeWithAnErrorOnStderr() throws Exception {
    Job job = load("fails-on-purpose.yaml");
    assertThat(job.retries()).isEqualTo(1);
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(run(job, 0, attempt)).isEqualTo(
          new Run(3, "loading batch 42\n", "error: input /data/batch-42.csv not found\n"));
    }
  }

  @Test
  @Timeout(10)
  void withPortsAsksForTwoPortsAndPrintsThem() throws Exception {
    Job job = load("with-ports.yaml");
    assertThat(job.ports()).isEqualTo(2);
    assertThat(job.diskMb()).isEqualTo(10);
    assertThat(run(job, 1, 0)).isEqualTo(
        new Run(0, "instance 1 of with-ports would listen on 31000 (admin on 31001)\n", ""));
  }

  /** Loaded here; run end to end by {@code cli.PipelineRunTest} (it needs the local cluster). */
  @Test
  void nightlyIsAPipelineOfFourStepsWithASixWayMatrix() throws Exception {
    Path file = Path.of("jobs", "nightly.yaml");
    Pipeline p = loader.parsePipeline(file.toString(), java.nio.file.Files.readAllBytes(file));
    assertThat(p.steps()).extracting(Step::name).containsExactly("extract", "transform", "audit", "report");
    assertThat(p.steps()).extracting(Step::size).containsExactly(4, 6, 1, 1);
    assertThat(p.step("transform").matrixOf(4)).containsEntry("REGION", "us").containsEntry("SHARD", "1");
    assertThat(p.step("transform").job().cpus()).isEqualTo(1.0);
    assertThat(p.step("audit").job().retries()).isEqualTo(2);
    assertThat(p.step("report").outputs()).containsExactly("summary.html", "logs/*.txt");
  }

  @Test
  void everyExampleIsCoveredHere() throws Exception {
    Map<String, Boolean> covered = new HashMap<>();
    try (var files = java.nio.file.Files.list(Path.of("jobs"))) {
      files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> covered.put(f.getFileName().toString(), true));
    }
    assertThat(covered.keySet()).containsExactlyInAnyOrder(
        "hello.yaml", "fan-out.yaml", "retry-timeout.yaml", "fails-on-purpose.yaml", "with-ports.yaml", "nightly.yaml");
  }
}
