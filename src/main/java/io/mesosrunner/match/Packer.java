package io.mesosrunner.match;

import java.util.Arrays;

/**
 * One first-fit pass in the making: places demands one by one on the first offer of their role
 * that admits them, from their class's cursor on, either by walking the offers or by searching
 * the (role, constraint set) {@link FitTree}s (see {@link OfferMatcher.Search}); keeps the trees,
 * each class's cursor and the failures seen. What the pass leaves is its {@link Pass}.
 */
final class Packer {
  private final Problem p;
  final Pass s;
  private final FitTree[] trees;
  private final Failures[] failed;
  private final boolean scan;
  private final DemandClass[] cls;
  private final int[] cursor;
  private final int[] lastOffer;
  private final boolean[] exhausted;
  private int dirty = -1; // an offer whose last takes the trees have not seen yet

  Packer(Problem p) {
    this.p = p;
    s = new Pass(p);
    trees = new FitTree[p.treeKeys.size()];
    failed = new Failures[trees.length];
    scan = p.scan;
    cls = p.classes.toArray(new DemandClass[0]);
    cursor = new int[cls.length];
    lastOffer = new int[cls.length];
    exhausted = new boolean[cls.length];
    for (int t = 0; t < trees.length && !scan; t++) {
      trees[t] = tree(p.treeKeys.get(t)[0], p.treeKeys.get(t)[1]);
      failed[t] = new Failures();
    }
    Arrays.fill(lastOffer, -1);
  }

  private FitTree tree(int role, int group) {
    int[] ro = p.roleOffers[role];
    FitTree tree = new FitTree(ro.length);
    boolean[] ok = p.groupStaticOk.get(group);
    int[] attrs = p.groupUniqueAttrs.get(group);
    for (int pos = 0; pos < ro.length; pos++) {
      int i = ro[pos];
      if (ok[i] && !s.blocked(attrs, i)) {
        tree.setRaw(pos, p.fullCpus[i], p.fullMem[i], p.fullDisk[i], p.fullGpus[i], p.fullPorts[i]);
      }
    }
    tree.build();
    return tree;
  }

  void place(int[] order, int from, int to) {
    for (int j = from; j < to; j++) place(order == null ? j : order[j]);
  }

  void place(int d) {
    int c = p.classOf[d];
    if (exhausted[c]) return;
    DemandClass k = cls[c];
    if (k.role < 0) {
      exhausted[c] = true;
      return;
    }
    if (scan) {
      scan(d, c, k);
      return;
    }
    // The offer this class last went to still has room: a search would find it again (no
    // earlier offer had room then, and what is left only shrinks), and no recorded failure
    // can cover the class (such a need would fit here too). Without UNIQUE, nothing else
    // can have excluded it.
    int last = lastOffer[c];
    if (last >= 0 && k.uniqueFree && s.fits(last, k)) {
      if (dirty != last) {
        if (dirty >= 0) refresh(dirty);
        dirty = last;
      }
      s.take(d, last, k);
      return;
    }
    if (dirty >= 0) {
      refresh(dirty);
      dirty = -1;
    }
    if (failed[k.tree].dominates(k)) {
      exhausted[c] = true;
      return;
    }
    int pos = trees[k.tree].firstFit(cursor[c], k.cpus, k.mem, k.disk, k.gpus, k.ports);
    if (pos < 0) {
      exhausted[c] = true;
      failed[k.tree].add(k);
      return;
    }
    cursor[c] = pos;
    int i = p.roleOffers[k.role][pos];
    lastOffer[c] = i;
    s.take(d, i, k);
    refresh(i);
    for (int a : p.groupUniqueAttrs.get(k.group)) {
      int v = p.valueOf.get(a)[i];
      if (s.used[a][v]) continue;
      s.used[a][v] = true;
      for (int g : p.groupsWithAttr.get(a)) {
        for (int j : p.offersByValue.get(a)[v]) {
          Integer t = p.treeIds.get(((long) p.roleOf[j] << 32) | g);
          if (t != null) trees[t].exclude(p.posInRole[j]);
        }
      }
    }
  }

  /** Places demand d of class c on the first offer from the class's cursor on that takes it. */
  private void scan(int d, int c, DemandClass k) {
    int[] ro = p.roleOffers[k.role];
    int pos = cursor[c];
    while (pos < ro.length && !admits(ro[pos], k)) pos++;
    if (pos == ro.length) {
      exhausted[c] = true;
      return;
    }
    cursor[c] = pos;
    int i = ro[pos];
    s.take(d, i, k);
    for (int a : k.attrs) s.used[a][p.valueOf.get(a)[i]] = true;
  }

  /** What the class's tree would say of offer i: constraints hold, UNIQUE value free, room. */
  private boolean admits(int i, DemandClass k) {
    return k.ok[i] && (k.uniqueFree || !s.blocked(k.attrs, i)) && s.fits(i, k);
  }

  /** Tells the trees of offer i's role what is left of it. */
  private void refresh(int i) {
    int pos = p.posInRole[i];
    for (int t : p.treesOfRole[p.roleOf[i]]) {
      if (trees[t].included(pos)) trees[t].set(pos, s.cpus[i], s.mem[i], s.disk[i], s.gpus[i], s.ports[i]);
    }
  }
}
