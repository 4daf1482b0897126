package io.mesosrunner.state;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process for the crash test: recovers the journal in {@code args[0]}, then appends numbered
 * batches forever, printing each batch number to stdout once {@link RunJournal#append} returned
 * (that is, after the force).
 */
public final class JournalWriterMain {

  private JournalWriterMain() {}

  /** Records of batch {@code b}: 1-20 of them, some large, each naming its batch and position. */
  static List<JournalRecord> batch(long b) {
    int n = 1 + (int) ((b * 7) % 20);
    List<JournalRecord> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      int pad = (int) ((b * 31 + k * 17) % 97 == 0 ? 20_000 : (b * 13 + k) % 300);
      out.add(new JournalRecord.FrameworkRegistered("b" + b + "-r" + k + "-of" + n + "-" + "x".repeat(pad)));
    }
    return out;
  }

  /** The batch number the records continue with: one past the last complete batch. */
  static long nextBatch(List<JournalRecord> records) {
    if (records.isEmpty()) return 0;
    String id = ((JournalRecord.FrameworkRegistered) records.get(records.size() - 1)).frameworkId();
    return Long.parseLong(id.substring(1, id.indexOf('-'))) + 1;
  }

  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    try (RunJournal j = RunJournal.open(Path.of(args[0]))) {
      long b = nextBatch(j.records());
      out.println("ready " + b);
      out.flush();
      while (true) {
        j.append(batch(b));
        out.println(b);
        out.flush();
        b++;
      }
    }
  }
}
