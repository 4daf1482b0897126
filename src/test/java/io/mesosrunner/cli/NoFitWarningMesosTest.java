package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.testing.Await;
import io.mesosrunner.testing.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "nothing fits" warning end to end: the command line in-process against the Mesos test
 * master, whose only agent is too small for the job, on a fake clock that the test moves (no
 * real 30 s wait). The live status line, drawn at each progress report with the fake elapsed
 * time, tells the test that the run has seen each step of the clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoFitWarningMesosTest {

  private static final Pattern WARNING = Pattern.compile(
      "runner: warning: no instance of too-big fits any offer seen in the last (\\d+) s \\((cpus: asked 4, [^)]*offer has 2)\\);"
          + " it waits for the cluster to have room \\(set a deadline to bound the wait\\)");

  @TempDir Path tmp;
  private TestMaster master;
  private final FakeClock clock = new FakeClock();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final AtomicReference<Consumer<String>> ctrlC = new AtomicReference<>();

  @AfterEach
  void stopMaster() {
    if (ctrlC.get() != null) ctrlC.get().accept("SIGINT");
    if (master != null) master.close();
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  private List<String> warnings() {
    // Split at newlines only: the live line's carriage returns are part of what was drawn.
    return java.util.Arrays.stream(err().split("\n")).filter(l -> l.contains("runner: warning"))
        .map(l -> l.substring(l.indexOf("runner: warning"))).toList();
  }

  /** Moves the fake clock to {@code elapsed} since the run began and waits until the run reported progress at it. */
  private void moveTo(Duration elapsed, Duration[] now) throws InterruptedException {
    clock.advance(elapsed.minus(now[0]));
    now[0] = elapsed;
    String shown = "| " + StatusLine.duration(elapsed) + " elapsed";
    Await.until("a status line at " + shown, Duration.ofSeconds(20),
        () -> StatusLines.drawn(err()).stream().anyMatch(s -> s.contains(shown)));
  }

  @Test
  void aJobNoAgentCanHoldIsWarnedAboutAfterThirtySecondsThenEveryFiveMinutesAndGoesOnWaiting() throws Exception {
    // Heartbeats every 10 min: the subscription's silence check reads the same fake clock.
    master = TestMaster.builder().allocationInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMinutes(10))
        .build().start();
    master.addAgent(AgentSpec.standard()); // 2 cpus
    Path job = tmp.resolve("too-big.yaml");
    Files.writeString(job, "name: too-big\ncommand: 'true'\ncpus: 4\nmem: 16\ninstances: 2\n");

    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("MESOS_MASTER");
    env.remove("RUNNER_MASTER");
    env.remove("RUNNER_STATE_DIR");
    env.put("NO_COLOR", "1");
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    // stderr plays a wide terminal: the live status line is drawn there at each report.
    CliContext ctx = new CliContext(out, err, env, clock, Terminal.of(false, true, 300, Map.of("NO_COLOR", "1")),
        ctrlC::set, java.io.InputStream.nullInputStream());
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(ctx, job.toString(),
        "--state-dir", tmp.resolve("state").toString(), "--master", master.uri().toString()));

    Await.until("the runner declined an offer too small for the job", Duration.ofSeconds(30),
        () -> !master.calls(Call.Type.DECLINE).isEmpty());
    Duration[] now = {Duration.ZERO};
    for (int s = 1; s < 30; s++) {
      moveTo(Duration.ofSeconds(s), now);
      assertThat(warnings()).as("%d s on the clock", s).isEmpty();
    }
    // The shortfall was first reported at 0 to 2 s on the clock (the report that follows the decline).
    for (int s = 30; s <= 33 && warnings().isEmpty(); s++) moveTo(Duration.ofSeconds(s), now);
    Await.until("the first warning", Duration.ofSeconds(20), () -> !warnings().isEmpty());
    assertThat(warnings()).hasSize(1);
    Matcher first = WARNING.matcher(warnings().get(0));
    assertThat(first.matches()).as(warnings().get(0)).isTrue();
    assertThat(Integer.parseInt(first.group(1))).isBetween(30, 33);
    Duration firstAt = now[0];
    // On a line of its own: never glued to the status line drawn before it.
    assertThat(err()).contains("\r\033[K" + warnings().get(0) + "\n");

    // Silence for the next 5 minutes, then the second line; the run still waits for room.
    for (Duration t = firstAt.plusSeconds(10); t.compareTo(firstAt.plus(NoFitWarning.AGAIN)) < 0; t = t.plusSeconds(10)) {
      moveTo(t, now);
      assertThat(warnings()).as("%s on the clock", t).hasSize(1);
    }
    for (int i = 0; i < 3 && warnings().size() < 2; i++) moveTo(firstAt.plus(NoFitWarning.AGAIN).plusSeconds(i), now);
    Await.until("the second warning", Duration.ofSeconds(20), () -> warnings().size() == 2);
    Matcher second = WARNING.matcher(warnings().get(1));
    assertThat(second.matches()).as(warnings().get(1)).isTrue();
    assertThat(Integer.parseInt(second.group(1))).isBetween(330, 335);
    assertThat(run).isNotDone();
    assertThat(master.launchedTasks()).isEmpty();

    ctrlC.getAndSet(null).accept("SIGINT");
    assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(130);
  }
}
