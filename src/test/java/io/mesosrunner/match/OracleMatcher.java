package io.mesosrunner.match;

/*
 * Test oracle: the matcher exactly as it was before the small-input performance work (commit
 * 6fa5e77), kept so a property can show the optimised matcher gives the same answers.
 * Do not optimise this copy.
 */

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
 * <p>"First offer with room" is found in a {@link OracleFitTree} per (role, constraint set), a segment
 * tree over the offers holding per resource the most left below each node, with excluded offers
 * (constraints, used UNIQUE values) marked. Each class also keeps a cursor: an offer that could
 * not take a demand of the class can never take a later one (what is left only shrinks, used
 * UNIQUE values only grow), so its searches start where the last one ended, and a class that
 * found nothing places no more. A pass costs O((D + N·T) log N) for D demands, N offers and T
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
 */
final class OracleMatcher {

  private OracleMatcher() {}

  private static final String HOSTNAME = "hostname";

  /**
   * Places {@code demands} on {@code offers}.
   *
   * @param offers   the offers, in the order first-fit tries them
   * @param demands  the pending instances; their ids are returned, but demands are treated
   *                 positionally (duplicate ids are not merged)
   * @param occupied where instances of the same job already run, for UNIQUE constraints
   * @return placements and unplaced demands, each in the order the demands were given
   */
  static MatchResult match(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
    Objects.requireNonNull(offers, "offers");
    Objects.requireNonNull(demands, "demands");
    Objects.requireNonNull(occupied, "occupied");
    Problem p = new Problem(offers, demands, occupied);

    Pass best = p.run(p.decreasingOrder());
    if (best.placedCount < demands.size()) {
      Pass inOrder = p.run(p.inputOrder());
      if (inOrder.placedCount > best.placedCount) best = inOrder;
    }
    return p.result(best);
  }

  /** The call's input turned into arrays and ids, shared by the passes. */
  static final class Problem {
    final List<Offer> offers;
    final List<Demand> demands;
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
    final List<Cls> classes = new ArrayList<>();

    // trees per (role, group)
    final Map<Long, Integer> treeIds = new HashMap<>();
    final List<int[]> treeKeys = new ArrayList<>(); // {role, group}
    int[][] treesOfRole;

    final Map<String, java.util.regex.Pattern> patterns = new HashMap<>();

    Problem(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
      this.offers = offers;
      this.demands = demands;
      this.n = offers.size();
      fullCpus = new double[n];
      fullMem = new double[n];
      fullDisk = new double[n];
      fullGpus = new double[n];
      fullPorts = new long[n];
      portRanges = new long[n][];
      roleOf = new int[n];
      posInRole = new int[n];
      readOffers();
      classOf = new int[demands.size()];
      readDemands();
      readUnique(occupied);
      for (Cls c : classes) {
        if (c.role < 0) continue;
        long key = ((long) c.role << 32) | c.group;
        c.tree = treeIds.computeIfAbsent(key, k -> {
          treeKeys.add(new int[] {c.role, c.group});
          return treeKeys.size() - 1;
        });
      }
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
      for (int i = 0; i < n; i++) {
        Offer o = Objects.requireNonNull(offers.get(i), "offer");
        Resources r = o.resources();
        fullCpus[i] = r.cpus();
        fullMem[i] = r.memMb();
        fullDisk[i] = r.diskMb();
        fullGpus[i] = r.gpus();
        portRanges[i] = mergeRanges(o.ports());
        long total = 0;
        for (int k = 0; k < portRanges[i].length; k += 2) total += portRanges[i][k + 1] - portRanges[i][k] + 1;
        fullPorts[i] = total;
        int role = roleIds.computeIfAbsent(o.role(), name -> {
          roleNames.add(name);
          return roleNames.size() - 1;
        });
        roleOf[i] = role;
        posInRole[i] = roleCount[role]++;
      }
      roleOffers = new int[roleNames.size()][];
      for (int r = 0; r < roleOffers.length; r++) roleOffers[r] = new int[roleCount[r]];
      for (int i = 0; i < n; i++) roleOffers[roleOf[i]][posInRole[i]] = i;
    }

