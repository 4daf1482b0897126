package io.mesosrunner.bench;

/**
 * How well one contender packed a {@link Workload}: instances placed, offers that got at least one
 * instance, and what is left unused on those offers (lower is tighter).
 */
public record Packing(String who, int placed, int offersUsed, double cpusLeftOnUsed, double memGibLeftOnUsed) {

  /** Computes the packing from per-demand offer indexes ({@code -1}: not placed). */
  public static Packing of(String who, Workload w, int[] offerOfDemand) {
    double[] leftCpus = w.offerCpus.clone();
    double[] leftMem = w.offerMem.clone();
    boolean[] used = new boolean[w.offerCount];
    int placed = 0;
    for (int d = 0; d < offerOfDemand.length; d++) {
      int o = offerOfDemand[d];
      if (o < 0) continue;
      placed++;
      used[o] = true;
      leftCpus[o] -= w.demandCpus[d];
      leftMem[o] -= w.demandMem[d];
      if (leftCpus[o] < -1e-6 || leftMem[o] < -1e-6) {
        throw new IllegalStateException(who + " over-committed offer " + o + " (demand " + d + ")");
      }
    }
    int offersUsed = 0;
    double cpus = 0;
    double mem = 0;
    for (int o = 0; o < w.offerCount; o++) {
      if (!used[o]) continue;
      offersUsed++;
      cpus += leftCpus[o];
      mem += leftMem[o];
    }
    return new Packing(who, placed, offersUsed, cpus, mem / 1024);
  }

  /** A Markdown table row. */
  public String row() {
    return String.format("| %s | %d | %d | %.1f | %.1f |", who, placed, offersUsed, cpusLeftOnUsed, memGibLeftOnUsed);
  }

  public static String header() {
    return "| matcher | placed | offers used | cpus left on used offers | mem GiB left on used offers |\n"
        + "|---|---:|---:|---:|---:|";
  }
}
