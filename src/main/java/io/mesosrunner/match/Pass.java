package io.mesosrunner.match;

import java.util.Arrays;
import java.util.List;

/** The state one pass leaves: what is left of each offer, used UNIQUE values, assignments. */
final class Pass {
  final double[] cpus;
  final double[] mem;
  final double[] disk;
  final double[] gpus;
  final long[] ports;
  final long[] portsTaken;
  final boolean[][] used;
  final int[] offerOf;
  final long[] portOffset;
  final List<int[]> valueOf;
  int placedCount;

  Pass(Problem p) {
    valueOf = p.valueOf;
    cpus = p.fullCpus.clone();
    mem = p.fullMem.clone();
    disk = p.fullDisk.clone();
    gpus = p.fullGpus.clone();
    ports = p.fullPorts.clone();
    portsTaken = new long[p.n];
    used = new boolean[p.occupiedValue.size()][];
    for (int a = 0; a < used.length; a++) used[a] = p.occupiedValue.get(a).clone();
    offerOf = new int[p.demands.length];
    Arrays.fill(offerOf, -1);
    portOffset = new long[p.demands.length];
  }

  /** Whether the value of one of these UNIQUE attributes at offer i is taken. */
  boolean blocked(int[] attrs, int i) {
    for (int a : attrs) {
      if (used[a][valueOf.get(a)[i]]) return true;
    }
    return false;
  }

  /** Whether what is left of offer i takes a demand of k, exactly as {@link FitTree#firstFit} decides. */
  boolean fits(int i, DemandClass k) {
    return !(cpus[i] < k.cpus - Resources.EPSILON) && !(mem[i] < k.mem - Resources.EPSILON)
        && !(disk[i] < k.disk - Resources.EPSILON) && !(gpus[i] < k.gpus - Resources.EPSILON)
        && !((double) ports[i] < (double) k.ports);
  }

  void take(int d, int i, DemandClass k) {
    offerOf[d] = i;
    portOffset[d] = portsTaken[i];
    portsTaken[i] += k.ports;
    ports[i] -= k.ports;
    cpus[i] = Math.max(0, cpus[i] - k.cpus);
    mem[i] = Math.max(0, mem[i] - k.mem);
    disk[i] = Math.max(0, disk[i] - k.disk);
    gpus[i] = Math.max(0, gpus[i] - k.gpus);
    placedCount++;
  }
}
