package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar under a real pseudo-terminal ({@code script} from util-linux), where the runner
 * finds out for itself what its streams are connected to and how wide the terminal is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TerminalJarIT {

  @TempDir Path tmp;

  private Path job() throws IOException {
    Path f = tmp.resolve("slow.yaml");
    Files.writeString(f, """
        name: a-job-whose-status-line-is-wider-than-fifty-columns
        command: 'sleep 1; echo done $RUNNER_INSTANCE'
        cpus: 0.1
        mem: 16
        instances: 3
        parallelism: 1
        """);
    return f;
  }

  /** Runs {@code shell} (a sh command line) on a pseudo-terminal; returns what the terminal got. */
  private String onTerminal(String shell, String... env) throws Exception {
    Path typescript = tmp.resolve("typescript");
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", shell, typescript.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(tmp.resolve("script.out").toFile()).redirectErrorStream(true);
    pb.environment().remove("MESOS_MASTER");
    pb.environment().remove("COLUMNS");
    pb.environment().remove("NO_COLOR");
    pb.environment().put("TERM", "xterm");
    for (int i = 0; i + 1 < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
    Process p = pb.start();
    assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
    String seen = Files.readString(typescript, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(seen).isZero();
    return seen;
  }

  private String runner() throws IOException {
    String jar = System.getProperty("runner.jar", "target/runner.jar");
    assertThat(Path.of(jar)).as("the runnable jar (mvn package)").exists();
    return Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + Path.of(jar).toAbsolutePath()
        + " " + job() + " --state-dir " + tmp.resolve("state");
  }

  private static List<String> drawnStatusLines(String terminal) {
    return StatusLines.drawn(terminal);
  }

  @Test
  void theLiveLineFitsTheTerminalsRealWidth() throws Exception {
    // No COLUMNS: the width is the terminal's own, as stty sets it.
    String seen = onTerminal("stty cols 50; " + runner());
    List<String> drawn = drawnStatusLines(seen);
    assertThat(drawn).as(seen).isNotEmpty();
    for (String s : drawn) assertThat(Style.strip(s).length()).as(s).isLessThanOrEqualTo(47);
    assertThat(seen).contains("\033[32msucceeded");
  }

  @Test
  void stderrRedirectedToAFileGetsPlainProgressWithoutCarriageReturns() throws Exception {
    Path log = tmp.resolve("err.log");
    String seen = onTerminal(runner() + " 2>" + log);
    String err = Files.readString(log, StandardCharsets.UTF_8);
    // The runner's own text, the summary too, goes to stderr: plainly, into the log.
    assertThat(err).doesNotContain("\r").doesNotContain("\033").contains("elapsed", "running on the embedded local cluster",
        "a-job-whose-status-line-is-wider-than-fifty-columns: succeeded");
    // Stdout is still the terminal: the tasks' output alone shows there.
    assertThat(seen).contains("[a-job-whose-status-line-is-wider-than-fifty-columns/2] done 2")
        .doesNotContain("succeeded").doesNotContain("\033[K");
  }

  @Test
  void noColorKeepsTheLiveLineButDropsColour() throws Exception {
    String seen = onTerminal(runner(), "NO_COLOR", "1");
    assertThat(seen).contains("\r\033[K", "succeeded").doesNotContain("\033[3").doesNotContain("\033[0m");
  }
}
