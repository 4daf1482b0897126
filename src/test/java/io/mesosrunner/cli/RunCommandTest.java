package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCommandTest {

  @TempDir Path tmp;

  private TestRunDir run;

  @BeforeEach
  void useTempDir() {
    run = new TestRunDir(tmp);
  }

  @Test
  void runsHelloOnTheLocalClusterWithTaggedOutputAndASummary() {
    CliResult r = Cli.run("jobs/hello.yaml", "--state-dir", run.state()).exitedWith(0)
        .outContains("[hello-world/0] hello world", "[hello-world/1] hello world", "[hello-world/2] hello world")
        .errContains("hello-world: succeeded", "3 of 3 completed")
        .errContains("running on the embedded local cluster");
    assertThat(r.out().lines().filter(l -> l.endsWith("hello world"))).hasSize(3);
  }

  @Test
  void runIsTheDefaultCommandAndRunWorksToo() {
    Cli.run("run", "jobs/hello.yaml", "--state-dir", run.state(), "--quiet").exitedWith(0)
        .errContains("3 of 3 completed");
  }

  @Test
  void quietKeepsOnlyTheSummary() {
    CliResult r = Cli.run("jobs/hello.yaml", "--quiet", "--state-dir", run.state()).exitedWith(0);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("hello-world: succeeded").doesNotContain("[hello-world/");
  }

  @Test
  void failingJobExitsOneAndNamesTheInstanceWithItsExitCodeAndStderr() throws IOException {
    Path f = run.job("""
        name: breaks
        command: 'echo working; echo "boom: disk full" >&2; exit 7'
        cpus: 0.1
        mem: 16
        retries: 0
        """);
    Cli.run(f.toString(), "--state-dir", run.state()).exitedWith(1)
        .errContains("breaks: FAILED", "instance 0 failed after 1 attempt", "exit code 7", "stderr| boom: disk full");
  }

  @Test
  void retriedInstanceSucceedsOnItsSecondAttempt() {
    Cli.run("jobs/retry-timeout.yaml", "--state-dir", run.state()).exitedWith(0)
        .outContains("attempt 2: upstream ready").errContains("attempts:  2 (1 failed, 0 lost");
  }

  @Test
  void reportDescribesEveryInstanceAndAttempt() throws IOException {
    Path report = tmp.resolve("out/run.json");
    Cli.run("jobs/hello.yaml", "--quiet", "--state-dir", run.state(), "--report", report.toString()).exitedWith(0);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("job").asText()).isEqualTo("hello-world");
    assertThat(json.get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(json.get("exitCode").asInt()).isZero();
    assertThat(json.get("fileSha256").asText()).hasSize(64);
    assertThat(json.get("instances")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode inst = json.get("instances").get(i);
      assertThat(inst.get("index").asInt()).isEqualTo(i);
      assertThat(inst.get("state").asText()).isEqualTo("DONE");
      JsonNode att = inst.get("attempts").get(0);
      assertThat(att.get("taskId").asText()).startsWith("hello-world." + i + ".1.");
      assertThat(att.get("state").asText()).isEqualTo("TASK_FINISHED");
      assertThat(att.get("exitCode").asInt()).isZero();
      assertThat(att.get("startedAt").asText()).isNotEmpty();
      assertThat(att.get("endedAt").asText()).isNotEmpty();
      Path sandbox = Path.of(att.get("sandbox").asText());
      assertThat(sandbox.resolve("stdout")).hasContent("hello world");
    }
  }

  @Test
  void junitReportHasOneFailingCasePerFailedInstance() throws IOException {
    Path f = run.job("""
        name: half
        command: test $((RUNNER_INSTANCE % 2)) -eq 0
        cpus: 0.1
        mem: 16
        instances: 4
        retries: 0
        """);
    Path xml = tmp.resolve("junit.xml");
    Cli.run(f.toString(), "--quiet", "--state-dir", run.state(), "--junit", xml.toString()).exitedWith(1);
    String text = Files.readString(xml);
    assertThat(text).contains("<testsuite name=\"half\" tests=\"4\"", "name=\"instance 0\"", "<failure");
  }

  @Test
  void attemptPastItsTimeoutIsKilledAndTheJobFails() throws IOException {
    Path pidFile = tmp.resolve("pid");
    Path f = run.job("""
        name: slow
        command: echo $$ > %s; exec sleep 30
        cpus: 0.1
        mem: 16
        retries: 0
        timeout: 500ms
        """.formatted(pidFile));
    Path report = tmp.resolve("r.json");
    Cli.run(f.toString(), "--quiet", "--state-dir", run.state(), "--report", report.toString()).exitedWith(1)
        .errContains("slow: FAILED", "timed out after");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    JsonNode att = new ObjectMapper().readTree(report.toFile()).get("instances").get(0).get("attempts").get(0);
    assertThat(att.get("cause").asText()).isEqualTo("TIMED_OUT");
    assertThat(att.get("state").asText()).isEqualTo("TASK_KILLED");
  }

  @Test
  void deadlineFailsTheJobAndKillsWhatRuns() throws IOException {
    Path f = run.job("""
        name: late
        command: sleep 30
        cpus: 0.1
        mem: 16
        instances: 2
        deadline: 1s
        """);
    long start = System.nanoTime();
    Cli.run(f.toString(), "--quiet", "--state-dir", run.state()).exitedWith(1).errContains("deadline", "0 of 2");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
  }

  @Test
  void localClusterRefusesFieldsItCannotHonour() throws IOException {
    Path f = run.job("""
        name: boxed
        command: echo hi
        cpus: 0.1
        mem: 16
        container: {image: "alpine:3.20"}
        uris: ["https://example.org/tool.tgz"]
        """);
    Cli.run(f.toString(), "--state-dir", run.state()).exitedWith(2)
        .errContains("the local cluster cannot honour", "container", "--master").noStackTrace();
  }

  @Test
  void invalidJobFileExitsTwoWithEveryErrorPositioned() throws IOException {
    Path f = run.job("""
        name: bad job
        command: echo hi
        cpu: 1
        mem: -5
        """);
    CliResult r = Cli.run(f.toString(), "--state-dir", run.state()).exitedWith(2).noStackTrace();
    assertThat(r.err()).contains(f + ":3:1: unknown field 'cpu' (did you mean 'cpus'?)");
    assertThat(r.err()).contains(f + ":4:6:");
    assertThat(r.err().lines().filter(l -> l.startsWith(f.toString()))).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void missingFileIsAUsageError() {
    Cli.run("does/not/exist.yaml").exitedWith(2).errContains("does/not/exist.yaml").noStackTrace();
  }

  @Test
  void badLocalMemoryIsAUsageError() {
    Cli.run("jobs/hello.yaml", "--local-mem", "lots", "--state-dir", run.state()).exitedWith(2).noStackTrace();
  }

  @Test
  void anUnreachableGraceThatIsNotADurationIsAUsageError() {
    Cli.run("jobs/hello.yaml", "--unreachable-grace", "soon", "--state-dir", run.state()).exitedWith(2)
        .errContains("--unreachable-grace: not a duration: 'soon'").noStackTrace();
  }

  @Test
  void localCpusLimitHowManyRunAtOnce() throws IOException {
    Path f = run.job("""
        name: squeeze
        command: sleep 0.2
        cpus: 1
        mem: 16
        instances: 3
        """);
    Path report = tmp.resolve("r.json");
    Cli.run(f.toString(), "--quiet", "--local-cpus", "1", "--state-dir", run.state(), "--report", report.toString())
        .exitedWith(0);
    // With one cpu the three attempts run one after another: no two overlap.
    JsonNode instances = new ObjectMapper().readTree(report.toFile()).get("instances");
    java.util.List<java.time.Instant[]> spans = new java.util.ArrayList<>();
    for (JsonNode i : instances) {
      JsonNode a = i.get("attempts").get(0);
      spans.add(new java.time.Instant[] {java.time.Instant.parse(a.get("startedAt").asText()),
          java.time.Instant.parse(a.get("endedAt").asText())});
    }
    spans.sort(java.util.Comparator.comparing(s -> s[0]));
    for (int i = 1; i < spans.size(); i++) assertThat(spans.get(i)[0]).isAfterOrEqualTo(spans.get(i - 1)[1]);
  }
}
