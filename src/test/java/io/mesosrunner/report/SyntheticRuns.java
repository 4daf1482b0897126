package io.mesosrunner.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Reports of made-up runs of any size, for the page's scale tests. */
public final class SyntheticRuns {

  private SyntheticRuns() {}

  /**
   * A run of {@code attempts} attempts on {@code agents} agents with {@code slots} tasks at once on
   * each: about 1 in 50 attempts fails and is retried, 1 in 500 is lost; instances that fail twice
   * fail for good.
   */
  public static RunReport of(int attempts, int agents, int slots, long seed) {
    Random rnd = new Random(seed);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    long[][] free = new long[agents][slots];
    List<RunReport.Instance> instances = new ArrayList<>();
    List<RunReport.Sample> samples = new ArrayList<>();
    int made = 0;
    int failedInstances = 0;
    int completed = 0;
    long end = 0;
    for (int index = 0; made < attempts; index++) {
      List<RunReport.Attempt> list = new ArrayList<>();
      int failures = 0;
      int losses = 0;
      String state = "DONE";
      for (int n = 1; made < attempts; n++) {
        int agent = rnd.nextInt(agents);
        int slot = 0;
        for (int s = 1; s < slots; s++) if (free[agent][s] < free[agent][slot]) slot = s;
        long start = free[agent][slot] + rnd.nextInt(20);
        long took = 200 + rnd.nextInt(4000);
        free[agent][slot] = start + took;
        end = Math.max(end, start + took);
        int roll = rnd.nextInt(500);
        String st = roll < 10 ? "TASK_FAILED" : roll == 10 ? "TASK_LOST" : "TASK_FINISHED";
        String cause = roll < 10 ? "FAILED" : roll == 10 ? "LOST" : null;
        Integer exit = roll < 10 ? Integer.valueOf(1 + rnd.nextInt(3)) : roll == 10 ? null : Integer.valueOf(0);
        List<String> tail = roll < 10 ? List.of("processing shard " + index, "error: input " + index + " is truncated")
            : List.of();
        String task = "big." + index + "." + n + ".r1";
        list.add(new RunReport.Attempt(task, n, "agent-" + agent, "node-" + agent, st, exit,
            roll < 10 ? "Command exited with status " + exit : null, cause, t0.plusMillis(start).toString(),
            t0.plusMillis(start + took).toString(), null, tail));
        made++;
        if (roll >= 11) break;
        if (roll < 10) failures++;
        else losses++;
        if (failures == 2) {
          state = "FAILED";
          break;
        }
      }
      if (state.equals("FAILED")) failedInstances++;
      else completed++;
      instances.add(new RunReport.Instance(index, state, failures, losses, list));
    }
    for (long t = 0; t <= end; t += 200) {
      samples.add(new RunReport.Sample(t0.plusMillis(t).toString(), agents * slots * 0.5, rnd.nextInt(3) * 0.5,
          agents * slots, t < end / 2 ? 40 : 0, t < end / 2 ? "parallelism (" + agents * slots + " running, limit "
          + agents * slots + ")" : null));
    }
    return new RunReport("big", "big.yaml", "ab".repeat(32), null, "r1", "synthetic", null,
        failedInstances > 0 ? "FAILED" : "SUCCEEDED", failedInstances > 0 ? "failed" : "succeeded", failedInstances > 0 ? 1 : 0,
        null, t0.toString(),
        t0.plusMillis(end).toString(), end / 1000.0, instances.size(), completed, failedInstances, made, instances,
        0.5, samples);
  }
}
