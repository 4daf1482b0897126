package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a run prints on terminals and elsewhere: the live line, instance events, tags, colour. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveOutputTest {

  @TempDir Path tmp;

  /** A job that runs long enough for the status line to be drawn a few times. */
  private Path slowJob() throws IOException {
    Path f = tmp.resolve("slow.yaml");
    Files.writeString(f, """
        name: slow-job-with-a-long-name
        command: 'sleep 1; echo done $RUNNER_INSTANCE'
        cpus: 0.1
        mem: 16
        instances: 3
        parallelism: 1
        """);
    return f;
  }

  private String state() {
    return tmp.resolve("state").toString();
  }

  /** What a terminal shows for each redraw of the status line (the text after each clear). */
  private static List<String> drawnStatusLines(String err) {
    return StatusLines.drawn(err);
  }

  @Test
  void theLiveLineOnATerminalIsCutToColumnsAndShowsElapsedTime() throws IOException {
    CliResult r = Cli.run(Map.of(), Terminal.of(false, true, 200, Map.of("COLUMNS", "40")), slowJob().toString(),
        "--state-dir", state()).exitedWith(0);
    List<String> drawn = drawnStatusLines(r.err());
    assertThat(drawn).isNotEmpty();
    // Three columns short: room for the terminal's "^C" echo, which must not wrap the line.
    for (String s : drawn) assertThat(Style.strip(s).length()).as(s).isLessThanOrEqualTo(37);
    // The wait reason is cut off at 40 columns; at 200 the whole line shows.
    CliResult wide = Cli.run(Map.of(), Terminal.of(false, true, 200, Map.of()), slowJob().toString(),
        "--state-dir", state()).exitedWith(0);
    assertThat(drawnStatusLines(wide.err())).anyMatch(s -> s.contains("elapsed"))
        .anyMatch(s -> s.contains("at most 1 run at once (parallelism)"))
        .noneMatch(s -> s.contains("parallelism (1 running"));
    // The live line is cleared before the summary: after the last clear comes the summary, on stderr.
    String afterLastClear = wide.err().substring(wide.err().lastIndexOf("\r\033[K") + 4);
    assertThat(Style.strip(afterLastClear)).startsWith("slow-job-with-a-long-name: succeeded");
  }

  @Test
  void withStderrNotATerminalProgressIsPlainLinesWithoutCarriageReturns() throws IOException {
    // As `runner job.yaml 2>err.log` from a terminal: stdout is one, stderr is a file.
    CliResult r = Cli.run(Map.of(), Terminal.of(true, false, 80, Map.of()), slowJob().toString(),
        "--state-dir", state()).exitedWith(0);
    assertThat(r.err()).doesNotContain("\r").doesNotContain("\033")
        .containsPattern("(?m)^slow-job-with-a-long-name: 0/3 done, \\d running, \\d waiting \\| 0s elapsed");
    assertThat(r.out()).contains("[slow-job-with-a-long-name/2] done 2");
  }

  @Test
  void aRetriedAttemptIsAnnouncedOnStderrAndItsOutputTaggedWithTheAttempt() {
    CliResult r = Cli.run("jobs/retry-timeout.yaml", "--state-dir", state()).exitedWith(0)
        .errContains("runner: instance 0 attempt 1 failed (exit 1), retrying in 1s\n",
            "[retry-timeout/0] attempt 1: upstream not ready")
        .outContains("[retry-timeout/0#2] attempt 2: upstream ready, done");
    assertThat(r.out()).doesNotContain("runner: instance");
  }

  @Test
  void theFinalFailureSaysNoRetriesAreLeft() throws IOException {
    Path f = tmp.resolve("fails.yaml");
    Files.writeString(f, """
        name: fails
        command: 'exit 7'
        cpus: 0.1
        mem: 16
        retries: 1
        """);
    CliResult r = Cli.run(f.toString(), "--state-dir", state()).exitedWith(1)
        .errContains("runner: instance 0 attempt 1 failed (exit 7), retrying in 1s\n",
            "runner: instance 0 attempt 2 failed (exit 7), no retries left\n");
    assertThat(r.err().lines().filter(l -> l.startsWith("runner: instance 0 attempt"))).hasSize(2);
  }

  @Test
  void noPrefixPrintsTaskOutputAsItIs() {
    CliResult r = Cli.run("jobs/hello.yaml", "--no-prefix", "--state-dir", state()).exitedWith(0);
    assertThat(r.out().lines().filter(l -> l.equals("hello world"))).hasSize(3);
    assertThat(r.out()).doesNotContain("[hello-world/");
  }

  @Test
  void statesAreColouredOnTerminalsOnly() {
    CliResult coloured = Cli.run(Map.of(), Terminal.of(true, true, 100, Map.of()), "jobs/hello.yaml",
        "--state-dir", state()).exitedWith(0);
    assertThat(coloured.err()).contains("\033[32msucceeded\033[0m");
    CliResult notTerminals = Cli.run(Map.of(), Terminal.of(false, false, 100, Map.of()), "jobs/hello.yaml",
        "--state-dir", state()).exitedWith(0);
    assertThat(notTerminals.out() + notTerminals.err()).doesNotContain("\033");
  }

  @Test
  void noColorOrADumbTerminalTurnColourOff() {
    CliResult noColor = Cli.run(Map.of(), Terminal.of(true, true, 100, Map.of("NO_COLOR", "1")), "jobs/hello.yaml",
        "--state-dir", state()).exitedWith(0).errContains("hello-world: succeeded");
    assertThat(noColor.out()).doesNotContain("\033");
    assertThat(noColor.err()).doesNotContain("\033[3").contains("\r\033[K");
    CliResult dumb = Cli.run(Map.of(), Terminal.of(true, true, 100, Map.of("TERM", "dumb")), "jobs/hello.yaml",
        "--state-dir", state()).exitedWith(0);
    assertThat(dumb.out() + dumb.err()).doesNotContain("\033").doesNotContain("\r");
  }

  @Test
  void failedSummaryIsColouredRed() throws IOException {
    Path f = tmp.resolve("breaks.yaml");
    Files.writeString(f, "name: breaks\ncommand: 'exit 3'\ncpus: 0.1\nmem: 16\nretries: 0\n");
    CliResult r = Cli.run(Map.of(), Terminal.of(true, true, 100, Map.of()), f.toString(), "--state-dir", state())
        .exitedWith(1);
    assertThat(r.err()).contains("\033[31mFAILED", "\033[31m  instance 0 failed after 1 attempt");
  }
}
