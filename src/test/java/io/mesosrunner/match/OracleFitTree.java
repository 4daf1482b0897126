package io.mesosrunner.match;

/*
 * Test oracle: the matcher exactly as it was before the small-input performance work (commit
 * 6fa5e77), kept so a property can show the optimised matcher gives the same answers.
 * Do not optimise this copy.
 */

import java.util.Arrays;

/**
 * A segment tree over a row of offers that answers "the first offer at or after position
 * {@code lo} with at least this much left in every resource" in about O(log n).
 *
 * <p>Every node holds, per resource (cpus, mem, disk, gpus, ports), the largest amount left in
 * any offer below it. A node whose maxima do not all cover the need cannot hold a fitting offer,
 * so the search skips it whole. The maxima are a necessary condition only (they can come from
 * different offers), so a search may descend into a node and come back empty; in practice it
 * stays logarithmic, and the matcher's per-class cursor stops it from re-searching ground it has
 * covered.
 *
 * <p>An excluded position (wrong constraints, host already used by a UNIQUE instance) holds -1
 * in every resource and so never fits. Not thread-safe; one tree lives inside one call.
 */
final class OracleFitTree {

  static final int DIMS = 5;
  private static final double EXCLUDED = -1;

  private final int leaves;
  private final int size;
  private final double[] max;

  /** A tree of {@code leaves} positions, all excluded until {@link #setRaw} and {@link #build}. */
  OracleFitTree(int leaves) {
    this.leaves = leaves;
    int s = 1;
    while (s < leaves) s <<= 1;
    this.size = s;
    this.max = new double[2 * s * DIMS];
    Arrays.fill(max, EXCLUDED);
  }

  int leaves() {
    return leaves;
  }

  /** Sets a leaf without updating its ancestors; call {@link #build} once after all of them. */
  void setRaw(int pos, double cpus, double mem, double disk, double gpus, double ports) {
    int b = (size + pos) * DIMS;
    max[b] = cpus;
    max[b + 1] = mem;
    max[b + 2] = disk;
    max[b + 3] = gpus;
    max[b + 4] = ports;
  }

  void build() {
    for (int node = size - 1; node >= 1; node--) {
      pull(node);
    }
  }

  boolean included(int pos) {
    return max[(size + pos) * DIMS] >= 0;
  }

  /** Updates what is left at an included position. */
  void set(int pos, double cpus, double mem, double disk, double gpus, double ports) {
    setRaw(pos, cpus, mem, disk, gpus, ports);
    lift(size + pos);
  }

  /** Excludes a position for good. */
  void exclude(int pos) {
    if (!included(pos)) return;
    setRaw(pos, EXCLUDED, EXCLUDED, EXCLUDED, EXCLUDED, EXCLUDED);
    lift(size + pos);
  }

  private void lift(int leaf) {
    for (int node = leaf >> 1; node >= 1; node >>= 1) {
      if (!pull(node)) return;
    }
  }

  /** Recomputes a node from its children; false when nothing changed (ancestors are current). */
  private boolean pull(int node) {
    int b = node * DIMS;
    int l = 2 * node * DIMS;
    int r = l + DIMS;
    boolean changed = false;
    for (int k = 0; k < DIMS; k++) {
      double m = Math.max(max[l + k], max[r + k]);
      if (m != max[b + k]) {
        max[b + k] = m;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * The first included position {@code >= lo} whose every resource covers the need (with
   * {@link Resources#EPSILON} tolerance on the scalars), or -1.
   */
  int firstFit(int lo, double cpus, double mem, double disk, double gpus, double ports) {
    if (lo >= leaves) return -1;
    return find(1, 0, size - 1, lo, cpus - Resources.EPSILON, mem - Resources.EPSILON,
        disk - Resources.EPSILON, gpus - Resources.EPSILON, ports);
  }

  private int find(int node, int nodeLo, int nodeHi, int lo,
      double cpus, double mem, double disk, double gpus, double ports) {
    if (nodeHi < lo) return -1;
    int b = node * DIMS;
    if (max[b] < cpus || max[b + 1] < mem || max[b + 2] < disk || max[b + 3] < gpus
        || max[b + 4] < ports || max[b] < 0) {
      return -1;
    }
    if (node >= size) return nodeLo;
    int mid = (nodeLo + nodeHi) >>> 1;
    int found = find(2 * node, nodeLo, mid, lo, cpus, mem, disk, gpus, ports);
    if (found >= 0) return found;
    return find(2 * node + 1, mid + 1, nodeHi, lo, cpus, mem, disk, gpus, ports);
  }
}
