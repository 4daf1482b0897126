package io.mesosrunner.state;

import static io.mesosrunner.state.Records.changed;
import static io.mesosrunner.state.Records.completed;
import static io.mesosrunner.state.Records.ended;
import static io.mesosrunner.state.Records.failed;
import static io.mesosrunner.state.Records.launched;
import static io.mesosrunner.state.Records.registered;
import static io.mesosrunner.state.Records.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunJournalTest {

  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("state").resolve("hello");
  }

  private static List<JournalRecord> everyType() {
    return List.of(
        started("r1", 2),
        registered("fw-1"),
        launched("hello.0.1.r1", 0, 1),
        new JournalRecord.TaskStateChanged("hello.0.1.r1", "RUNNING", null, null, null, 5L),
        changed("hello.0.1.r1", "FAILED", "FAILED"),
        new JournalRecord.TaskStateChanged("hello.0.1.r1", "KILLED", 137, "ünïcødé \"quoted\"\n", "STOPPED", 6L),
        completed(1, "hello.1.1.r1"),
        failed(0, "instance 0 failed 4 times"),
        ended("FAILED"),
        new JournalRecord.RunEnded("INTERRUPTED", null, 7L),
        new JournalRecord.Utilisation(8L, 1500, 250, 15, 3, "parallelism (15 running, limit 15)"),
        new JournalRecord.StderrTail("hello.0.1.r1", "line one\nline </script> two"));
  }

  @Test
  void everyRecordTypeRoundTripsThroughTheFile() throws IOException {
    List<JournalRecord> all = everyType();
    try (RunJournal j = RunJournal.open(dir())) {
      assertThat(j.recovery().created()).isTrue();
      assertThat(j.records()).isEmpty();
      j.append(all.subList(0, 3));
      j.append(all.subList(3, all.size()));
    }
    try (RunJournal j = RunJournal.open(dir())) {
      assertThat(j.records()).containsExactlyElementsOf(all);
      assertThat(j.recovery().truncated()).isFalse();
      assertThat(j.recovery().recordsRead()).isEqualTo(all.size());
      assertThat(j.recovery().created()).isFalse();
    }
  }

  @Test
  void fileStartsWithMagicAndVersionAndRecordsAreTypedJson() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(registered("fw-9"));
    }
    byte[] b = Files.readAllBytes(dir().resolve("journal.log"));
    assertThat(new String(b, 0, 4, "US-ASCII")).isEqualTo("MRJL");
    assertThat(ByteBuffer.wrap(b, 4, 4).getInt()).isEqualTo(1);
    byte[] expected = Records.frame("{\"type\":\"FrameworkRegistered\",\"frameworkId\":\"fw-9\"}", true);
    assertThat(java.util.Arrays.copyOfRange(b, 8, b.length)).isEqualTo(expected);
  }

  @Test
  void appendingContinuesAfterReopen() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 1));
    }
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(launched("t1", 0, 1));
    }
    try (RunJournal j = RunJournal.open(dir())) {
      assertThat(j.records()).containsExactly(started("r1", 1), launched("t1", 0, 1));
    }
  }

  /** Writes three batches; the last holds one record. Returns the offset where that record starts. */
  private long writeThreeBatches() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 3), registered("fw-1"));
      j.append(launched("t0", 0, 1), launched("t1", 1, 1));
      long before = j.size();
      j.append(changed("t0", "RUNNING", null));
      return before;
    }
  }

  @Test
  void tornTailAtEveryBytePositionOfTheLastRecordKeepsExactlyTheCompleteBatches() throws IOException {
    long lastStart = writeThreeBatches();
    Path file = dir().resolve("journal.log");
    byte[] full = Files.readAllBytes(file);
    List<JournalRecord> complete = List.of(started("r1", 3), registered("fw-1"), launched("t0", 0, 1), launched("t1", 1, 1));
    for (int cut = (int) lastStart; cut < full.length; cut++) {
      Files.write(file, java.util.Arrays.copyOf(full, cut));
      try (RunJournal j = RunJournal.open(dir())) {
        assertThat(j.records()).as("cut at %d", cut).containsExactlyElementsOf(complete);
        RecoveryReport r = j.recovery();
        assertThat(r.bytesDiscarded()).as("cut at %d", cut).isEqualTo(cut - lastStart);
        if (cut > lastStart) {
          assertThat(r.reason()).as("cut at %d", cut).startsWith("torn tail at offset " + lastStart);
          if (cut >= lastStart + 8) {
            assertThat(r.reason()).contains("(record length " + (full.length - lastStart - 8)
                + ", only " + (cut - lastStart - 8) + " bytes)");
          }
        } else {
          assertThat(r.reason()).isNull();
        }
        assertThat(Files.size(file)).isEqualTo(lastStart);
      }
    }
  }

  @Test
  void tornMultiRecordBatchIsDroppedWhole() throws IOException {
    long batchStart;
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 3));
      batchStart = j.size();
      j.append(launched("t0", 0, 1), launched("t1", 1, 1), launched("t2", 2, 1));
    }
    Path file = dir().resolve("journal.log");
    byte[] full = Files.readAllBytes(file);
    for (int cut = (int) batchStart + 1; cut < full.length; cut++) {
      Files.write(file, java.util.Arrays.copyOf(full, cut));
      RunJournal.Contents c = RunJournal.read(dir());
      assertThat(c.records()).as("cut at %d", cut).containsExactly(started("r1", 3));
      assertThat(c.report().bytesDiscarded()).isEqualTo(cut - batchStart);
    }
  }

  @Test
  void wholeFramesWithoutTheirCommitMarkAreAnUnfinishedBatch() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 2));
    }
    Path file = dir().resolve("journal.log");
    long at = Files.size(file);
    Files.write(file, Records.frame("{\"type\":\"FrameworkRegistered\",\"frameworkId\":\"fw-1\"}", false),
        StandardOpenOption.APPEND);
    try (RunJournal j = RunJournal.open(dir())) {
      assertThat(j.records()).containsExactly(started("r1", 2));
      assertThat(j.recovery().reason()).isEqualTo("unfinished batch at offset " + at + " (1 record without a commit mark)");
      j.append(registered("fw-2"));
    }
    assertThat(RunJournal.read(dir()).records()).containsExactly(started("r1", 2), registered("fw-2"));
  }

  @Test
  void flippedByteInTheLastRecordIsDiscardedAsChecksumMismatch() throws IOException {
    long lastStart = writeThreeBatches();
    Path file = dir().resolve("journal.log");
    byte[] full = Files.readAllBytes(file);
    for (int pos = (int) lastStart; pos < full.length; pos++) {
      byte[] bad = full.clone();
      bad[pos] ^= 0x5a;
      Files.write(file, bad);
      try (RunJournal j = RunJournal.open(dir())) {
        assertThat(j.records()).as("flip at %d", pos).hasSize(4);
        assertThat(j.recovery().bytesDiscarded()).isEqualTo(full.length - lastStart);
        if (pos >= lastStart + 4) {
          assertThat(j.recovery().reason()).isEqualTo("checksum mismatch at offset " + lastStart);
        } else {
          assertThat(j.recovery().reason()).contains("at offset " + lastStart);
        }
        j.append(changed("t1", "RUNNING", null));
      }
      assertThat(RunJournal.read(dir()).records()).hasSize(5).last().isEqualTo(changed("t1", "RUNNING", null));
    }
  }

  @Test
  void flippedByteInAMiddleRecordIsCorruptionNamingItsOffset() throws IOException {
    long middleStart;
    long middleEnd;
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 3));
      middleStart = j.size();
      j.append(launched("t0", 0, 1));
      middleEnd = j.size();
      j.append(launched("t1", 1, 1));
    }
    Path file = dir().resolve("journal.log");
    byte[] full = Files.readAllBytes(file);
    for (int pos = (int) middleStart; pos < middleEnd; pos++) {
      byte[] bad = full.clone();
      bad[pos] ^= 0x01;
      Files.write(file, bad);
      final int p = pos;
      assertThatThrownBy(() -> RunJournal.open(dir()))
          .as("flip at %d", p)
          .isInstanceOfSatisfying(JournalCorruptException.class, e -> assertThat(e.offset()).isEqualTo(middleStart))
          .hasMessageContaining("at offset " + middleStart)
          .hasMessageContaining("valid record follows at offset " + middleEnd)
          .hasMessageContaining("damaged in the middle");
      assertThat(Files.readAllBytes(file)).as("left untouched").isEqualTo(bad);
    }
  }

  @Test
  void zeroFilledTailIsTornNotCorrupt() throws IOException {
    writeThreeBatches();
    Path file = dir().resolve("journal.log");
    long size = Files.size(file);
    Files.write(file, new byte[4096], StandardOpenOption.APPEND);
    try (RunJournal j = RunJournal.open(dir())) {
      assertThat(j.records()).hasSize(5);
      assertThat(j.recovery().reason()).isEqualTo("invalid record length 0 at offset " + size);
      assertThat(j.recovery().bytesDiscarded()).isEqualTo(4096);
    }
  }

  @Test
  void unknownRecordTypeFromANewerVersionIsAHardError() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 1));
    }
    Path file = dir().resolve("journal.log");
    long at = Files.size(file);
    Files.write(file, Records.frame("{\"type\":\"TaskTeleported\",\"taskId\":\"t\"}", true), StandardOpenOption.APPEND);
    assertThatThrownBy(() -> RunJournal.open(dir()))
        .isInstanceOf(JournalVersionException.class)
        .hasMessageContaining("record at offset " + at + " has type 'TaskTeleported'")
        .hasMessageContaining("newer version");
  }

  @Test
  void unknownFieldFromANewerVersionIsAHardError() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 1));
    }
    Path file = dir().resolve("journal.log");
    Files.write(file, Records.frame("{\"type\":\"FrameworkRegistered\",\"frameworkId\":\"f\",\"epoch\":2}", true),
        StandardOpenOption.APPEND);
    assertThatThrownBy(() -> RunJournal.open(dir()))
        .isInstanceOf(JournalVersionException.class)
        .hasMessageContaining("FrameworkRegistered has field 'epoch'");
  }

  @Test
  void unknownStateNameIsRefusedWithTheValue() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 1));
    }
    Path file = dir().resolve("journal.log");
    Files.write(file, Records.frame("{\"type\":\"TaskStateChanged\",\"taskId\":\"t\",\"state\":\"TELEPORTED\","
        + "\"exitCode\":null,\"message\":null,\"cause\":null,\"atEpochMs\":1}", true), StandardOpenOption.APPEND);
    assertThatThrownBy(() -> RunJournal.open(dir()))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("state (TELEPORTED) is not a TaskState name");
  }

  @Test
  void newerFormatVersionIsRefused() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 1));
    }
    Path file = dir().resolve("journal.log");
    byte[] b = Files.readAllBytes(file);
    b[7] = 2;
    Files.write(file, b);
    assertThatThrownBy(() -> RunJournal.open(dir()))
        .isInstanceOf(JournalVersionException.class)
        .hasMessageContaining("journal format version 2 was written by a newer runner");
  }

  @Test
  void aFileThatIsNotAJournalIsRefusedUntouched() throws IOException {
    Files.createDirectories(dir());
    Path file = dir().resolve("journal.log");
    Files.writeString(file, "hello world, not a journal");
    assertThatThrownBy(() -> RunJournal.open(dir()))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("not a run journal");
    assertThat(Files.readString(file)).isEqualTo("hello world, not a journal");
  }

  @Test
  void readDoesNotTruncateATornTail() throws IOException {
    writeThreeBatches();
    Path file = dir().resolve("journal.log");
    Files.write(file, new byte[] {0, 0, 0, 50, 1, 2}, StandardOpenOption.APPEND);
    long size = Files.size(file);
    RunJournal.Contents c = RunJournal.read(dir());
    assertThat(c.records()).hasSize(5);
    assertThat(c.report().bytesDiscarded()).isEqualTo(6);
    assertThat(Files.size(file)).isEqualTo(size);
  }

  @Test
  void openFreshKeepsThePreviousJournal() throws IOException {
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("r1", 1), ended("SUCCEEDED"));
    }
    try (RunJournal j = RunJournal.openFresh(dir())) {
      assertThat(j.records()).isEmpty();
      j.append(started("r2", 1));
    }
    assertThat(RunJournal.read(dir()).records()).containsExactly(started("r2", 1));
    assertThat(Files.exists(dir().resolve("journal.prev.log"))).isTrue();
    assertThat(Files.exists(dir().resolve("journal.log.tmp"))).isFalse();
  }

  @Test
  void appendAfterCloseIsRefused() throws IOException {
    RunJournal j = RunJournal.open(dir());
    j.close();
    assertThatThrownBy(() -> j.append(registered("x"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void largeJournalRecoversEveryRecord() throws IOException {
    int instances = 10_000;
    try (RunJournal j = RunJournal.open(dir())) {
      j.append(started("big", instances));
      List<JournalRecord> batch = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        String t = "hello." + i + ".1.big";
        batch.add(launched(t, i, 1));
        batch.add(changed(t, "RUNNING", null));
        batch.add(changed(t, "FINISHED", null));
        batch.add(completed(i, t));
        if (batch.size() >= 2000) {
          j.append(batch);
          batch.clear();
        }
      }
      j.append(batch);
    }
    long t0 = System.nanoTime();
    RunJournal.Contents c = RunJournal.read(dir());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(c.records()).hasSize(1 + 4 * instances);
    assertThat(RunState.fold(c.records()).completedCount()).isEqualTo(instances);
    System.out.println("recovered " + c.records().size() + " records (" + c.report().validBytes() + " bytes) in " + ms + " ms");
  }
}
