package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains why a class of identical demands was left unplaced, in numbers and one line, after
 * the winning pass.
 *
 * <p>The offer that comes closest (fewest missing resources, then smallest summed relative gap)
 * is always one that no other offer beats in every resource: if B has at least as much as A of
 * everything, B misses no more than A and by no more. So for each (role, constraint set) the
 * offers are reduced once to those Pareto-maximal sets (over full resources, and over what is left
 * of the offers not ruled out by UNIQUE; each set only when an explanation first needs it), and
 * each class is then explained against those few offers instead of all of them. Among equally
 * close offers the first in offer order wins.
 */
final class Explainer {

  private final Problem p;
  private final Pass s;
  private final Map<Long, View> views = new HashMap<>();

  Explainer(Problem p, Pass s) {
    this.p = p;
    this.s = s;
  }

  /** What one (role, constraint set) pair sees of the offers, computed once. */
  private static final class View {
    int roleOffers;
    int candidates;          // offers of the role passing CLUSTER/LIKE/UNLIKE
    int blocked;             // of those, ruled out by a used UNIQUE value
    List<String> blockingAttrs;
    int[] cand;              // the candidates, in offer order
    int[] free;              // of those, the ones not blocked
    int[] fullAll;           // Pareto-maximal candidates by full resources
    int[] fullFree;          // ... of the candidates not blocked (computed when first needed)
    int[] leftFree;          // Pareto-maximal unblocked candidates by what is left (likewise)
  }

