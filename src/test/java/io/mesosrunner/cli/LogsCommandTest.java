package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner logs} in-process on the local cluster: real runs, real sandbox files. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LogsCommandTest {

  @TempDir Path tmp;

  private String state() {
    return tmp.resolve("state").toString();
  }

  /** Two instances; each one's first attempt fails, the second writes its own lines. */
  private Path retriedJob() throws IOException {
    Path f = tmp.resolve("job.yaml");
    Files.writeString(f, """
        name: two
        command: |
          mark=%s/tried-$RUNNER_INSTANCE
          if [ ! -e "$mark" ]; then touch "$mark"; echo "first try $RUNNER_INSTANCE"; echo "oops $RUNNER_INSTANCE" >&2; exit 1; fi
          echo "out $RUNNER_INSTANCE a"
          echo "out $RUNNER_INSTANCE b"
          echo "err $RUNNER_INSTANCE" >&2
        cpus: 0.1
        mem: 16
        instances: 2
        retries: 1
        """.formatted(tmp));
    return f;
  }

  @Test
  void printsEveryInstancesLatestAttemptTaggedAndOneInstanceAsWritten() throws IOException {
    Path f = retriedJob();
    Cli.run(f.toString(), "--state-dir", state(), "--quiet").exitedWith(0);

    CliResult all = Cli.run("logs", f.toString(), "--state-dir", state()).exitedWith(0);
    assertThat(all.out().lines()).containsExactly("[two/0#2] out 0 a", "[two/0#2] out 0 b", "[two/1#2] out 1 a",
        "[two/1#2] out 1 b");

    Cli.run("logs", "two", "1", "--state-dir", state()).exitedWith(0);
    assertThat(Cli.run("logs", "two", "1", "--state-dir", state()).out()).isEqualTo("out 1 a\nout 1 b\n");
    assertThat(Cli.run("logs", f.toString(), "0", "--stderr", "--state-dir", state()).exitedWith(0).err())
        .isEqualTo("err 0\n");
  }

  @Test
  void attemptsDiffer() throws IOException {
    Path f = retriedJob();
    Cli.run(f.toString(), "--state-dir", state(), "--quiet").exitedWith(0);

    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "1", "--state-dir", state()).exitedWith(0).out())
        .isEqualTo("first try 1\n");
    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "1", "--stderr", "--state-dir", state()).err())
        .isEqualTo("oops 1\n");
    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "2", "--state-dir", state()).out())
        .isEqualTo("out 1 a\nout 1 b\n");
    assertThat(Cli.run("logs", f.toString(), "--attempt", "1", "--state-dir", state()).out().lines())
        .containsExactly("[two/0] first try 0", "[two/1] first try 1");
  }

  @Test
  void namesWhatExistsWhenAskedForWhatDoesNot() throws IOException {
    Path f = retriedJob();
    Cli.run(f.toString(), "--state-dir", state(), "--quiet").exitedWith(0);

    Cli.run("logs", f.toString(), "5", "--state-dir", state()).exitedWith(2)
        .errContains("has no instance 5; it has instances 0 to 1").noStackTrace();
    Cli.run("logs", f.toString(), "0", "--attempt", "3", "--state-dir", state()).exitedWith(2)
        .errContains("instance 0 has no attempt 3; its attempts are 1, 2");
    Cli.run("logs", f.toString(), "--run", "nope", "--state-dir", state()).exitedWith(2)
        .errContains("no run nope of two is kept; the runs kept are ");
    Cli.run("logs", "nosuchjob", "--state-dir", state()).exitedWith(2).errContains("nosuchjob");
  }

  @Test
  void aRemovedSandboxIsSaidToBeGone() throws IOException {
    Path f = retriedJob();
    Cli.run(f.toString(), "--state-dir", state(), "--quiet").exitedWith(0);
    try (Stream<Path> files = Files.walk(tmp.resolve("state").resolve("runs"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Cli.run("logs", f.toString(), "0", "--state-dir", state()).exitedWith(2).errContains("is gone");
  }

  @Test
  void runSelectsAnEarlierRun() throws IOException {
    Path f = retriedJob();
    Cli.run(f.toString(), "--state-dir", state(), "--quiet").exitedWith(0);
    String firstRun = Cli.run("status", f.toString(), "--state-dir", state(), "-o", "json").out()
        .replaceAll("(?s).*\"runId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    // Every mark is there now: the second run's attempts all succeed at once.
    Cli.run(f.toString(), "--state-dir", state(), "--quiet").exitedWith(0);

    assertThat(Cli.run("logs", f.toString(), "1", "--state-dir", state()).exitedWith(0).out())
        .isEqualTo("out 1 a\nout 1 b\n");
    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "2", "--state-dir", state()).exitedWith(2).err())
        .contains("has no attempt 2; its attempts are 1");
    assertThat(Cli.run("logs", f.toString(), "1", "--attempt", "2", "--run", firstRun, "--state-dir", state())
        .exitedWith(0).out()).isEqualTo("out 1 a\nout 1 b\n");
  }

  @Test
  void followPrintsWhatARunningTaskWritesUntilItEnds() throws Exception {
    Path gate = tmp.resolve("gate");
    Path f = tmp.resolve("slow.yaml");
    Files.writeString(f, """
        name: slow
        command: 'echo before; while [ ! -e %s ]; do sleep 0.05; done; echo after; echo last'
        cpus: 0.1
        mem: 16
        """.formatted(gate));
    AtomicReference<CliResult> run = new AtomicReference<>();
    Thread runner = new Thread(() -> run.set(Cli.run(f.toString(), "--state-dir", state(), "--quiet")));
    runner.start();
    Path runs = tmp.resolve("state").resolve("runs");
    Await.until("the task wrote its first line", Duration.ofSeconds(30), () -> {
      if (!Files.isDirectory(runs)) return false;
      try (Stream<Path> s = Files.walk(runs)) {
        return s.filter(p -> p.getFileName().toString().equals("stdout")).anyMatch(p -> {
          try {
            return Files.readString(p).contains("before");
          } catch (IOException e) {
            return false;
          }
        });
      }
    });

    AtomicReference<CliResult> logs = new AtomicReference<>();
    Thread follower = new Thread(() -> logs.set(Cli.run("logs", f.toString(), "0", "-f", "--state-dir", state())));
    follower.start();
    follower.join(1500);
    assertThat(follower.isAlive()).as("logs -f returns only when the task ends").isTrue();

    Files.writeString(gate, "");
    follower.join(30_000);
    runner.join(30_000);
    assertThat(run.get().exitCode()).isEqualTo(0);
    assertThat(logs.get().exitCode()).isEqualTo(0);
    assertThat(logs.get().out()).isEqualTo("before\nafter\nlast\n");
  }
}
