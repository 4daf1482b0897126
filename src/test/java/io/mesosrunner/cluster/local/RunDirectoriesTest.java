package io.mesosrunner.cluster.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoriesTest {

  @TempDir Path runs;

  private Path run(String name, long minutesAgo) throws IOException {
    Path d = Files.createDirectories(runs.resolve(name).resolve("task-1"));
    Files.writeString(d.resolve("stdout"), "output\n");
    Path dir = runs.resolve(name);
    Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis() - minutesAgo * 60_000));
    return dir;
  }

  @Test
  void keepsTheNewestRunsOfTheJobAndTheCurrentOne() throws IOException {
    Path oldest = run("etl-00000001", 50);
    Path old = run("etl-00000002", 40);
    Path kept1 = run("etl-00000003", 30);
    Path kept2 = run("etl-00000004", 20);
    Path current = runs.resolve("etl-00000005");
    assertThat(RunDirectories.prune(runs, "etl", current, 3)).containsExactlyInAnyOrder(oldest, old);
    assertThat(kept1).exists();
    assertThat(kept2).exists();
    assertThat(oldest).doesNotExist();
  }

  @Test
  void neverRemovesAnotherJobsRunsOrTheCurrentOne() throws IOException {
    Path other = run("etl-daily-00000001", 90);
    Path plain = run("etl-x", 90);
    Path current = run("etl-0000000a", 100);
    Path mine = run("etl-0000000b", 80);
    assertThat(RunDirectories.prune(runs, "etl", current, 1)).containsExactly(mine);
    assertThat(other).exists();
    assertThat(plain).exists();
    assertThat(current).exists();
  }

  @Test
  void aMissingRunsDirectoryIsNothingToDo() {
    assertThat(RunDirectories.prune(runs.resolve("nope"), "etl", runs.resolve("nope/etl-1"), 5)).isEmpty();
  }

  @Test
  void keepMustBeAtLeastOne() {
    assertThatThrownBy(() -> RunDirectories.prune(runs, "etl", runs.resolve("etl-1"), 0))
        .hasMessageContaining("keep (0) must be at least 1");
  }
}
