package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    CliResult r = Cli.run("run", job.toString(), "--state-dir", run.state(), "--keep-going");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.FAILED);
    assertThat(r.out()).contains("[branches/d/0] ran d").doesNotContain("ran c");
    assertThat(r.out() + r.err()).contains("skipped: c (needs b, which failed)");
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
}
