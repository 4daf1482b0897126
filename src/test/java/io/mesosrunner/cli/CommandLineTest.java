package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {

  @Test
  void validateAcceptsEveryExampleJob() {
    CliResult r = Cli.run("validate", "jobs/hello.yaml", "jobs/fan-out.yaml", "jobs/retry-timeout.yaml",
        "jobs/fails-on-purpose.yaml", "jobs/with-ports.yaml").exitedWith(0);
    assertThat(r.out().lines()).hasSize(5).allMatch(l -> l.contains(": ok ("));
    assertThat(r.out()).contains("jobs/hello.yaml: ok (hello-world: 3 instances of 'echo hello world', 0.1 cpus, 32 MiB each)");
  }

  @Test
  void validateReportsEveryBadFileAndExitsTwo() throws IOException {
    java.nio.file.Path bad = java.nio.file.Files.createTempFile("bad", ".yaml");
    java.nio.file.Files.writeString(bad, "name: x\ncommand: [ ]\ncpus: lots\nmem: 1\n");
    Cli.run("validate", "jobs/hello.yaml", bad.toString()).exitedWith(2)
        .outContains("jobs/hello.yaml: ok")
        .errContains(bad + ":3:7: cpus must be a number", "1 of 2 files are invalid").noStackTrace();
  }

  @Test
  void schemaPrintsTheJsonSchemaOfJobFiles() throws IOException {
    CliResult r = Cli.run("schema").exitedWith(0);
    JsonNode schema = new ObjectMapper().readTree(r.out());
    assertThat(schema.get("properties").has("cpus")).isTrue();
    assertThat(schema.get("required").toString()).contains("name");
    // A single job (no steps) needs its command; a pipeline's steps carry theirs.
    assertThat(schema.get("properties").has("steps")).isTrue();
    assertThat(schema.get("allOf").toString()).contains("\"then\":{\"required\":[\"command\"");
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : new String[] {"run", "validate", "schema", "status", "kill", "plan", "completion"}) {
      Cli.run(cmd, "--help").exitedWith(0).outContains("Usage: runner " + cmd);
    }
    Cli.run("--help").exitedWith(0).outContains("Exit codes", "validate", "schema");
  }

  @Test
  void noArgumentsIsAUsageErrorThatPrintsUsageOnStderr() {
    CliResult r = Cli.run().exitedWith(2).errContains("Usage:", "runner [run] JOBFILE");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMisspeltCommandIsNotTakenForAJobFile() {
    Cli.run("vaildate", "x.yaml").exitedWith(2)
        .errContains("'vaildate' is neither a command nor a job file; did you mean: runner validate x.yaml").noStackTrace();
    Cli.run("stauts").exitedWith(2).errContains("did you mean: runner status");
  }

  @Test
  void anUnknownOptionComesWithTheOptionItMostLikelyMeant() {
    Cli.run("jobs/hello.yaml", "--reprot", "r.json").exitedWith(2)
        .errContains("unknown option --reprot for runner run; did you mean --report?", "Try 'runner run --help'");
    Cli.run("status", "hello-world", "--state-dri", "x").exitedWith(2).errContains("did you mean --state-dir?");
    Cli.run("kill", "hello-world", "--master", "x").exitedWith(2).errContains("unknown option --master for runner kill");
  }

  @Test
  void helpFitsEightyColumnsAndItsSynopsisNamesEveryCommand() {
    CommandLine all = Main.commandLine(new CliContext(System.out, System.err, Map.of(), Clock.systemUTC(), false,
        CliContext.SignalHook.NONE));
    String help = Cli.run("--help").exitedWith(0).out();
    for (String command : all.getSubcommands().keySet()) {
      if (command.equals("help")) continue;
      assertThat(help).as("the synopsis names %s", command).containsPattern("(?m)^  runner (\\[)?" + command + "\\b");
      String sub = Cli.run(command, "--help").exitedWith(0).out();
      assertThat(sub.lines()).as("runner %s --help", command).allMatch(l -> l.length() <= 80);
      // Each line of a description is one phrase: picocli must not have had to wrap it.
      String[] description = all.getSubcommands().get(command).getCommandSpec().usageMessage().description();
      if (description.length > 1) assertThat(sub).as("runner %s --help", command).contains(description);
    }
    assertThat(help.lines()).allMatch(l -> l.length() <= 80);
    assertThat(help).contains(all.getCommandSpec().usageMessage().customSynopsis())
        .contains(all.getCommandSpec().usageMessage().description());
    assertThat(help).contains("runner plan JOBFILE [--master URL]").doesNotContain("plan JOBFILE --master")
        .contains("RUNNER_MASTER", "RUNNER_STATE_DIR", "SIGHUP");
  }

  @Test
  void statusAndKillHelpListOnlyOptionsThatDoSomethingThere() {
    String status = Cli.run("status", "--help").exitedWith(0).out();
    String kill = Cli.run("kill", "--help").exitedWith(0).out();
    for (String idle : new String[] {"--local-cpus", "--local-mem", "--role", "--framework-name", "--failover-timeout",
        "--report", "--restart", "--quiet"}) {
      assertThat(status).doesNotContain(idle);
      assertThat(kill).doesNotContain(idle);
    }
    assertThat(status).contains("--master", "--state-dir", "JOB");
    assertThat(kill).doesNotContain("--master").contains("--state-dir", "--principal", "JOB");
  }

  @Test
  void validateReadsAJobFileFromStdin() {
    Cli.withStdin("name: piped\ncommand: 'true'\ncpus: 0.1\nmem: 16\n", Map.of(), "validate", "-").exitedWith(0)
        .outContains("<stdin>: ok (piped:");
    Cli.withStdin("name: piped\ncommand: 'true'\ncpus: lots\n", Map.of(), "validate", "-").exitedWith(2)
        .errContains("<stdin>:3:7: cpus must be a number");
  }

  @Test
  void completionScriptsComeFromTheCommandLineAndCompleteInBash(@TempDir Path tmp) throws Exception {
    Path script = tmp.resolve("runner.bash");
    Files.writeString(script, Cli.run("completion", "bash").exitedWith(0).out());
    assertThat(complete(script, "runner", "sta")).contains("status");
    assertThat(complete(script, "runner", "kill", "--st")).contains("--state-dir");
    assertThat(complete(script, "runner", "completion", "")).contains("bash", "zsh");
    Cli.run("completion", "zsh").exitedWith(0).outContains("bashcompinit", "_complete_runner");
    Cli.run("completion", "fish").exitedWith(2).errContains("fish");
  }

  /** The words bash's completion offers for the last of {@code words}, from a real bash. */
  private static String complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String array = java.util.Arrays.stream(words).map(w -> "'" + w + "'").collect(java.util.stream.Collectors.joining(" "));
    Process bash = new ProcessBuilder("bash", "-c", "source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD="
        + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length()
        + "; _complete_runner; printf '%s\\n' \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes());
    assertThat(bash.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitTwo() {
    Cli.run("jobs/hello.yaml", "--frobnicate").exitedWith(2).errContains("--frobnicate").noStackTrace();
  }

  @Test
  void validateWithoutFilesIsAUsageError() {
    Cli.run("validate").exitedWith(2).errContains("JOBFILE");
  }
}
