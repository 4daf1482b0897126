package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

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
    assertThat(schema.get("required").toString()).contains("command");
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : new String[] {"run", "validate", "schema"}) {
      Cli.run(cmd, "--help").exitedWith(0).outContains("Usage: runner " + cmd);
    }
    Cli.run("--help").exitedWith(0).outContains("Exit codes", "validate", "schema");
  }

  @Test
  void noArgumentsPrintsUsage() {
    Cli.run().exitedWith(0).outContains("Usage: runner");
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
