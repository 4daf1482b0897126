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
 * One matching call's input turned into arrays and ids, built once and shared by the passes
 * ({@link Packer}), the answer ({@link Answer}) and the explanations ({@link Explainer}): per offer
 * its full resources, role and merged port ranges; per constraint set the offers its non-UNIQUE
 * constraints admit; per UNIQUE attribute each offer's value id; the demand classes; the ids of
 * the fit trees. The tables are plain arrays because the passes read them on the hot path the
 * benchmarks measure. Not thread-safe; one call builds and drops it.
 */
final class Problem {

  private static final String HOSTNAME = "hostname";

  /**
   * Per-demand work is done in methods that take this many demands at a time. The JVM compiles
   * a method once it has been called a few hundred times, but a loop inside a method only after
   * tens of thousands of rounds; a matching call is rare and often small, so a loop over its
   * demands would run interpreted for many calls, several times slower than compiled code.
   */
  private static final int CHUNK = 32;
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

  final boolean scan; // passes scan the offers instead of searching trees (see OfferMatcher.Search)

  Problem(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied, OfferMatcher.Search search) {
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
    scan = search == OfferMatcher.Search.SCAN
        || (search == OfferMatcher.Search.CHOOSE && scanWork <= 16L * (this.demands.length + (long) n));
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

  /** Groups the demands into classes, ids in order of first appearance (see {@link DemandClassifier}). */
  private void readDemands() {
    DemandClassifier classifier = new DemandClassifier(this);
    int count = demands.length;
    for (int from = 0; from < count; from += CHUNK) classifier.classify(from, Math.min(count, from + CHUNK));
    classSize = classifier.size;
    for (List<Constraint> cs : groups) groupStaticOk.add(staticOk(cs));
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
    Packer packer = new Packer(this);
    int count = demands.length;
    for (int from = 0; from < count; from += CHUNK) {
      int to = Math.min(count, from + CHUNK);
      packer.place(order, from, to);
      if (packer.s.placedCount + (count - to) <= toBeat) return null;
    }
    return packer.s;
  }


  // ---- the result -------------------------------------------------------------------------

  MatchResult result(Pass s) {
    Answer out = new Answer(this, s);
    int count = demands.length;
    for (int from = 0; from < count; from += CHUNK) out.add(from, Math.min(count, from + CHUNK));
    return new MatchResult(out.placements, out.unplaced);
  }

}
