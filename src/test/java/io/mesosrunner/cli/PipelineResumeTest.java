package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunState;
import io.mesosrunner.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline interrupted inside a step is resumed: completed steps and instances never run again. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineResumeTest {

  @TempDir Path tmp;

  private Path log() {
    return tmp.resolve("starts.log");
  }

  private String state() {
    return tmp.resolve("state").toString();
  }

  private long lines() throws IOException {
    return Files.exists(log()) ? Files.readAllLines(log()).size() : 0;
  }

  @Test
  void anInterruptedPipelineResumesWithoutRunningCompletedStepsOrInstancesAgain() throws Exception {
    Path job = tmp.resolve("job.yaml");
    Files.writeString(job, """
        name: staged
        command: 'echo "$RUNNER_STEP $RUNNER_INSTANCE $RUNNER_ATTEMPT" >> %s'
        cpus: 0.1
        mem: 16
        steps:
          a:
            instances: 2
          b:
            needs: [a]
            instances: 2
            command: 'echo "$RUNNER_STEP $RUNNER_INSTANCE $RUNNER_ATTEMPT" >> %s; test $RUNNER_INSTANCE = 0 || test -f %s || exec sleep 30'
          c:
            needs: [b]
        """.formatted(log(), log(), tmp.resolve("marker")));
    AtomicReference<Consumer<String>> handler = new AtomicReference<>();
    CompletableFuture<CliResult> first = CompletableFuture.supplyAsync(
        () -> Cli.run(Map.of(), handler::set, job.toString(), "--state-dir", state()));
    Await.until("a and b/0 recorded as completed, b/1 running", Duration.ofSeconds(60),
        () -> lines() >= 4
            && JobStore.status(Path.of(state()), "staged").map(RunState::completedCount).orElse(0) >= 3);
    handler.get().accept("SIGINT");
    first.get(60, TimeUnit.SECONDS).exitedWith(130);

    Files.writeString(tmp.resolve("marker"), "go");
    Cli.run(job.toString(), "--state-dir", state()).exitedWith(0)
        .errContains("resuming run", "3 of 5 instances already completed", "5 of 5 completed");
    List<String> starts = Files.readAllLines(log());
    assertThat(starts).containsExactlyInAnyOrder("a 0 1", "a 1 1", "b 0 1", "b 1 1", "b 1 2", "c 0 1");
  }
}
