package io.mesosrunner.bench;

/**
 * The yardstick: first-fit-decreasing over primitive arrays, nothing else (no roles, ports,
 * constraints or explanations). Demands are sorted by dominant share decreasing (the same order
 * rule as the matcher); the scan for a demand identical to the previous one resumes where the
 * previous scan stopped, since offers only shrink.
 */
public final class BareFfd {

  private BareFfd() {}

  /** Returns, per demand, the index of the offer it went to, or -1. */
  public static int[] place(double[] offerCpus, double[] offerMem, double[] demandCpus, double[] demandMem) {
    int n = offerCpus.length;
    int d = demandCpus.length;
    double totalCpus = 0;
    double totalMem = 0;
    for (int i = 0; i < n; i++) {
      totalCpus += offerCpus[i];
      totalMem += offerMem[i];
    }
    // Sort demand indexes by dominant share decreasing, then cpus decreasing (so equal shapes are
    // adjacent), then index: one primitive sort of packed 21-bit ranks.
    if (d >= (1 << 21)) throw new IllegalArgumentException("at most 2^21 demands (" + d + ")");
    double[] share = new double[d];
    for (int i = 0; i < d; i++) share[i] = Math.max(demandCpus[i] / totalCpus, demandMem[i] / totalMem);
    int[] shareRank = ranks(share);
    int[] cpuRank = ranks(demandCpus);
    long[] packed = new long[d];
    for (int i = 0; i < d; i++) {
      packed[i] = ((long) ((1 << 21) - 1 - shareRank[i]) << 42) | ((long) ((1 << 21) - 1 - cpuRank[i]) << 21) | i;
    }
    java.util.Arrays.sort(packed);
    int[] idx = new int[d];
    for (int i = 0; i < d; i++) idx[i] = (int) (packed[i] & ((1 << 21) - 1));
    double[] leftCpus = offerCpus.clone();
    double[] leftMem = offerMem.clone();
    int[] result = new int[d];
    int cursor = 0;
    double prevCpus = -1;
    double prevMem = -1;
    for (int k = 0; k < d; k++) {
      int i = idx[k];
      double c = demandCpus[i];
      double m = demandMem[i];
      if (c != prevCpus || m != prevMem) {
        cursor = 0;
        prevCpus = c;
        prevMem = m;
      }
      int o = cursor;
      while (o < n && (leftCpus[o] + 1e-6 < c || leftMem[o] + 1e-6 < m)) o++;
      cursor = o;
      if (o < n) {
        leftCpus[o] -= c;
        leftMem[o] -= m;
        result[i] = o;
      } else {
        result[i] = -1;
      }
    }
    return result;
  }

  /** Rank of each value among the distinct values (0 = smallest). */
  private static int[] ranks(double[] values) {
    double[] distinct = values.clone();
    java.util.Arrays.sort(distinct);
    int m = 0;
    for (int i = 0; i < distinct.length; i++) {
      if (m == 0 || distinct[i] != distinct[m - 1]) distinct[m++] = distinct[i];
    }
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) out[i] = java.util.Arrays.binarySearch(distinct, 0, m, values[i]);
    return out;
  }
}
