package io.mesosrunner.cli;

import io.mesosrunner.cluster.LineEnd;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.job.Command;
import io.mesosrunner.job.Job;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.AttemptEnded;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.testing.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Mesos "nothing fits" warning, on a fake clock: when it speaks, what it says, what resets
 * it, and that the observer it wraps still hears everything. It prints through a real
 * {@link TerminalUi} onto a byte buffer, as the run command wires it.
 */
class NoFitWarningTest {

  private static final String SHORTFALL = "cpus: asked 4, offer has 2";
  private static final String FIRST_WITHOUT_DEADLINE = "runner: warning: no instance of etl fits any offer seen in the"
      + " last 30 s (" + SHORTFALL + "); it waits for the cluster to have room (set a deadline to bound the wait)";

  private final FakeClock clock = new FakeClock();
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
  private final Recording inner = new Recording();

  private record Output(TaskSpec task, OutputStreamKind stream, byte[] line) {}

  /** What the wrapped observer was told, in order. */
  private static final class Recording implements JobRun.Observer {
    final List<Object> calls = new ArrayList<>();

    @Override
    public synchronized void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {
      calls.add(new Output(task, stream, line));
    }

    @Override
    public synchronized void onProgress(Progress progress) {
      calls.add(progress);
    }

    @Override
    public synchronized void onAttemptEnded(AttemptEnded ended) {
      calls.add(ended);
    }
  }

  /** The warning around {@link #inner}; it prints through a quiet terminal UI (which prints nothing else). */
  private NoFitWarning warning(boolean hasDeadline) {
    TerminalUi printer = new TerminalUi(out, err, Terminal.none(),
        new TerminalUi.Options(true, false, Duration.ofSeconds(5)), clock, "etl", 4, 0);
    return new NoFitWarning(inner, printer::warn, clock, "etl", hasDeadline);
  }

  private static Progress stuck() {
    return new Progress(4, 0, 0, 4, 0, 0, SHORTFALL);
  }

  private List<String> warnings() {
    return errBytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** Progress every {@code step} until {@code total} has passed on the clock (the first report now). */
  private void reportFor(NoFitWarning w, Progress p, Duration total, Duration step) {
    for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plus(step)) {
      w.onProgress(p);
      clock.advance(step);
    }
  }

  @Test
  void silentForThirtySecondsThenOneLineWithTheShortfall() {
    NoFitWarning w = warning(false);
    reportFor(w, stuck(), Duration.ofSeconds(30), Duration.ofMillis(200));
    assertThat(warnings()).as("29.8 s stuck").isEmpty();
    w.onProgress(stuck()); // 30 s since the first report of the shortfall
    assertThat(warnings()).containsExactly(FIRST_WITHOUT_DEADLINE);
    assertThat(outBytes.size()).as("nothing on stdout").isZero();
  }

