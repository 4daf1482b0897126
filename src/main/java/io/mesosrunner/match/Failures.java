package io.mesosrunner.match;

/**
 * The last few needs that found no offer in one tree. A need at least as large in every
 * resource cannot find one either (what is left only shrinks), which spares the tree a search
 * that fails slowly when many distinct demands no longer fit.
 */
final class Failures {
  private static final int KEEP = 32;
  private final double[] needs = new double[KEEP * FitTree.DIMS];
  private int count;
  private int next;

  boolean dominates(DemandClass k) {
    for (int j = 0; j < count; j++) {
      int b = j * FitTree.DIMS;
      if (k.cpus >= needs[b] && k.mem >= needs[b + 1] && k.disk >= needs[b + 2]
          && k.gpus >= needs[b + 3] && k.ports >= needs[b + 4]) {
        return true;
      }
    }
    return false;
  }

  void add(DemandClass k) {
    int b = next * FitTree.DIMS;
    needs[b] = k.cpus;
    needs[b + 1] = k.mem;
    needs[b + 2] = k.disk;
    needs[b + 3] = k.gpus;
    needs[b + 4] = k.ports;
    next = (next + 1) % KEEP;
    count = Math.min(count + 1, KEEP);
  }
}
