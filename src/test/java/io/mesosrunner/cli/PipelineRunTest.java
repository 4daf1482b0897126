package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines run in-process on the local cluster: order, matrix, skipping, --keep-going, outputs, --retry-failed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineRunTest {

  @TempDir Path tmp;
  private TestRunDir run;

  @BeforeEach
  void useTempDir() {
    run = new TestRunDir(tmp);
  }

  /** The one run directory of the pipeline under the state directory. */
  private Path runDir(String name) throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of(run.state(), "runs"))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(name + "-")).findFirst().orElseThrow();
    }
  }

  @Test
  void theNightlyExampleRunsItsStepsInDependencyOrderAndKeepsTheReportsOutputs() throws IOException {
    CliResult r = Cli.run("run", "jobs/nightly.yaml", "--state-dir", run.state());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
    String out = r.out();
    assertThat(out).contains("[nightly/extract/3] extracted shard 3 of 4 (2 lines)")
        .contains("[nightly/transform/5] transformed region us shard 2 (instance 5 of step transform)")
        .contains("[nightly/audit/0] audit of run ");
    int lastExtract = out.lastIndexOf("[nightly/extract/");
    assertThat(out.indexOf("[nightly/transform/")).isGreaterThan(lastExtract);
    assertThat(out.indexOf("[nightly/audit/")).isGreaterThan(lastExtract);
    assertThat(r.err()).contains("12 of 12");
    Path outputs = runDir("nightly").resolve("outputs").resolve("report").resolve("0");
    assertThat(Files.readString(outputs.resolve("summary.html"))).contains("<h1>nightly: run ");
    assertThat(Files.readString(outputs.resolve("logs/report.txt"))).isEqualTo("report written by nightly/report\n");

    CliResult one = Cli.run("logs", "jobs/nightly.yaml", "transform", "4", "--state-dir", run.state());
    assertThat(one.exitCode()).as(one.err()).isEqualTo(ExitCode.OK);
    assertThat(one.out()).isEqualTo("transformed region us shard 1 (instance 4 of step transform)\n");
    CliResult step = Cli.run("logs", "jobs/nightly.yaml", "extract", "--state-dir", run.state());
    assertThat(step.out()).contains("[nightly/extract/0] extracted shard 0 of 4").contains("[nightly/extract/3]")
        .doesNotContain("transform");
    CliResult typo = Cli.run("logs", "jobs/nightly.yaml", "transfrom", "--state-dir", run.state());
    assertThat(typo.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err()).contains("nightly has no step 'transfrom' (did you mean 'transform'?)");
  }

  @Test
  void planShowsTheStepsInDependencyOrderAndWhatTheOffersTakeOfTheReadyOnes() {
    CliResult r = Cli.run("plan", "jobs/nightly.yaml", "--state-dir", run.state(), "--local-cpus", "2");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("  steps in dependency order: extract (4 instances, ready at the start), transform"
        + " (6 instances, after extract), audit (1 instance, after extract), report (1 instance, after transform and audit)")
        .contains("4 of 4 instances would start now of the steps ready at the start (extract); nothing launched");
  }

  @Test
  void keepGoingRunsIndependentBranchesAndSkipsWhatNeedsTheFailedStep() throws IOException {
    Path job = run.job("""
        name: branches
        command: echo ran $RUNNER_STEP
        cpus: 0.1
        mem: 32
        retries: 0
        steps:
          a: {}
          b:
            needs: [a]
            command: exit 3
          c:
            needs: [b]
          d:
            needs: [a]
        """);
    Path json = tmp.resolve("r.json");
    Path junit = tmp.resolve("r.xml");
    Path html = tmp.resolve("r.html");
    CliResult r = Cli.run("run", job.toString(), "--state-dir", run.state(), "--keep-going", "--report", json.toString(),
        "--junit", junit.toString(), "--html", html.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.FAILED);
    assertThat(r.out()).contains("[branches/d/0] ran d").doesNotContain("ran c");
    assertThat(r.err()).contains("skipped: c (needs b, which failed)")
        .contains("steps:     a 1/1, b 0/1 failed, c 0/1 skipped (needs b, which failed), d 1/1")
        .contains("instance b/0 failed after 1 attempt");
    var steps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("steps");
    assertThat(steps).hasSize(4);
    assertThat(steps.get(2).get("name").asText()).isEqualTo("c");
    assertThat(steps.get(2).get("state").asText()).isEqualTo("SKIPPED");
    assertThat(steps.get(2).get("reason").asText()).isEqualTo("needs b, which failed");
    assertThat(steps.get(1).get("state").asText()).isEqualTo("FAILED");
    assertThat(steps.get(3).get("first").asInt()).isEqualTo(3);
    String xml = Files.readString(junit);
    assertThat(xml).contains("<testsuites name=\"branches\"").contains("<testsuite name=\"branches.d\" tests=\"1\"")
        .contains("<skipped message=\"step skipped: needs b, which failed\"");
    assertThat(Files.readString(html)).contains("<svg class=\"pipeline\"").contains("data-state=\"SKIPPED\"")
        .contains("<svg class=\"lanes\"");
  }

  @Test
  void withoutKeepGoingAFailedStepStopsThePipeline() throws IOException {
    Path job = run.job("""
        name: stops
        command: echo ran $RUNNER_STEP
        cpus: 0.1
        mem: 32
        retries: 0
        steps:
          a:
            command: exit 3
          b:
            needs: [a]
        """);
    CliResult r = Cli.run("run", job.toString(), "--state-dir", run.state());
    assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(r.out()).doesNotContain("ran b");
    assertThat(r.out() + r.err()).contains("step a: instance 0 failed");
  }

  @Test
  void aLaterStepFetchesAnEarlierStepsOutputWithNoSetup() throws IOException {
    Path job = run.job("""
        name: handover
        cpus: 0.1
        mem: 32
        steps:
          make:
            instances: 2
            command: echo "part $RUNNER_INSTANCE" > part.csv
            outputs: [part.csv]
          use:
            needs: [make]
            command: cat part.csv
            uris: [outputs/make/1/part.csv]
        """);
    CliResult r = Cli.run("run", job.toString(), "--state-dir", run.state());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("[handover/use/0] part 1");
  }

  @Test
  void aMissingDeclaredOutputFailsTheAttemptAndAGlobMatchingNothingOnlyWarns() throws IOException {
    Path job = run.job("""
        name: missing
        cpus: 0.1
        mem: 32
        retries: 1
        steps:
          s:
            command: "true"
            outputs: [result.txt]
          g:
            command: "true"
            outputs: ["logs/*.txt"]
        """);
    Path report = tmp.resolve("report.json");
    CliResult r = Cli.run("run", job.toString(), "--state-dir", run.state(), "--keep-going", "--report",
        report.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
    String json = Files.readString(report);
    assertThat(json).contains("Missing declared output 'result.txt'").contains("output 'logs/*.txt' matched nothing");
    assertThat(r.out() + r.err()).contains("instance s/0 attempt 2 failed (TASK_FAILED: Missing declared output 'result.txt'");
  }

  @Test
  void retryFailedRunsOnlyTheFailedMatrixInstanceAndWhatWasSkipped() throws IOException {
    Path ok = tmp.resolve("ok");
    Path job = run.job("""
        name: retry
        cpus: 0.1
        mem: 32
        retries: 0
        env: {OK: %s}
        steps:
          m:
            matrix:
              X: [a, b, c]
            command: 'if [ "$X" = b ] && [ ! -f "$OK" ]; then exit 4; fi; echo ran $X'
          after:
            needs: [m]
            command: echo after
        """.formatted(ok));
    CliResult first = Cli.run("run", job.toString(), "--state-dir", run.state(), "--keep-going");
    assertThat(first.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(first.out()).contains("ran a").contains("ran c").doesNotContain("[retry/after/0]");
    Files.writeString(ok, "");
    CliResult second = Cli.run("run", job.toString(), "--state-dir", run.state(), "--retry-failed");
    assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCode.OK);
    assertThat(second.out()).contains("[retry/m/1] ran b").contains("[retry/after/0] after")
        .doesNotContain("ran a").doesNotContain("ran c");
  }

  @Test
  void aPipelineRunsOnTheMesosTestMasterStepAfterStepWithStepLabelsAndEnvironment() throws IOException {
    try (TestMaster master = TestMaster.builder().allocationInterval(Duration.ofMillis(50))
        .stepDelay(Duration.ofMillis(5)).heartbeatInterval(Duration.ofSeconds(2))
        .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(30)).withStdout("ok"))
        .build().start()) {
      master.addAgent(AgentSpec.standard());
      Path job = run.job("""
          name: onmesos
          command: echo ok
          cpus: 0.1
          mem: 32
          steps:
            a:
              instances: 2
            b:
              needs: [a]
              matrix:
                X: [p, q]
            c:
              needs: [b]
          """);
      CliResult r = Cli.run("run", job.toString(), "--state-dir", run.state(), "--master", master.uri().toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
      List<TaskInfo> launched = master.launchedTasks();
      List<String> ids = launched.stream().map(t -> t.getTaskId().getValue().replaceAll("\\.[a-z0-9]+$", "")).toList();
      assertThat(ids).containsExactly("onmesos.a.0.1", "onmesos.a.1.1", "onmesos.b.0.1", "onmesos.b.1.1", "onmesos.c.0.1");
      TaskInfo q = launched.get(3);
      assertThat(q.getLabels().getLabelsList()).anyMatch(l -> l.getKey().equals("runner.step") && l.getValue().equals("b"));
      assertThat(q.getCommand().getEnvironment().getVariablesList())
          .anyMatch(v -> v.getName().equals("X") && v.getValue().equals("q"))
          .anyMatch(v -> v.getName().equals("RUNNER_STEP") && v.getValue().equals("b"));
      assertThat(master.finishedCounts().values()).allMatch(n -> n == 1);
      assertThat(master.violations()).isEmpty();
    }
  }
}
