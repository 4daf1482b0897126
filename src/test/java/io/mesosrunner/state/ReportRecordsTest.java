package io.mesosrunner.state;

import static io.mesosrunner.state.Records.changed;
import static io.mesosrunner.state.Records.launched;
import static io.mesosrunner.state.Records.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records kept for the run's picture (utilisation samples, stderr tails). */
class ReportRecordsTest {

  @TempDir Path tmp;

  @Test
  void picturesRecordsDoNotChangeWhatTheRunResumesFrom() {
    List<JournalRecord> plain = List.of(started("r1", 2), launched("a", 0, 1), changed("a", "FAILED", "FAILED"),
        launched("b", 0, 2));
    List<JournalRecord> withPicture = new ArrayList<>(plain);
    withPicture.add(1, new JournalRecord.Utilisation(1L, 0, 2000, 0, 2, "no offers yet"));
    withPicture.add(4, new JournalRecord.StderrTail("a", "boom"));
    withPicture.add(new JournalRecord.Utilisation(2L, 100, 1900, 1, 1, null));
    RunState a = RunState.fold(plain);
    RunState b = RunState.fold(withPicture);
    assertThat(b).isEqualTo(a);
    assertThat(b.toResume(false)).isEqualTo(a.toResume(false));
  }

  @Test
  void writerRecordsCpusInThousandthsAndAnEmptyWaitReasonAsNone() throws IOException {
    try (RunJournal j = RunJournal.open(tmp.resolve("hello"))) {
      j.append(List.of(started("r1", 1)));
      JournalWriter w = new JournalWriter(j);
      w.utilisation(Instant.ofEpochMilli(42), 0.30000000000000004, 1.9, 3, 0, "");
      w.stderrTail("hello.0.1.r1", List.of("first", "second"));
      w.flush();
    }
    try (RunJournal j = RunJournal.open(tmp.resolve("hello"))) {
      assertThat(j.records()).containsExactly(started("r1", 1),
          new JournalRecord.Utilisation(42, 300, 1900, 3, 0, null),
          new JournalRecord.StderrTail("hello.0.1.r1", "first\nsecond"));
    }
  }

  @Test
  void aJournalWrittenBeforeThesRecordsExistedStillOpensAndResumes() throws IOException {
    // The bytes an earlier runner wrote: header, then committed frames of the old record types only.
    Path dir = tmp.resolve("old");
    Files.createDirectories(dir);
    byte[] header = {'M', 'R', 'J', 'L', 0, 0, 0, 1};
    String[] json = {
        "{\"type\":\"RunStarted\",\"runId\":\"r0\",\"jobName\":\"hello\",\"jobFile\":\"jobs/hello.yaml\","
            + "\"fileSha256\":\"" + "ab".repeat(32) + "\",\"gitCommit\":null,\"cluster\":\"local\","
            + "\"startedAtEpochMs\":1700000000000,\"instances\":1,\"jobText\":null}",
        "{\"type\":\"TaskLaunched\",\"taskId\":\"hello.0.1.r0\",\"instance\":0,\"attempt\":1,\"agentId\":\"a\","
            + "\"hostname\":\"h\",\"atEpochMs\":1700000001000}",
        "{\"type\":\"TaskStateChanged\",\"taskId\":\"hello.0.1.r0\",\"state\":\"FAILED\",\"exitCode\":3,"
            + "\"message\":\"m\",\"cause\":\"FAILED\",\"atEpochMs\":1700000002000}"};
    var out = new java.io.ByteArrayOutputStream();
    out.write(header);
    for (String j : json) out.write(Records.frame(j, true));
    Files.write(dir.resolve(RunJournal.FILE_NAME), out.toByteArray());
    try (RunJournal j = RunJournal.open(dir)) {
      RunState s = RunState.fold(j.records());
      assertThat(s.instances().get(0).failures()).isEqualTo(1);
      assertThat(s.toResume(false).instances()).hasSize(1);
      j.append(List.of(new JournalRecord.Utilisation(1700000003000L, 0, 0, 0, 1, "backoff after failure")));
    }
    assertThat(RunJournal.read(dir).records()).hasSize(4);
  }

  @Test
  void negativeCountsAndBlankTaskIdsAreRefused() {
    assertThatThrownBy(() -> new JournalRecord.Utilisation(1, -1, 0, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JournalRecord.StderrTail(" ", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
