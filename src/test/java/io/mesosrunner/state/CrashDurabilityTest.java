package io.mesosrunner.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CrashDurabilityTest {

  @TempDir Path tmp;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void everyForcedBatchSurvivesSigkillAndTheJournalContinues() throws Exception {
    Path dir = tmp.resolve("hello");
    Random random = new Random(42);
    long acknowledged = -1;
    int kills = 0;
    int killsMidStream = 0;
    int truncations = 0;
    while (kills < 22) {
      Process child = ChildJvm.start(JournalWriterMain.class, dir.toString());
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
      List<String> lines = new ArrayList<>();
      if (kills % 2 == 0) {
        // Kill while batches are being written: wait until it has recovered and started.
        String first = out.readLine();
        assertThat(first).as("child output").startsWith("ready ");
        lines.add(first);
        Thread.sleep(random.nextInt(300));
      } else {
        // Kill anywhere, JVM start-up and recovery included.
        Thread.sleep(random.nextInt(900));
      }
      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of its stdout.
      assertThat(child.toHandle().destroyForcibly()).isTrue();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      kills++;
      // Only whole lines count: a number is printed after its batch was forced.
      String rest = readRest(out);
      int lastNewline = rest.lastIndexOf('\n');
      if (lastNewline >= 0) lines.addAll(List.of(rest.substring(0, lastNewline).split("\n")));
      for (String line : lines) {
        if (!line.startsWith("ready")) {
          acknowledged = Math.max(acknowledged, Long.parseLong(line.trim()));
          killsMidStream++;
        }
      }

      try (RunJournal j = RunJournal.open(dir)) {
        List<JournalRecord> records = j.records();
        long next = checkWholeBatchesInOrder(records);
        assertThat(next - 1).as("last batch on disk vs last acknowledged").isGreaterThanOrEqualTo(acknowledged);
        if (j.recovery().truncated()) truncations++;
        // The journal continues after recovery: the parent appends the next batch itself.
        j.append(JournalWriterMain.batch(next));
        acknowledged = next;
      }
    }
    List<JournalRecord> finalRecords = RunJournal.read(dir).records();
    long next = checkWholeBatchesInOrder(finalRecords);
    assertThat(next - 1).isEqualTo(acknowledged);
    assertThat(killsMidStream).as("batches acknowledged by children").isPositive();
    System.out.println("kills " + kills + ", batches " + next + ", records " + finalRecords.size()
        + ", recoveries that truncated " + truncations);
  }

  private static String readRest(BufferedReader out) throws IOException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[8192];
    for (int n; (n = out.read(buf)) >= 0; ) sb.append(buf, 0, n);
    return sb.toString();
  }

  /** Checks the records are batches 0, 1, 2 ... each complete and in order; returns the next batch number. */
  private static long checkWholeBatchesInOrder(List<JournalRecord> records) {
    long b = 0;
    int i = 0;
    while (i < records.size()) {
      List<JournalRecord> expected = JournalWriterMain.batch(b);
      assertThat(records.subList(i, Math.min(records.size(), i + expected.size())))
          .as("batch %d at record %d", b, i).containsExactlyElementsOf(expected);
      i += expected.size();
      b++;
    }
    return b;
  }
}