    private static long[] mergeRanges(List<PortRange> ranges) {
      if (ranges.isEmpty()) return new long[0];
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

    private record ClassKey(String role, int group, Resources resources, int ports) {}

    private void readDemands() {
      Map<ClassKey, Integer> ids = new HashMap<>();
      List<List<Integer>> members = new ArrayList<>();
      for (int d = 0; d < demands.size(); d++) {
        Demand dm = Objects.requireNonNull(demands.get(d), "demand");
        int group = groupIds.computeIfAbsent(dm.constraints(), cs -> {
          groups.add(cs);
          return groups.size() - 1;
        });
        ClassKey key = new ClassKey(dm.role(), group, dm.resources(), dm.ports());
        int dd = d;
        int c = ids.computeIfAbsent(key, k -> {
          Integer role = roleIds.get(k.role());
          classes.add(new Cls(k.role(), role == null ? -1 : role, k.group(), k.resources(), k.ports(), dd));
          members.add(new ArrayList<>());
          return classes.size() - 1;
        });
        classOf[d] = c;
        members.get(c).add(d);
      }
      for (int c = 0; c < classes.size(); c++) {
        classes.get(c).members = members.get(c).stream().mapToInt(Integer::intValue).toArray();
      }
      for (List<Constraint> cs : groups) groupStaticOk.add(staticOk(cs));
    }

    /** Per offer: whether the non-UNIQUE constraints of a set hold. */
    private boolean[] staticOk(List<Constraint> cs) {
      boolean[] ok = new boolean[n];
      Arrays.fill(ok, true);
      for (Constraint c : cs) {
        if (c.operator() == Constraint.Operator.UNIQUE) continue;
        for (int i = 0; i < n; i++) {
          if (ok[i] && !holds(c, offers.get(i))) ok[i] = false;
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
          String v = attribute(offers.get(i), name);
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

    int[] inputOrder() {
      int[] order = new int[demands.size()];
      for (int d = 0; d < order.length; d++) order[d] = d;
      return order;
    }

    int[] decreasingOrder() {
      int roles = roleNames.size();
      double[][] totals = new double[roles][OracleFitTree.DIMS];
      for (int i = 0; i < n; i++) {
        double[] t = totals[roleOf[i]];
        t[0] += fullCpus[i];
        t[1] += fullMem[i];
        t[2] += fullDisk[i];
        t[3] += fullGpus[i];
        t[4] += fullPorts[i];
      }
      double[] share = new double[classes.size()];
      for (int c = 0; c < share.length; c++) {
        Cls k = classes.get(c);
        if (k.role < 0) continue;
        double[] t = totals[k.role];
        double[] need = k.need();
        double s = 0;
        for (int j = 0; j < OracleFitTree.DIMS; j++) {
          if (need[j] > 0) s = Math.max(s, t[j] > 0 ? need[j] / t[j] : Double.POSITIVE_INFINITY);
        }
        share[c] = s;
      }
      Integer[] cls = new Integer[classes.size()];
      for (int c = 0; c < cls.length; c++) cls[c] = c;
      // class ids are in order of first appearance, so the stable sort keeps that order on ties
      Arrays.sort(cls, (x, y) -> Double.compare(share[y], share[x]));
      int[] order = new int[demands.size()];
      int k = 0;
      for (int c : cls) {
        for (int d : classes.get(c).members) order[k++] = d;
      }
      return order;
    }

    // ---- a pass ---------------------------------------------------------------------------

    Pass run(int[] order) {
      Pass s = new Pass(this);
      OracleFitTree[] trees = new OracleFitTree[treeKeys.size()];
      for (int t = 0; t < trees.length; t++) {
        int role = treeKeys.get(t)[0];
        int group = treeKeys.get(t)[1];
        int[] ro = roleOffers[role];
        OracleFitTree tree = new OracleFitTree(ro.length);
        boolean[] ok = groupStaticOk.get(group);
        int[] attrs = groupUniqueAttrs.get(group);
        for (int pos = 0; pos < ro.length; pos++) {
          int i = ro[pos];
          if (ok[i] && !s.blocked(attrs, i)) {
            tree.setRaw(pos, fullCpus[i], fullMem[i], fullDisk[i], fullGpus[i], fullPorts[i]);
          }
        }
        tree.build();
        trees[t] = tree;
      }
      Failures[] failed = new Failures[trees.length];
      for (int t = 0; t < failed.length; t++) failed[t] = new Failures();
      int[] cursor = new int[classes.size()];
      boolean[] exhausted = new boolean[classes.size()];
      for (int d : order) {
        int c = classOf[d];
        if (exhausted[c]) continue;
        Cls k = classes.get(c);
        if (k.role < 0) {
          exhausted[c] = true;
          continue;
        }
        if (failed[k.tree].dominates(k)) {
          exhausted[c] = true;
          continue;
        }
        int pos = trees[k.tree].firstFit(cursor[c], k.cpus, k.mem, k.disk, k.gpus, k.ports);
        if (pos < 0) {
          exhausted[c] = true;
          failed[k.tree].add(k);
          continue;
        }
        cursor[c] = pos;
        int i = roleOffers[k.role][pos];
        s.take(d, i, k);
        for (int t : treesOfRole[k.role]) {
          if (trees[t].included(pos)) {
            trees[t].set(pos, s.cpus[i], s.mem[i], s.disk[i], s.gpus[i], s.ports[i]);
          }
        }
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
      return s;
    }

    // ---- the result -------------------------------------------------------------------------

    MatchResult result(Pass s) {
      List<Placement> placements = new ArrayList<>(s.placedCount);
      List<MatchResult.Unplaced> unplaced = new ArrayList<>(demands.size() - s.placedCount);
      Explanation[] explained = new Explanation[classes.size()];
      OracleExplainer explainer = new OracleExplainer(this, s);
      for (int d = 0; d < demands.size(); d++) {
        Demand dm = demands.get(d);
        int i = s.offerOf[d];
        if (i >= 0) {
          placements.add(new Placement(dm.id(), offers.get(i), dm.resources(),
              ports(i, s.portOffset[d], dm.ports())));
        } else {
          int c = classOf[d];
          if (explained[c] == null) explained[c] = explainer.explain(classes.get(c));
          unplaced.add(new MatchResult.Unplaced(dm.id(), explained[c].shortfalls(), explained[c].reason()));
        }
      }
      return new MatchResult(placements, unplaced);
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
    private final double[] needs = new double[KEEP * OracleFitTree.DIMS];
    private int count;
    private int next;

    boolean dominates(Cls k) {
      for (int j = 0; j < count; j++) {
        int b = j * OracleFitTree.DIMS;
        if (k.cpus >= needs[b] && k.mem >= needs[b + 1] && k.disk >= needs[b + 2]
            && k.gpus >= needs[b + 3] && k.ports >= needs[b + 4]) {
          return true;
        }
      }
      return false;
    }

    void add(Cls k) {
      int b = next * OracleFitTree.DIMS;
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
  static final class Cls {
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
    int[] members;
    int tree = -1;

    Cls(String roleName, int role, int group, Resources r, int ports, int firstDemand) {
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
      offerOf = new int[p.demands.size()];
      Arrays.fill(offerOf, -1);
      portOffset = new long[p.demands.size()];
    }

    /** Whether the value of one of these UNIQUE attributes at offer i is taken. */
    boolean blocked(int[] attrs, int i) {
      for (int a : attrs) {
        if (used[a][valueOf.get(a)[i]]) return true;
      }
      return false;
    }

    void take(int d, int i, Cls k) {
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
  record Explanation(List<Shortfall> shortfalls, String reason) {}
}
