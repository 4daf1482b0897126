package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Places pending demands on offers: a pure function of its arguments (no I/O, no clock, no
 * state), deterministic for the same input, safe to call from any thread.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A demand only uses offers whose {@link Offer#role() role} equals its own.
 *   <li>Offers are packed: one offer takes as many demands as fit in what is left of it in
 *       cpus, mem, disk, gpus and ports (scalars with {@link Resources#EPSILON} tolerance).
 *   <li>A demand asking N ports gets N distinct numbers from the offer's ranges, the lowest ones
 *       not yet given to another demand on that offer (overlapping ranges are merged first).
 *   <li>Constraints: the attribute {@code hostname} is {@link Offer#hostname()}, any other is
 *       {@code Offer.attributes().get(attr)}. {@code CLUSTER v}: the attribute equals v.
 *       {@code LIKE re} / {@code UNLIKE re}: the attribute does / does not fully match the regular
 *       expression. A missing attribute fails CLUSTER and LIKE and passes UNLIKE.
 *   <li>{@code attr UNIQUE}: no two instances share the attribute's value. The instances counted
 *       are every {@link Occupancy} given (they are instances of the same job) and every demand of
 *       this call that carries an {@code attr UNIQUE} constraint. A missing attribute counts as
 *       one value of its own ("absent"): at most one instance lands on agents lacking it.
 * </ul>
 *
 * <h2>Algorithm</h2>
 * Identical demands (same role, resources, ports and constraints) form a class. The classes are
 * sorted by dominant share (the largest fraction of the role's total offered cpus, mem, disk,
 * gpus or ports the demand asks for) decreasing, ties by first appearance; demands of one class
 * keep their input order. Each demand then goes first-fit into the offers, which keep their input
 * order: the first offer of its role that satisfies its constraints and has room. When that pass
 * leaves some demand unplaced, a second first-fit pass in plain input order is run too and the
 * pass that placed more wins (ties go to the decreasing pass, which packs tighter): a fixed set
 * of offers can hold more small demands than large ones, so decreasing order alone could place
 * fewer than plain first-fit.
 *
 * <p>Each class keeps a cursor: an offer that could not take a demand of the class can never take
 * a later one (what is left only shrinks, used UNIQUE values only grow), so its searches start
 * where the last one ended, and a class that found nothing places no more. When classes x offers
 * is small next to demands + offers (the usual case: a few job shapes), a pass simply walks the
 * offers from the cursor, which costs at most classes x offers checks plus one per demand and
 * needs no set-up; the trees below are for many distinct demands on many offers. Both give the
 * same answer (see {@link Search}).
 *
 * <p>With trees, "first offer with room" is found in a {@link FitTree} per (role, constraint set),
 * a segment tree over the offers holding per resource the most left below each node, with
 * excluded offers (constraints, used UNIQUE values) marked; while the offer a class last went to
 * still has room, the next demand of the class goes there without a search. A pass costs O((D + N·T) log N) for D demands, N offers and T
 * distinct (role, constraint set) pairs, plus O(N·K) constraint checks for K distinct constraint
 * sets; each regular expression is compiled once per call. When most demands are distinct and
 * the offers are fragmented, failing searches are the slow part (a per-resource maximum cannot
 * tell that no single offer has both the cpus and the mem); the last 32 needs that failed in a
 * tree short-cut any larger need, but this case stays a few times slower than a bare loop.
 *
 * <h2>Unplaced demands</h2>
 * Explained once per class (see {@link Explainer}): against the offers' full resources (before this call's
 * placements) when no eligible offer could ever take it, otherwise against what is left; the
 * shortfalls name the closest offer (fewest missing resources, then smallest summed relative gap,
 * then the first).
 *
 * <p>Why one class of this length: the search (demand classes, cursors, the fit trees' use, the
 * plain first-fit pass and the choice between them) works on shared primitive tables that
 * are built once per call; split across classes they would have to be passed around or
 * re-derived on the hot path the benchmarks measure. The explanations live in
 * {@link Explainer} and the trees in {@link FitTree}.
 */
public final class OfferMatcher {

  private OfferMatcher() {}

  private static final String HOSTNAME = "hostname";

  /**
   * Per-demand work is done in methods that take this many demands at a time. The JVM compiles
   * a method once it has been called a few hundred times, but a loop inside a method only after
   * tens of thousands of rounds; a matching call is rare and often small, so a loop over its
   * demands would run interpreted for many calls, several times slower than compiled code.
   */
  private static final int CHUNK = 32;

  /**
   * Places {@code demands} on {@code offers}.
   *
   * @param offers   the offers, in the order first-fit tries them
   * @param demands  the pending instances; their ids are returned, but demands are treated
   *                 positionally (duplicate ids are not merged)
   * @param occupied where instances of the same job already run, for UNIQUE constraints
   * @return placements and unplaced demands, each in the order the demands were given
   */
  public static MatchResult match(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
    return match(offers, demands, occupied, Search.CHOOSE);
  }

  /**
   * How a pass finds the first offer with room for a demand from its class's cursor on; every
   * way gives the same answer. {@link #SCAN} walks the offers, at most once per class and pass
   * thanks to the cursor, so it costs about classes x offers: the cheapest when that is small
   * next to the demands (the usual case: a few job shapes), with no set-up. {@link #TREES} uses
   * {@link FitTree}s, for many distinct demands on many offers. {@link #CHOOSE} picks by that
   * product.
   */
  enum Search { CHOOSE, TREES, SCAN }

  /** {@link #match(List, List, List)} with the search way given (tests compare the ways). */
  static MatchResult match(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied, Search search) {
    Objects.requireNonNull(offers, "offers");
    Objects.requireNonNull(demands, "demands");
    Objects.requireNonNull(occupied, "occupied");
    Problem p = new Problem(offers, demands, occupied, search);

    Pass best = p.run(p.decreasingOrder(), -1);
    if (best.placedCount < demands.size()) {
      Pass inOrder = p.run(null, best.placedCount);
      if (inOrder != null && inOrder.placedCount > best.placedCount) best = inOrder;
    }
    return p.result(best);
  }

  /** The call's input turned into arrays and ids, shared by the passes. */
  static final class Problem {
    final Offer[] offers;
    final Demand[] demands;
    final int n;

    // offers
    final double[] fullCpus;
    final double[] fullMem;
    final double[] fullDisk;
    final double[] fullGpus;
    final long[] fullPorts;
    final long[][] portRanges; // merged, as begin,end,begin,end...
    final int[] roleOf;
    final int[] posInRole;
    final List<String> roleNames = new ArrayList<>();
    final Map<String, Integer> roleIds = new HashMap<>();
    final List<double[]> roleTotals = new ArrayList<>(); // per role: cpus, mem, disk, gpus, ports offered
    int[][] roleOffers;

    // constraint sets
    final List<List<Constraint>> groups = new ArrayList<>();
    final Map<List<Constraint>, Integer> groupIds = new HashMap<>();
    final List<boolean[]> groupStaticOk = new ArrayList<>();
    final List<int[]> groupUniqueAttrs = new ArrayList<>();

    // UNIQUE attributes
    final List<String> uniqueAttrNames = new ArrayList<>();
    final Map<String, Integer> uniqueAttrIds = new HashMap<>();
    final List<int[]> valueOf = new ArrayList<>(); // per attr: value id per offer
    final List<int[][]> offersByValue = new ArrayList<>();
    final List<boolean[]> occupiedValue = new ArrayList<>();
    final List<int[]> groupsWithAttr = new ArrayList<>();

    // demand classes
    final int[] classOf;
    int[] classSize; // demands per class (may be longer than classes)
    final List<DemandClass> classes = new ArrayList<>();

    // trees per (role, group)
    final Map<Long, Integer> treeIds = new HashMap<>();
    final List<int[]> treeKeys = new ArrayList<>(); // {role, group}
    int[][] treesOfRole;

    final Map<String, java.util.regex.Pattern> patterns = new HashMap<>();

    final boolean scan; // passes scan the offers instead of searching trees (see Search)

    Problem(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied, Search search) {
      this.offers = offers.toArray(new Offer[0]);
      this.demands = demands.toArray(new Demand[0]);
      this.n = this.offers.length;
      fullCpus = new double[n];
      fullMem = new double[n];
      fullDisk = new double[n];
      fullGpus = new double[n];
      fullPorts = new long[n];
      portRanges = new long[n][];
      roleOf = new int[n];
      posInRole = new int[n];
      readOffers();
      classOf = new int[this.demands.length];
      readDemands();
      readUnique(occupied);
      long scanWork = 0; // positions a scanning pass checks at most, besides one per demand
      for (DemandClass c : classes) {
        c.ok = groupStaticOk.get(c.group);
        c.attrs = groupUniqueAttrs.get(c.group);
        c.uniqueFree = c.attrs.length == 0;
        if (c.role < 0) continue;
        scanWork += roleOffers[c.role].length;
        long key = ((long) c.role << 32) | c.group;
        c.tree = treeIds.computeIfAbsent(key, k -> {
          treeKeys.add(new int[] {c.role, c.group});
          return treeKeys.size() - 1;
        });
      }
      scan = search == Search.SCAN
          || (search == Search.CHOOSE && scanWork <= 16L * (this.demands.length + (long) n));
      int[] perRole = new int[roleNames.size()];
      for (int[] k : treeKeys) perRole[k[0]]++;
      treesOfRole = new int[roleNames.size()][];
      for (int r = 0; r < perRole.length; r++) treesOfRole[r] = new int[perRole[r]];
      Arrays.fill(perRole, 0);
      for (int t = 0; t < treeKeys.size(); t++) {
        int r = treeKeys.get(t)[0];
        treesOfRole[r][perRole[r]++] = t;
      }
    }

    private void readOffers() {
      int[] roleCount = new int[Math.max(1, n)];
      for (int from = 0; from < n; from += CHUNK) readOffers(from, Math.min(n, from + CHUNK), roleCount);
      roleOffers = new int[roleNames.size()][];
      for (int r = 0; r < roleOffers.length; r++) roleOffers[r] = new int[roleCount[r]];
      for (int from = 0; from < n; from += CHUNK) fillRoleOffers(from, Math.min(n, from + CHUNK));
    }

    private void readOffers(int from, int to, int[] roleCount) {
      for (int i = from; i < to; i++) {
        Offer o = Objects.requireNonNull(offers[i], "offer");
        Resources r = o.resources();
        fullCpus[i] = r.cpus();
        fullMem[i] = r.memMb();
        fullDisk[i] = r.diskMb();
        fullGpus[i] = r.gpus();
        long[] ranges = mergeRanges(o.ports());
        portRanges[i] = ranges;
        long total = 0;
        for (int k = 0; k < ranges.length; k += 2) total += ranges[k + 1] - ranges[k] + 1;
        fullPorts[i] = total;
        String name = o.role();
        Integer known = roleIds.get(name);
        int role;
        if (known != null) {
          role = known;
        } else {
          role = roleNames.size();
          roleNames.add(name);
          roleIds.put(name, role);
          roleTotals.add(new double[FitTree.DIMS]);
        }
        roleOf[i] = role;
        posInRole[i] = roleCount[role]++;
        // summed in offer order, for the dominant shares
        double[] t = roleTotals.get(role);
        t[0] += fullCpus[i];
        t[1] += fullMem[i];
        t[2] += fullDisk[i];
        t[3] += fullGpus[i];
        t[4] += total;
      }
    }

    private void fillRoleOffers(int from, int to) {
      for (int i = from; i < to; i++) roleOffers[roleOf[i]][posInRole[i]] = i;
    }

    private static final long[] NO_RANGES = new long[0];

    private static long[] mergeRanges(List<PortRange> ranges) {
      if (ranges.isEmpty()) return NO_RANGES;
      PortRange[] sorted = ranges.toArray(new PortRange[0]);
      Arrays.sort(sorted, Comparator.comparingLong(PortRange::begin).thenComparingLong(PortRange::end));
      long[] out = new long[sorted.length * 2];
      int k = 0;
      for (PortRange r : sorted) {
        if (k > 0 && r.begin() <= out[k - 1] + 1) {
          out[k - 1] = Math.max(out[k - 1], r.end());
        } else {
          out[k++] = r.begin();
          out[k++] = r.end();
        }
      }
      return Arrays.copyOf(out, k);
    }

    /** Groups the demands into classes, ids in order of first appearance (see {@link Classifier}). */
    private void readDemands() {
      Classifier classifier = new Classifier();
      int count = demands.length;
      for (int from = 0; from < count; from += CHUNK) classifier.classify(from, Math.min(count, from + CHUNK));
      classSize = classifier.size;
      for (List<Constraint> cs : groups) groupStaticOk.add(staticOk(cs));
    }

    /**
     * Finds a demand's class without hashing records: a demand like the one before it (the
     * instances of one job usually come together) joins that class at once; otherwise an
     * open-addressing table keyed by the role, the constraint set and the exact bits of the
     * resources and port count finds it, or a new class is made.
     */
    private final class Classifier {
      int[] table = new int[64];
      int mask = table.length - 1;
      int[] hashes = new int[16];
      int[] size = new int[16];
      List<Constraint> lastConstraints;
      int lastGroup = -1;
      Demand prev;
      int prevClass = -1;

      Classifier() {
        Arrays.fill(table, -1);
      }

      void classify(int from, int to) {
        for (int d = from; d < to; d++) classOf[d] = classOf(d);
      }

      int classOf(int d) {
        Demand dm = Objects.requireNonNull(demands[d], "demand");
        List<Constraint> cs = dm.constraints();
        Demand before = prev;
        prev = dm;
        if (before != null && dm.resources() == before.resources() && cs == before.constraints()
            && dm.ports() == before.ports() && dm.role().equals(before.role())) {
          size[prevClass]++;
          return prevClass;
        }
        if (cs != lastConstraints) {
          lastConstraints = cs;
          lastGroup = groupIds.computeIfAbsent(cs, x -> {
            groups.add(x);
            return groups.size() - 1;
          });
        }
        int group = lastGroup;
        Resources r = dm.resources();
        // raw bits: Resources admits no NaN, so equal bits are exactly equal records' doubles
        long cpus = Double.doubleToRawLongBits(r.cpus());
        long mem = Double.doubleToRawLongBits(r.memMb());
        long disk = Double.doubleToRawLongBits(r.diskMb());
        long gpus = Double.doubleToRawLongBits(r.gpus());
        String role = dm.role();
        // fields rotated apart (round numbers differ only in their top bits), folded, then mixed
        long h = (role.hashCode() * 31L + group) ^ ((long) dm.ports() << 32) ^ Long.rotateLeft(cpus, 12)
            ^ Long.rotateLeft(mem, 24) ^ Long.rotateLeft(disk, 36) ^ Long.rotateLeft(gpus, 48);
        h ^= h >>> 32;
        int hash = (int) ((h * 0x9E3779B97F4A7C15L) >>> 32); // Fibonacci hashing: top half mixes all of h
        int slot = hash & mask;
        int c;
        while ((c = table[slot]) >= 0) {
          DemandClass k = classes.get(c);
          if (k.group == group && k.ports == dm.ports() && k.roleName.equals(role)
              && (k.resources == r || Double.doubleToRawLongBits(k.cpus) == cpus
                  && Double.doubleToRawLongBits(k.mem) == mem && Double.doubleToRawLongBits(k.disk) == disk
                  && Double.doubleToRawLongBits(k.gpus) == gpus)) {
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (c < 0) c = add(dm, group, hash, slot, d);
        size[c]++;
        prevClass = c;
        return c;
      }

      private int add(Demand dm, int group, int hash, int slot, int d) {
        Integer roleId = roleIds.get(dm.role());
        int c = classes.size();
        classes.add(new DemandClass(dm.role(), roleId == null ? -1 : roleId, group, dm.resources(), dm.ports(), d));
        table[slot] = c;
        if (c == size.length) {
          size = Arrays.copyOf(size, 2 * c);
          hashes = Arrays.copyOf(hashes, 2 * c);
        }
        hashes[c] = hash;
        if (2 * (c + 1) > table.length) {
          table = new int[2 * table.length];
          Arrays.fill(table, -1);
          mask = table.length - 1;
          for (int j = 0; j <= c; j++) {
            int at = hashes[j] & mask;
            while (table[at] >= 0) at = (at + 1) & mask;
            table[at] = j;
          }
        }
        return c;
      }
    }

    /** Per offer: whether the non-UNIQUE constraints of a set hold. */
    private boolean[] staticOk(List<Constraint> cs) {
      boolean[] ok = new boolean[n];
      Arrays.fill(ok, true);
      for (Constraint c : cs) {
        if (c.operator() == Constraint.Operator.UNIQUE) continue;
        for (int i = 0; i < n; i++) {
          if (ok[i] && !holds(c, offers[i])) ok[i] = false;
        }
      }
      return ok;
    }

    boolean holds(Constraint c, Offer o) {
      String v = attribute(o, c.attribute());
      return switch (c.operator()) {
        case UNIQUE -> true;
        case CLUSTER -> v != null && v.equals(c.value());
        case LIKE -> v != null && pattern(c).matcher(v).matches();
        case UNLIKE -> v == null || !pattern(c).matcher(v).matches();
      };
    }

    private java.util.regex.Pattern pattern(Constraint c) {
      return patterns.computeIfAbsent(c.value(), re -> {
        try {
          return java.util.regex.Pattern.compile(re);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "constraint " + c + ": bad regular expression (" + e.getDescription() + ")", e);
        }
      });
    }

    static String attribute(Offer o, String attr) {
      return HOSTNAME.equals(attr) ? o.hostname() : o.attributes().get(attr);
    }

    private void readUnique(List<Occupancy> occupied) {
      List<List<Integer>> groupsPerAttr = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        List<Integer> attrs = new ArrayList<>();
        for (Constraint c : groups.get(g)) {
          if (c.operator() != Constraint.Operator.UNIQUE) continue;
          int a = uniqueAttrIds.computeIfAbsent(c.attribute(), name -> {
            uniqueAttrNames.add(name);
            groupsPerAttr.add(new ArrayList<>());
            return uniqueAttrNames.size() - 1;
          });
          if (!attrs.contains(a)) {
            attrs.add(a);
            groupsPerAttr.get(a).add(g);
          }
        }
        groupUniqueAttrs.add(attrs.stream().mapToInt(Integer::intValue).toArray());
      }
      for (int a = 0; a < uniqueAttrNames.size(); a++) {
        groupsWithAttr.add(groupsPerAttr.get(a).stream().mapToInt(Integer::intValue).toArray());
        String name = uniqueAttrNames.get(a);
        // value id 0 is "absent"
        Map<String, Integer> values = new HashMap<>();
        int[] ids = new int[n];
        List<Integer> counts = new ArrayList<>(List.of(0));
        for (int i = 0; i < n; i++) {
          String v = attribute(offers[i], name);
          int id = v == null ? 0 : values.computeIfAbsent(v, x -> {
            counts.add(0);
            return counts.size() - 1;
          });
          ids[i] = id;
          counts.set(id, counts.get(id) + 1);
        }
        int[][] byValue = new int[counts.size()][];
        for (int v = 0; v < byValue.length; v++) byValue[v] = new int[counts.get(v)];
        int[] fill = new int[byValue.length];
        for (int i = 0; i < n; i++) byValue[ids[i]][fill[ids[i]]++] = i;
        boolean[] occ = new boolean[byValue.length];
        for (Occupancy o : occupied) {
          String v = HOSTNAME.equals(name) ? o.hostname() : o.attributes().get(name);
          Integer id = v == null ? Integer.valueOf(0) : values.get(v);
          if (id != null) occ[id] = true;
        }
        valueOf.add(ids);
        offersByValue.add(byValue);
        occupiedValue.add(occ);
      }
    }

    // ---- orders -------------------------------------------------------------------------

    int[] decreasingOrder() {
      double[] share = new double[classes.size()];
      for (int c = 0; c < share.length; c++) {
        DemandClass k = classes.get(c);
        if (k.role < 0) continue;
        double[] t = roleTotals.get(k.role);
        double[] need = k.need();
        double s = 0;
        for (int j = 0; j < FitTree.DIMS; j++) {
          if (need[j] > 0) s = Math.max(s, t[j] > 0 ? need[j] / t[j] : Double.POSITIVE_INFINITY);
        }
        share[c] = s;
      }
      Integer[] cls = new Integer[classes.size()];
      for (int c = 0; c < cls.length; c++) cls[c] = c;
      // class ids are in order of first appearance, so the stable sort keeps that order on ties
      Arrays.sort(cls, (x, y) -> Double.compare(share[y], share[x]));
      // each class's demands in input order, the classes one after the other
      int[] next = new int[cls.length];
      int k = 0;
      for (int c : cls) {
        next[c] = k;
        k += classSize[c];
      }
      int[] order = new int[demands.length];
      for (int from = 0; from < order.length; from += CHUNK) fill(order, next, from, Math.min(order.length, from + CHUNK));
      return order;
    }

    private void fill(int[] order, int[] next, int from, int to) {
      for (int d = from; d < to; d++) order[next[classOf[d]]++] = d;
    }

    // ---- a pass ---------------------------------------------------------------------------

    /**
     * A first-fit pass over the demands in this order ({@code null}: input order); {@code null}
     * as soon as it cannot place more than {@code toBeat} any more (-1: run to the end).
     */
    Pass run(int[] order, int toBeat) {
      Packer packer = new Packer();
      int count = demands.length;
      for (int from = 0; from < count; from += CHUNK) {
        int to = Math.min(count, from + CHUNK);
        packer.place(order, from, to);
        if (packer.s.placedCount + (count - to) <= toBeat) return null;
      }
      return packer.s;
    }

    /** One pass in the making: the trees, each class's cursor, the failures seen. */
    private final class Packer {
      final Pass s = new Pass(Problem.this);
      final FitTree[] trees = new FitTree[treeKeys.size()];
      final Failures[] failed = new Failures[trees.length];
      final boolean scan = Problem.this.scan;
      final DemandClass[] cls = classes.toArray(new DemandClass[0]);
      final int[] cursor = new int[cls.length];
      final int[] lastOffer = new int[cls.length];
      final boolean[] exhausted = new boolean[cls.length];
      int dirty = -1; // an offer whose last takes the trees have not seen yet

      Packer() {
        for (int t = 0; t < trees.length && !scan; t++) {
          trees[t] = tree(treeKeys.get(t)[0], treeKeys.get(t)[1]);
          failed[t] = new Failures();
        }
        Arrays.fill(lastOffer, -1);
      }

      private FitTree tree(int role, int group) {
        int[] ro = roleOffers[role];
        FitTree tree = new FitTree(ro.length);
        boolean[] ok = groupStaticOk.get(group);
        int[] attrs = groupUniqueAttrs.get(group);
        for (int pos = 0; pos < ro.length; pos++) {
          int i = ro[pos];
          if (ok[i] && !s.blocked(attrs, i)) {
            tree.setRaw(pos, fullCpus[i], fullMem[i], fullDisk[i], fullGpus[i], fullPorts[i]);
          }
        }
        tree.build();
        return tree;
      }

      void place(int[] order, int from, int to) {
        for (int j = from; j < to; j++) place(order == null ? j : order[j]);
      }

      void place(int d) {
        int c = classOf[d];
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
        int i = roleOffers[k.role][pos];
        lastOffer[c] = i;
        s.take(d, i, k);
        refresh(i);
        for (int a : groupUniqueAttrs.get(k.group)) {
          int v = valueOf.get(a)[i];
          if (s.used[a][v]) continue;
          s.used[a][v] = true;
          for (int g : groupsWithAttr.get(a)) {
            for (int j : offersByValue.get(a)[v]) {
              Integer t = treeIds.get(((long) roleOf[j] << 32) | g);
              if (t != null) trees[t].exclude(posInRole[j]);
            }
          }
        }
      }

      /** Places demand d of class c on the first offer from the class's cursor on that takes it. */
      private void scan(int d, int c, DemandClass k) {
        int[] ro = roleOffers[k.role];
        int pos = cursor[c];
        while (pos < ro.length && !admits(ro[pos], k)) pos++;
        if (pos == ro.length) {
          exhausted[c] = true;
          return;
        }
        cursor[c] = pos;
        int i = ro[pos];
        s.take(d, i, k);
        for (int a : k.attrs) s.used[a][valueOf.get(a)[i]] = true;
      }

      /** What the class's tree would say of offer i: constraints hold, UNIQUE value free, room. */
      private boolean admits(int i, DemandClass k) {
        return k.ok[i] && (k.uniqueFree || !s.blocked(k.attrs, i)) && s.fits(i, k);
      }

      /** Tells the trees of offer i's role what is left of it. */
      private void refresh(int i) {
        int pos = posInRole[i];
        for (int t : treesOfRole[roleOf[i]]) {
          if (trees[t].included(pos)) trees[t].set(pos, s.cpus[i], s.mem[i], s.disk[i], s.gpus[i], s.ports[i]);
        }
      }
    }

    // ---- the result -------------------------------------------------------------------------

    MatchResult result(Pass s) {
      Answer out = new Answer(s);
      int count = demands.length;
      for (int from = 0; from < count; from += CHUNK) out.add(from, Math.min(count, from + CHUNK));
      return new MatchResult(out.placements, out.unplaced);
    }

    /** The answer in the making: placements, and unplaced demands explained once per class. */
    private final class Answer {
      final Pass s;
      final List<Placement> placements;
      final List<MatchResult.Unplaced> unplaced;
      final Explanation[] explained = new Explanation[classes.size()];
      Explainer explainer;

      Answer(Pass s) {
        this.s = s;
        placements = new ArrayList<>(s.placedCount);
        unplaced = new ArrayList<>(demands.length - s.placedCount);
      }

      void add(int from, int to) {
        for (int d = from; d < to; d++) add(d);
      }

      void add(int d) {
        Demand dm = demands[d];
        int i = s.offerOf[d];
        if (i >= 0) {
          placements.add(new Placement(dm.id(), offers[i], dm.resources(),
              ports(i, s.portOffset[d], dm.ports())));
          return;
        }
        int c = classOf[d];
        Explanation e = explained[c];
        if (e == null) {
          if (explainer == null) explainer = new Explainer(Problem.this, s);
          e = explained[c] = explainer.explain(classes.get(c));
        }
        unplaced.add(new MatchResult.Unplaced(dm.id(), e.shortfalls(), e.reason()));
      }
    }

    private List<Long> ports(int offer, long skip, int count) {
      if (count == 0) return List.of();
      Long[] out = new Long[count];
      int k = 0;
      long[] r = portRanges[offer];
      for (int j = 0; j < r.length && k < count; j += 2) {
        long size = r[j + 1] - r[j] + 1;
        if (skip >= size) {
          skip -= size;
          continue;
        }
        for (long port = r[j] + skip; port <= r[j + 1] && k < count; port++) out[k++] = port;
        skip = 0;
      }
      return Arrays.asList(out);
    }
  }

  /**
   * The last few needs that found no offer in one tree. A need at least as large in every
   * resource cannot find one either (what is left only shrinks), which spares the tree a search
   * that fails slowly when many distinct demands no longer fit.
   */
  static final class Failures {
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

  /** One class of identical demands. */
  static final class DemandClass {
    final String roleName;
    final int role; // -1: no offer has this role
    final int group;
    final Resources resources;
    final double cpus;
    final double mem;
    final double disk;
    final double gpus;
    final int ports;
    final int firstDemand;
    int tree = -1;
    boolean uniqueFree; // its constraint set has no UNIQUE
    boolean[] ok;       // per offer: the constraint set's non-UNIQUE constraints hold
    int[] attrs;        // the constraint set's UNIQUE attributes

    DemandClass(String roleName, int role, int group, Resources r, int ports, int firstDemand) {
      this.roleName = roleName;
      this.role = role;
      this.group = group;
      this.resources = r;
      this.cpus = r.cpus();
      this.mem = r.memMb();
      this.disk = r.diskMb();
      this.gpus = r.gpus();
      this.ports = ports;
      this.firstDemand = firstDemand;
    }

    double[] need() {
      return new double[] {cpus, mem, disk, gpus, ports};
    }
  }

  /** The state one pass leaves: what is left of each offer, used UNIQUE values, assignments. */
  static final class Pass {
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

  /** Why a class of demands was left, once per class. */
  record Explanation(List<Shortfall> shortfalls, String reason) {
    Explanation {
      shortfalls = List.copyOf(shortfalls); // copied once, so each Unplaced of the class shares it
    }
  }
}
