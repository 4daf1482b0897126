package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --report}, {@code --junit}, {@code --html} on {@code run}, and {@code runner report}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReportOptionsTest {

  @TempDir Path tmp;

  private TestRunDir run;

  @BeforeEach
  void useTempDir() {
    run = new TestRunDir(tmp);
  }

  @Test
  void anUnwritableReportPathIsAUsageErrorBeforeAnythingRuns() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
    CliResult r = Cli.run("jobs/hello.yaml", "--state-dir", run.state(), "--report", notADir.resolve("r.json").toString(),
        "--html", tmp.toString()).exitedWith(2).noStackTrace()
        .errContains("runner: cannot write --report " + notADir.resolve("r.json"), "runner: cannot write --html " + tmp
            + ": it is a directory");
    assertThat(r.out()).doesNotContain("hello world");
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void aDashWritesTheReportToStdoutAndKeepsEverythingElseOffIt() throws IOException {
    CliResult r = Cli.run("jobs/hello.yaml", "--state-dir", run.state(), "--report", "-").exitedWith(0);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("job").asText()).isEqualTo("hello-world");
    assertThat(json.get("instances")).hasSize(3);
    assertThat(r.err()).contains("[hello-world/0] hello world", "3 of 3 completed");
    assertThat(tmp.resolve("-")).doesNotExist();
    assertThat(Path.of("-")).doesNotExist();
  }

  @Test
  void twoReportsOnStdoutAreRefused() {
    Cli.run("jobs/hello.yaml", "--state-dir", run.state(), "--report", "-", "--junit", "-").exitedWith(2)
        .errContains("only one report can go to standard output");
  }

  @Test
  void jsonJunitAndHtmlReportsAllGetMode0644() throws IOException {
    Path out = tmp.resolve("out");
    Cli.run("jobs/hello.yaml", "--quiet", "--state-dir", run.state(), "--report", out.resolve("r.json").toString(),
        "--junit", out.resolve("r.xml").toString(), "--html", out.resolve("r.html").toString()).exitedWith(0);
    for (String f : new String[] {"r.json", "r.xml", "r.html"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f)))).as(f).isEqualTo("rw-r--r--");
    }
  }

  @Test
  void junitCountsOnlyTheFailedInstanceAsAFailureWithItsStderrAndSkipsTheKilledAndTheNeverLaunched()
      throws IOException {
    Path f = run.job("""
        name: stops
        command: 'if [ "$RUNNER_INSTANCE" = 0 ]; then echo "shard 0: input truncated" >&2; exit 3; fi; sleep 30'
        cpus: 0.1
        mem: 16
        instances: 4
        parallelism: 2
        retries: 0
        """);
    Path xml = tmp.resolve("junit.xml");
    Cli.run(f.toString(), "--quiet", "--state-dir", run.state(), "--junit", xml.toString()).exitedWith(1);
    String junit = Files.readString(xml);
    assertThat(junit).contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"3\"");
    assertThat(junit).containsPattern("name=\"instance 0\"[^>]*><failure message=\"failed after 1 attempt, last "
        + "TASK_FAILED exit code 3\">[^<]*last lines of stderr of stops\\.0\\.1\\.[0-9a-f]+:\nshard 0: input truncated\n");
    assertThat(junit).containsPattern("name=\"instance [123]\"[^>]*><skipped message=\"killed when the run ended failed");
    assertThat(junit).containsPattern("name=\"instance [23]\"[^>]*><skipped message=\"never launched: the run ended failed");
  }

  @Test
  void reportRebuildsTheReportsFromTheJournal() throws IOException {
    Path f = run.job("""
        name: shards
        command: 'if [ "$RUNNER_INSTANCE" = 1 ]; then echo "shard 1: input truncated" >&2; exit 3; fi; echo ok'
        cpus: 0.1
        mem: 16
        instances: 3
        retries: 1
        """);
    Path live = tmp.resolve("live.json");
    Cli.run(f.toString(), "--quiet", "--state-dir", run.state(), "--report", live.toString()).exitedWith(1);
    Path rebuilt = tmp.resolve("rebuilt.json");
    Path html = tmp.resolve("rebuilt.html");
    Cli.run("report", f.toString(), "--state-dir", run.state(), "--report", rebuilt.toString(), "--html", html.toString())
        .exitedWith(0);
    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(live.toFile());
    JsonNode b = m.readTree(rebuilt.toFile());
    for (String field : new String[] {"runId", "job", "outcome", "attempts", "completed", "failed", "exitCode"}) {
      assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
    }
    JsonNode lastOfFailed = b.get("instances").get(1).get("attempts").get(1);
    assertThat(lastOfFailed.get("agentId").asText()).isNotBlank();
    assertThat(lastOfFailed.get("stderrTail").get(0).asText()).isEqualTo("shard 1: input truncated");
    assertThat(b.get("utilisation").size()).isPositive();
    assertThat(b.get("cpusPerTask").asDouble()).isEqualTo(0.1);
    assertThat(Files.readString(html)).contains("id=\"s-attempts\">" + a.get("attempts").asInt() + "<");

    Cli.run("report", f.toString(), "--state-dir", run.state()).exitedWith(0)
        .outContains("shards: FAILED", "instance 1 failed after 2 attempts", "stderr| shard 1: input truncated");
    Cli.run("report", f.toString(), "--state-dir", run.state(), "--run", "nope").exitedWith(2)
        .errContains("no run nope of shards", "runs kept: " + a.get("runId").asText());
    Cli.run("report", "jobs/hello.yaml", "--state-dir", run.state()).exitedWith(2).errContains("hello-world: no run recorded");
  }
}
