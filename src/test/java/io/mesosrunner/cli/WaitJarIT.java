package io.mesosrunner.cli;

import java.time.Duration;
import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner wait} on a run whose runner (the jar, a separate process) dies without a word. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitJarIT {

  @TempDir Path tmp;

  @Test
  void waitSaysSoWhenTheRunnerIsGoneWithoutEndingTheRun() throws Exception {
    Path job = tmp.resolve("long.yaml");
    Files.writeString(job, "name: long\ncommand: 'echo started; sleep 5'\ncpus: 0.1\nmem: 16\n");
    String state = tmp.resolve("state").toString();
    String jar = System.getProperty("runner.jar", "target/runner.jar");
    assertThat(Path.of(jar)).as("the runnable jar (mvn package)").exists();
    Process runner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        job.toString(), "--state-dir", state).redirectOutput(tmp.resolve("out").toFile())
        .redirectError(tmp.resolve("err").toFile()).start();
    Await.until("the task starts", Duration.ofSeconds(60),
        () -> Files.readString(tmp.resolve("out")).contains("[long/0] started"));
    Cli.run("wait", job.toString(), "--state-dir", state, "--timeout", "300ms").exitedWith(124);
    runner.destroyForcibly(); // SIGKILL: no summary, no exit code kept, the journal says RUNNING
    assertThat(runner.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Cli.run("wait", job.toString(), "--state-dir", state).exitedWith(130)
        .errContains("no runner is attached to run ", "(pid " + runner.pid() + " is gone)",
            "run the same command to resume it")
        .outContains("long: run ", "not attached (exit 130)");
    // status exits with the state's code, as wait does (README, "Run states").
    assertThat(Cli.run("status", job.toString(), "-o", "json", "--state-dir", state).exitedWith(130).out())
        .contains("\"state\" : \"not attached\"", "\"exitCode\" : 130");
  }
}
