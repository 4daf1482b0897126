package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Small promises of the command line: near names, plain words, completion of job names. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallThingsTest {

  @TempDir Path tmp;

  @Test
  void aMissingJobFileWithANearNameBesideItIsSuggested() throws IOException {
    Files.writeString(tmp.resolve("hello.yaml"), "name: hello\ncommand: 'true'\ncpus: 0.1\nmem: 16\n");
    String typed = tmp.resolve("hello.yml").toString();
    Cli.run("validate", typed).exitedWith(2)
        .errContains(typed + ":1:1: no such file (did you mean " + tmp.resolve("hello.yaml") + "?)");
    Cli.run("validate", tmp.resolve("other.yaml").toString()).exitedWith(2)
        .errContains("other.yaml:1:1: no such file\n");
  }

  @Test
  void noCommandInTheHelpListEndsWithAColon() {
    CliResult r = Cli.run("--help").exitedWith(0);
    assertThat(r.out().lines().filter(l -> l.startsWith("  wait "))).singleElement()
        .satisfies(l -> assertThat(l.strip()).doesNotEndWith(":"));
    assertThat(r.out().lines()).noneMatch(l -> l.matches("  [a-z]+ +.*:$"));
  }

  @Test
  void aPlanNamesNoSandboxThatIsNeverMade() {
    CliResult r = Cli.run("plan", "jobs/hello.yaml", "--state-dir", tmp.resolve("state").toString()).exitedWith(0)
        .outContains("plan for hello-world on local cluster");
    assertThat(r.out()).doesNotContain("sandboxes in");
  }

  @Test
  void oneFailedAttemptIsOneAttempt() {
    Cli.run("jobs/hello.yaml", "--state-dir", tmp.resolve("state").toString(), "--quiet", "--master", "127.0.0.1:1",
        "--connect-retries", "1").exitedWith(3).errContains("could not run: 1 attempt failed; cannot reach master");
  }

  /** What bash's completion offers after {@code words} (the last one being completed), run in {@code dir}. */
  private List<String> complete(Path script, Path dir, String... words) throws Exception {
    StringBuilder line = new StringBuilder("COMP_WORDS=(");
    for (String w : words) line.append('\'').append(w).append("' ");
    line.append("); COMP_CWORD=").append(words.length - 1).append("; _picocli_runner_").append(words[1])
        .append("; printf '%s\\n' \"${COMPREPLY[@]}\"");
    Process p = new ProcessBuilder("bash", "-c", "source " + script + " && " + line).directory(dir.toFile())
        // compopt complains outside a real completion; what it says is not what is offered.
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> !l.isEmpty()).sorted().toList();
  }

  @Test
  void jobCommandsCompleteTheJobNamesRecordedAndTheJobFiles() throws Exception {
    Path script = tmp.resolve("runner.bash");
    Files.writeString(script, Cli.run(Map.of(), "completion", "bash").exitedWith(0).out());
    Path work = Files.createDirectories(tmp.resolve("work"));
    for (String job : List.of("etl", "nightly-etl", "report")) {
      Files.createDirectories(work.resolve(".runner").resolve(job));
      Files.writeString(work.resolve(".runner").resolve(job).resolve("journal.log"), "");
    }
    Files.createDirectories(work.resolve(".runner/runs/etl-abcd"));
    Files.writeString(work.resolve("etl.yaml"), "");
    Files.writeString(work.resolve("notes.txt"), "");
    Path other = Files.createDirectories(tmp.resolve("other-state/backfill"));
    Files.writeString(other.resolve("journal.log"), "");

    for (String command : CompletionCommand.JOB_COMMANDS) {
      assertThat(complete(script, work, "runner", command, "")).as(command)
          .contains("etl", "nightly-etl", "report", "etl.yaml").doesNotContain("runs", "notes.txt");
    }
    assertThat(complete(script, work, "runner", "logs", "ni")).containsExactly("nightly-etl");
    assertThat(complete(script, work, "runner", "wait", "--state-dir", tmp.resolve("other-state").toString(), ""))
        .contains("backfill").doesNotContain("nightly-etl");
  }
}
