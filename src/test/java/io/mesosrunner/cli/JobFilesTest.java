package io.mesosrunner.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mesosrunner.job.JobError;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobFilesTest {

  private static final String MINIMAL = "name: t\ncommand: x\ncpus: 1\nmem: 32\n";
  private final JobLoader loader = new JobLoader(Map.of());

  @Test
  void readsAFileAndNamesItAsGivenInEveryError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a.yaml");
    Files.writeString(file, MINIMAL + "cpus: 2\n");
    JobFileException e = catchThrowableOfType(JobFileException.class, () -> JobFiles.parse(file, loader));
    assertThat(e.errors()).containsExactly(new JobError(file.toString(), 5, 1,
        "duplicate field 'cpus' (first at line 3)"));
    Files.writeString(file, MINIMAL);
    assertThat(JobFiles.parse(file, loader).name()).isEqualTo("t");
    assertThatThrownBy(() -> JobFiles.parse(dir.resolve("missing.yaml"), loader))
        .isInstanceOf(JobFileException.class)
        .hasMessage(dir.resolve("missing.yaml") + ":1:1: no such file");
    assertThatThrownBy(() -> JobFiles.parse(dir, loader))
        .isInstanceOf(JobFileException.class)
        .hasMessageStartingWith(dir + ":1:1: cannot read file: ");
  }

  @Test
  void refusesAFileOverOneMebibyteWithoutReadingIt(@TempDir Path dir) throws Exception {
    byte[] content = (MINIMAL + "#" + "x".repeat(JobLoader.MAX_BYTES)).getBytes(UTF_8);
    Path file = dir.resolve("big.yaml");
    Files.write(file, content);
    assertThatThrownBy(() -> JobFiles.parse(file, loader))
        .isInstanceOf(JobFileException.class)
        .hasMessage(file + ":1:1: file is too large (" + content.length + " bytes; a job file may have at most 1048576)");
  }
}
