package io.mesosrunner.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures append+force latency of a 20-record batch, and recovery time of a ~50 MB journal, in
 * {@code args[0]} (a scratch directory). Not a test: run by hand, e.g. {@code java -cp ...
 * io.mesosrunner.state.JournalLatencyMain /tmp/x}.
 */
public final class JournalLatencyMain {

  private JournalLatencyMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0])).resolve("latency");
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long[] nanos = new long[batches];
    try (RunJournal j = RunJournal.openFresh(dir)) {
      j.append(Records.started("lat", 10_000));
      for (int b = 0; b < batches; b++) {
        List<JournalRecord> batch = new ArrayList<>(20);
        for (int k = 0; k < 20; k++) {
          int i = (b * 20 + k) % 10_000;
          batch.add(new JournalRecord.TaskLaunched("hello-world." + i + ".1.3f2a9c01", i, 1,
              "a1b2c3d4-0000-4000-8000-00000000000" + (k % 10) + "-S0", "agent-" + (k % 7) + ".example.org",
              System.currentTimeMillis()));
        }
        long t0 = System.nanoTime();
        j.append(batch);
        nanos[b] = System.nanoTime() - t0;
      }
      System.out.printf("append+force of a 20-record batch (%d bytes/batch), %d batches: %s%n",
          (j.size() - 8) / (batches + 1), batches, percentiles(nanos));
    }

    Path big = Files.createDirectories(Path.of(args[0])).resolve("big");
    long t0 = System.nanoTime();
    try (RunJournal j = RunJournal.openFresh(big)) {
      j.append(Records.started("big", 100_000));
      List<JournalRecord> batch = new ArrayList<>();
      while (j.size() < 50L << 20) {
        for (int i = 0; i < 1000; i++) {
          int inst = i * 97 % 100_000;
          String t = "hello-world." + inst + ".1.3f2a9c01";
          batch.add(new JournalRecord.TaskStateChanged(t, "FINISHED", 0, "Command exited with status 0", null, 1L));
          batch.add(new JournalRecord.InstanceCompleted(inst, t, 1L));
        }
        j.append(batch);
        batch.clear();
      }
      System.out.printf("wrote %d MB in %d ms%n", j.size() >> 20, (System.nanoTime() - t0) / 1_000_000);
    }
    for (int round = 0; round < 3; round++) {
      t0 = System.nanoTime();
      try (RunJournal j = RunJournal.open(big)) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long f0 = System.nanoTime();
        RunState s = RunState.fold(j.records());
        System.out.printf("recovered %d records (%d MB) in %d ms, fold %d ms (%d completed)%n", j.records().size(),
            j.size() >> 20, ms, (System.nanoTime() - f0) / 1_000_000, s.completedCount());
      }
    }
  }

  private static String percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", s[s.length / 2] / 1e6,
        s[s.length * 9 / 10] / 1e6, s[s.length * 99 / 100] / 1e6, s[s.length - 1] / 1e6);
  }
}
