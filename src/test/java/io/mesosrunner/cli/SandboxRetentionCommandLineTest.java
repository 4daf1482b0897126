package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxRetentionCommandLineTest {

  @TempDir Path tmp;

  private List<Path> runDirs() throws IOException {
    try (Stream<Path> s = Files.list(tmp.resolve("state/runs"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void keepsTheSandboxesOfTheLastRunsOnly() throws IOException {
    Path job = tmp.resolve("j.yaml");
    Files.writeString(job, "version: 1\nname: chatty\ncommand: echo hi\ncpus: 0.1\nmem: 16\n");
    String state = tmp.resolve("state").toString();
    for (int i = 0; i < 3; i++) {
      Cli.run(job.toString(), "--state-dir", state, "-q", "--keep-runs", "2").exitedWith(0);
    }
    assertThat(runDirs()).hasSize(2);
    Cli.run(job.toString(), "--state-dir", state, "-q").exitedWith(0);
    assertThat(runDirs()).hasSize(3);
    Cli.run(job.toString(), "--state-dir", state, "-q", "--keep-runs", "0").exitedWith(2)
        .errContains("--keep-runs must be at least 1");
  }
}
