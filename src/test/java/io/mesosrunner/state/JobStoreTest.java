package io.mesosrunner.state;

import static io.mesosrunner.state.Records.ended;
import static io.mesosrunner.state.Records.launched;
import static io.mesosrunner.state.Records.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.schedule.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStoreTest {

  @TempDir Path tmp;

  @Test
  void defaultStateDirIsNextToTheJobFile() {
    assertThat(JobStore.defaultStateDir(tmp.resolve("jobs/hello.yaml"))).isEqualTo(tmp.resolve("jobs/.runner"));
    assertThat(JobStore.jobDir(tmp, "hello-world_1.0")).isEqualTo(tmp.resolve("hello-world_1.0"));
  }

  @Test
  void jobNamesThatAreNotPlainDirectoryNamesAreRefused() {
    assertThatThrownBy(() -> JobStore.jobDir(tmp, "..")).hasMessage("job name (..) cannot name a state directory");
    assertThatThrownBy(() -> JobStore.jobDir(tmp, "a/b")).hasMessageContaining("(a/b)");
  }

  @Test
  void anUnfinishedRunCanBeResumedAndAnEndedOneStartsFresh() throws IOException {
    Path state = tmp.resolve(".runner");
    try (JobStore store = JobStore.open(state, "hello")) {
      assertThat(store.previous()).isEmpty();
      assertThat(store.canResume()).isFalse();
      assertThat(store.recovery().created()).isTrue();
      RunJournal j = store.startNew(started("r1", 2));
      j.append(launched("t0", 0, 1));
    }
    try (JobStore store = JobStore.open(state, "hello")) {
      assertThat(store.canResume()).isTrue();
      assertThat(store.previous().orElseThrow().unsettled()).extracting(RunState.Attempt::taskId).containsExactly("t0");
      store.resume().append(ended("INTERRUPTED"));
    }
    try (JobStore store = JobStore.open(state, "hello")) {
      assertThat(store.canResume()).isFalse();
      assertThat(store.previous().orElseThrow().outcome()).isEqualTo(Outcome.INTERRUPTED);
      assertThatThrownBy(store::resume).hasMessage("run r1 ended INTERRUPTED; nothing to resume");
      store.startNew(started("r2", 1));
    }
    assertThat(JobStore.status(state, "hello").orElseThrow().runId()).isEqualTo("r2");
    assertThat(RunJournal.read(state.resolve("hello")).records()).containsExactly(started("r2", 1));
    try (RunJournal prev = openPrevious(state.resolve("hello"))) {
      assertThat(prev.records()).last().isEqualTo(ended("INTERRUPTED"));
    }
  }

  private static RunJournal openPrevious(Path dir) throws IOException {
    Path copy = dir.resolveSibling("prev-copy");
    Files.createDirectories(copy);
    Files.copy(dir.resolve("journal.prev.log"), copy.resolve("journal.log"));
    return RunJournal.open(copy);
  }

  @Test
  void aSecondStoreOnTheSameJobIsRefusedButStatusStillReads() throws IOException {
    Path state = tmp.resolve(".runner");
    try (JobStore store = JobStore.open(state, "hello")) {
      store.startNew(started("r1", 1));
      assertThatThrownBy(() -> JobStore.open(state, "hello"))
          .isInstanceOf(StateLockedException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(JobStore.status(state, "hello").orElseThrow().runId()).isEqualTo("r1");
    }
    assertThat(JobStore.status(state, "other")).isEmpty();
    try (JobStore again = JobStore.open(state, "hello")) {
      assertThat(again.canResume()).isTrue();
    }
  }

  @Test
  void aJournalThatIsNotOneRunIsReportedAsCorrupt() throws IOException {
    Path state = tmp.resolve(".runner");
    try (RunJournal j = RunJournal.open(state.resolve("hello"))) {
      j.append(launched("t0", 0, 1));
    }
    assertThatThrownBy(() -> JobStore.open(state, "hello"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("do not describe one run");
    // The failed open released the lock it had taken.
    try (StateLock lock = StateLock.acquire(state.resolve("hello"))) {
      assertThat(lock.isHeld()).isTrue();
    }
  }
}