  Explanation explain(DemandClass k) {
    if (p.n == 0) return new Explanation(List.of(), "no offers");
    if (k.role < 0) {
      return new Explanation(List.of(), "role " + k.roleName
          + ": no offer for this role (offers are for " + String.join(", ", p.roleNames) + ")");
    }
    View v = views.computeIfAbsent(((long) k.role << 32) | k.group, key -> view(k));
    if (v.candidates == 0) {
      return new Explanation(List.of(), constraintReason(k));
    }
    int best = closest(k, v.fullAll, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
    if (missing(k, best, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts) > 0) {
      List<Shortfall> sf = shortfalls(k, best, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
      return new Explanation(sf, describe(sf, v.candidates > 1));
    }
    if (v.fullFree == null) {
      v.fullFree = v.free.length == v.cand.length ? v.fullAll
          : pareto(v.free, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
    }
    int free = v.fullFree.length == 0 ? -1
        : closest(k, v.fullFree, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
    if (free < 0 || missing(k, free, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts) > 0) {
      return new Explanation(List.of(), uniqueReason(v));
    }
    if (v.leftFree == null) v.leftFree = pareto(v.free, s.cpus, s.mem, s.disk, s.gpus, s.ports);
    int left = closest(k, v.leftFree, s.cpus, s.mem, s.disk, s.gpus, s.ports);
    return new Explanation(shortfalls(k, left, s.cpus, s.mem, s.disk, s.gpus, s.ports),
        "all offers are used up by other instances");
  }

  private View view(DemandClass k) {
    View v = new View();
    int[] ro = p.roleOffers[k.role];
    if (p.groups.get(k.group).isEmpty()) {
      // no constraints: every offer of the role is a candidate and none is blocked
      v.roleOffers = v.candidates = ro.length;
      v.blockingAttrs = List.of();
      v.cand = v.free = ro;
      v.fullAll = pareto(ro, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
      return v;
    }
    boolean[] ok = p.groupStaticOk.get(k.group);
    int[] attrs = p.groupUniqueAttrs.get(k.group);
    int[] cand = new int[ro.length];
    int[] free = new int[ro.length];
    int nc = 0;
    int nf = 0;
    boolean[] attrBlocks = new boolean[attrs.length];
    for (int i : ro) {
      if (!ok[i]) continue;
      cand[nc++] = i;
      boolean blocked = false;
      for (int j = 0; j < attrs.length; j++) {
        if (s.used[attrs[j]][p.valueOf.get(attrs[j])[i]]) {
          attrBlocks[j] = true;
          blocked = true;
        }
      }
      if (!blocked) free[nf++] = i;
    }
    v.roleOffers = ro.length;
    v.candidates = nc;
    v.blocked = nc - nf;
    v.blockingAttrs = new ArrayList<>();
    for (int j = 0; j < attrs.length; j++) {
      if (attrBlocks[j]) v.blockingAttrs.add(p.uniqueAttrNames.get(attrs[j]));
    }
    v.cand = Arrays.copyOf(cand, nc);
    v.free = nf == nc ? v.cand : Arrays.copyOf(free, nf);
    v.fullAll = pareto(v.cand, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
    return v;
  }

  /**
   * The offers no other offer matches or beats in every resource, in offer order: those not
   * dominated by an offer that comes before them when sorting by the resources (cpus, then mem,
   * disk, gpus, ports) decreasing and then by offer order. Built in one pass in offer order
   * without sorting: a new offer either is dominated by one already on the front, or joins it
   * and drops those it dominates.
   */
  static int[] pareto(int[] offers, double[] c, double[] m, double[] d, double[] g, long[] pt) {
    int[] front = new int[offers.length];
    int nf = 0;
    for (int i : offers) nf = add(front, nf, i, c, m, d, g, pt); // a call per offer: compiled soon
    return Arrays.copyOf(front, nf);
  }

  /** Adds offer i (later in offer order than all before it) to the front of size nf; the new size. */
  private static int add(int[] front, int nf, int i, double[] c, double[] m, double[] d, double[] g, long[] pt) {
    for (int j = 0; j < nf; j++) {
      int f = front[j];
      if (c[f] >= c[i] && m[f] >= m[i] && d[f] >= d[i] && g[f] >= g[i] && pt[f] >= pt[i]
          && sortsBefore(f, i, c, m, d, g, pt)) {
        return nf; // dominated
      }
    }
    int kept = 0;
    for (int j = 0; j < nf; j++) {
      int f = front[j];
      boolean drop = c[i] >= c[f] && m[i] >= m[f] && d[i] >= d[f] && g[i] >= g[f] && pt[i] >= pt[f]
          && sortsBefore(i, f, c, m, d, g, pt);
      if (!drop) front[kept++] = f;
    }
    front[kept] = i;
    return kept + 1;
  }

  /** Whether x sorts before y: resources decreasing (as Double.compare orders them), then offer order. */
  private static boolean sortsBefore(int x, int y, double[] c, double[] m, double[] d, double[] g, long[] pt) {
    int r = Double.compare(c[y], c[x]);
    if (r == 0) r = Double.compare(m[y], m[x]);
    if (r == 0) r = Double.compare(d[y], d[x]);
    if (r == 0) r = Double.compare(g[y], g[x]);
    if (r == 0) r = Long.compare(pt[y], pt[x]);
    return r != 0 ? r < 0 : x < y;
  }

  private String constraintReason(DemandClass k) {
    int[] ro = p.roleOffers[k.role];
    List<String> parts = new ArrayList<>();
    for (Constraint c : p.groups.get(k.group)) {
      if (c.operator() == Constraint.Operator.UNIQUE) continue;
      int out = 0;
      for (int i : ro) {
        if (!p.holds(c, p.offers[i])) out++;
      }
      if (out == ro.length) return "constraint " + c + ": rules out " + offers(ro.length);
      if (out > 0) parts.add(c + " rules out " + out);
    }
    return "constraints together rule out " + offers(ro.length) + " (" + String.join(", ", parts) + ")";
  }

  private static String uniqueReason(View v) {
    boolean hosts = v.blockingAttrs.equals(List.of("hostname"));
    String plural = hosts ? "hosts" : String.join(" and ", v.blockingAttrs) + " values";
    String singular = hosts ? "host" : String.join(" and ", v.blockingAttrs) + " value";
    List<String> cs = new ArrayList<>();
    for (String name : v.blockingAttrs) cs.add(name + " UNIQUE");
    String subject;
    if (v.blocked == v.candidates) {
      subject = v.blocked == 1 ? "the only offer's " + singular + " is already used"
          : "all " + v.blocked + " offers' " + plural + " are already used";
    } else {
      subject = "every offer big enough is on a " + singular + " already used ("
          + v.blocked + " of " + v.candidates + " offers' " + plural + " are used)";
    }
    return "constraint " + String.join(" and ", cs) + ": " + subject;
  }

  private static String offers(int n) {
    return n == 1 ? "the only offer" : "all " + n + " offers";
  }

  private static int missing(DemandClass k, int i, double[] cpus, double[] mem, double[] disk,
      double[] gpus, long[] ports) {
    int m = 0;
    if (k.cpus > cpus[i] + Resources.EPSILON) m++;
    if (k.mem > mem[i] + Resources.EPSILON) m++;
    if (k.disk > disk[i] + Resources.EPSILON) m++;
    if (k.gpus > gpus[i] + Resources.EPSILON) m++;
    if (k.ports > ports[i]) m++;
    return m;
  }

  private static double gap(double asked, double has) {
    return asked > has + Resources.EPSILON ? (asked - has) / asked : 0;
  }

  /** Fewest missing resources, then smallest relative gap, then first; -1 when among is empty. */
  private static int closest(DemandClass k, int[] among,
      double[] cpus, double[] mem, double[] disk, double[] gpus, long[] ports) {
    int best = -1;
    int bestMissing = Integer.MAX_VALUE;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int i : among) {
      int m = missing(k, i, cpus, mem, disk, gpus, ports);
      double g = gap(k.cpus, cpus[i]) + gap(k.mem, mem[i]) + gap(k.disk, disk[i])
          + gap(k.gpus, gpus[i]) + (k.ports > ports[i] ? (double) (k.ports - ports[i]) / k.ports : 0);
      if (m < bestMissing || (m == bestMissing && g < bestGap)) {
        best = i;
        bestMissing = m;
        bestGap = g;
      }
    }
    return best;
  }

  private static List<Shortfall> shortfalls(DemandClass k, int i, double[] cpus, double[] mem,
      double[] disk, double[] gpus, long[] ports) {
    List<Shortfall> out = new ArrayList<>(2);
    if (k.cpus > cpus[i] + Resources.EPSILON) out.add(new Shortfall("cpus", k.cpus, cpus[i]));
    if (k.mem > mem[i] + Resources.EPSILON) out.add(new Shortfall("mem", k.mem, mem[i]));
    if (k.disk > disk[i] + Resources.EPSILON) out.add(new Shortfall("disk", k.disk, disk[i]));
    if (k.gpus > gpus[i] + Resources.EPSILON) out.add(new Shortfall("gpus", k.gpus, gpus[i]));
    if (k.ports > ports[i]) out.add(new Shortfall("ports", k.ports, ports[i]));
    return out;
  }

  private static String describe(List<Shortfall> shortfalls, boolean severalOffers) {
    List<String> parts = new ArrayList<>(shortfalls.size());
    for (Shortfall sf : shortfalls) parts.add(severalOffers ? sf.toString("best offer") : sf.toString());
    return String.join("; ", parts);
  }
}