  @Test
  void theFirstLineMayComeLateWhenProgressComesLate() {
    NoFitWarning w = warning(false);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(29));
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(12));
    w.onProgress(stuck());
    assertThat(warnings()).singleElement().asString().contains("in the last 41 s (" + SHORTFALL + ")");
  }

  @Test
  void silentBetweenLinesThenAgainEveryFiveMinutes() {
    NoFitWarning w = warning(false);
    reportFor(w, stuck(), Duration.ofSeconds(30), Duration.ofSeconds(1));
    w.onProgress(stuck());
    assertThat(warnings()).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    reportFor(w, stuck(), Duration.ofMinutes(5).minusSeconds(1), Duration.ofSeconds(1));
    assertThat(warnings()).as("4 min 59 s after the first").hasSize(1);
    w.onProgress(stuck()); // 5 min after the first line, 5 min 30 s stuck
    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(1)).isEqualTo(FIRST_WITHOUT_DEADLINE.replace("last 30 s", "last 330 s"));
    clock.advance(Duration.ofSeconds(10));
    reportFor(w, stuck(), Duration.ofSeconds(290), Duration.ofSeconds(10)); // 340 s to 620 s
    assertThat(warnings()).hasSize(2);
    w.onProgress(stuck()); // 630 s: 5 min after the second line
    assertThat(warnings()).hasSize(3);
    assertThat(warnings().get(2)).contains("in the last 630 s");
  }

  @Test
  void aJobWithADeadlineIsToldItWaitsUntilItsDeadline() {
    NoFitWarning w = warning(true);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(30));
    w.onProgress(stuck());
    assertThat(warnings()).containsExactly("runner: warning: no instance of etl fits any offer seen in the last 30 s ("
        + SHORTFALL + "); it waits for the cluster to have room until its deadline");
  }

  @Test
  void anInstanceRunningStartsTheThirtySecondsAfresh() {
    NoFitWarning w = warning(false);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(25));
    // One instance fitted and runs, the others still fit nothing: the cluster had room.
    w.onProgress(new Progress(4, 0, 1, 3, 0, 1, SHORTFALL));
    clock.advance(Duration.ofSeconds(1));
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(29));
    w.onProgress(stuck());
    assertThat(warnings()).as("29 s stuck since the instance ran").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    w.onProgress(stuck());
    assertThat(warnings()).containsExactly(FIRST_WITHOUT_DEADLINE);
  }

  @Test
  void afterARunningSpellTheNextLineComesThirtySecondsIntoTheNewWaitNotFiveMinutesAfterTheLast() {
    NoFitWarning w = warning(false);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(30));
    w.onProgress(stuck());
    assertThat(warnings()).hasSize(1);
    clock.advance(Duration.ofSeconds(10));
    w.onProgress(new Progress(4, 1, 1, 2, 0, 2, SHORTFALL));
    clock.advance(Duration.ofSeconds(10));
    w.onProgress(new Progress(4, 2, 0, 2, 0, 2, SHORTFALL));
    clock.advance(Duration.ofSeconds(30));
    w.onProgress(new Progress(4, 2, 0, 2, 0, 2, SHORTFALL));
    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(1)).contains("in the last 30 s");
  }

  @Test
  void nothingWaitingStartsTheThirtySecondsAfresh() {
    NoFitWarning w = warning(false);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(20));
    // Every instance ended (a kill, a resume): none waits, whatever the last shortfall was.
    w.onProgress(new Progress(4, 0, 0, 0, 4, 4, SHORTFALL));
    clock.advance(Duration.ofSeconds(1));
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(29));
    w.onProgress(stuck());
    assertThat(warnings()).isEmpty();
  }

  @Test
  void waitsThatAreNoShortfallNeverWarnAndStartTheThirtySecondsAfresh() {
    List<String> notShortfalls = List.of("parallelism (0 running, limit 0)", "backoff after failure (next retry in 3s)",
        "connecting to the cluster", "reconnecting to the cluster", "no offers yet", "waiting for offers", "");
    for (String reason : notShortfalls) {
      NoFitWarning w = warning(false);
      reportFor(w, new Progress(4, 0, 0, 4, 0, 0, reason), Duration.ofMinutes(10), Duration.ofSeconds(5));
      assertThat(warnings()).as(reason).isEmpty();
      // A shortfall, then the reason for a moment, then the shortfall again: the clock started again.
      w.onProgress(stuck());
      clock.advance(Duration.ofSeconds(25));
      w.onProgress(new Progress(4, 0, 0, 4, 0, 0, reason));
      clock.advance(Duration.ofSeconds(1));
      w.onProgress(stuck());
      clock.advance(Duration.ofSeconds(29));
      w.onProgress(stuck());
      assertThat(warnings()).as(reason).isEmpty();
    }
  }

  @Test
  void everyReasonThePlacerGivesIsAShortfall() {
    for (String reason : List.of(SHORTFALL, "mem: asked 4096, best offer has 2048",
        "constraint hostname UNIQUE: all 3 offers' hosts are already used",
        "role data: no offer for this role (offers are for *)", "all offers are used up by other instances")) {
      assertThat(NoFitWarning.isShortfall(reason)).as(reason).isTrue();
    }
  }

  @Test
  void theWrappedObserverHearsEveryCallInOrderIncludingTheProgressThatWarned() {
    NoFitWarning w = warning(false);
    Job job = new Job("etl", Command.shell("true"), 4, 16, 0, 0, 0, 4, 4, 0, null, null, Map.of(), List.of(), "*", null,
        List.of(), null, Map.of());
    TaskSpec task = new TaskSpec("etl.1.1.r1", job, 1, 1, null, Map.of(), Map.of());
    byte[] line = {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, (byte) 0xff};
    AttemptEnded ended = new AttemptEnded(1, 1, "etl.1.1.r1", EndCause.FAILED, TaskState.FAILED, 7, "exit 7",
        Duration.ofSeconds(1));
    Progress first = stuck();
    Progress later = new Progress(4, 0, 0, 4, 1, 1, SHORTFALL);

    w.onProgress(first);
    w.onOutput(task, OutputStreamKind.STDOUT, line, LineEnd.LF);
    w.onOutput(task, OutputStreamKind.STDERR, line, LineEnd.LF);
    w.onAttemptEnded(ended);
    clock.advance(Duration.ofSeconds(30));
    w.onProgress(later);

    assertThat(warnings()).as("the last progress warned").hasSize(1);
    assertThat(inner.calls).hasSize(5);
    assertThat(inner.calls.get(0)).isSameAs(first);
    assertThat(inner.calls.get(1)).isInstanceOfSatisfying(Output.class, o -> {
      assertThat(o.task()).isSameAs(task);
      assertThat(o.stream()).isEqualTo(OutputStreamKind.STDOUT);
      assertThat(o.line()).as("the line's own bytes").isSameAs(line);
    });
    assertThat(inner.calls.get(2)).isInstanceOfSatisfying(Output.class, o -> {
      assertThat(o.task()).isSameAs(task);
      assertThat(o.stream()).isEqualTo(OutputStreamKind.STDERR);
      assertThat(o.line()).isSameAs(line);
    });
    assertThat(inner.calls.get(3)).isSameAs(ended);
    assertThat(inner.calls.get(4)).isSameAs(later);
  }

  @Test
  void withQuietTheLineIsStillShown() {
    // warning(...) prints through a quiet UI: the line is there all the same.
    NoFitWarning w = warning(false);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(30));
    w.onProgress(stuck());
    assertThat(warnings()).hasSize(1);
  }

  @Test
  void onATerminalTheLineIsOneOfItsOwnAndTheStatusLineIsDrawnAgainBelowIt() {
    // As the run command wires it: the UI is the wrapped observer and prints the warning.
    TerminalUi ui = new TerminalUi(out, err, Terminal.of(false, true, 200, Map.of("NO_COLOR", "1")),
        new TerminalUi.Options(false, false, Duration.ofSeconds(5)), clock, "etl", 4, 0);
    NoFitWarning w = new NoFitWarning(ui, ui::warn, clock, "etl", false);
    w.onProgress(stuck());
    clock.advance(Duration.ofSeconds(30));
    w.onProgress(stuck());

    String terminal = errBytes.toString(StandardCharsets.UTF_8);
    String status = "etl: 0/4 done, 0 running, 4 waiting | 30s elapsed | " + SHORTFALL;
    // Drawn, cleared, the warning on a clean line, then the status line again under it.
    assertThat(terminal).endsWith("\r\033[K" + status + "\r\033[K" + FIRST_WITHOUT_DEADLINE + "\n" + status);
    assertThat(terminal).doesNotContain(SHORTFALL + "runner: warning");
    assertThat(StatusLines.drawn(terminal)).last().isEqualTo(status);
  }
}
