package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains why a class of identical demands was left unplaced, in numbers and one line. Runs
 * once per class in O(offers), after the winning pass.
 */
final class Explainer {

  private Explainer() {}

  static Matcher.Explanation explain(Matcher.Problem p, Matcher.Pass s, Matcher.Cls k) {
    if (p.n == 0) return new Matcher.Explanation(List.of(), "no offers");
    if (k.role < 0) {
      return new Matcher.Explanation(List.of(), "role " + k.roleName
          + ": no offer for this role (offers are for " + String.join(", ", p.roleNames) + ")");
    }
    int[] ro = p.roleOffers[k.role];
    boolean[] ok = p.groupStaticOk.get(k.group);
    List<Integer> candidates = new ArrayList<>();
    for (int i : ro) {
      if (ok[i]) candidates.add(i);
    }
    if (candidates.isEmpty()) {
      return new Matcher.Explanation(List.of(), constraintReason(p, k, ro));
    }

    List<Integer> fitFull = new ArrayList<>();
    for (int i : candidates) {
      if (missing(k, p.fullCpus[i], p.fullMem[i], p.fullDisk[i], p.fullGpus[i], p.fullPorts[i]) == 0) {
        fitFull.add(i);
      }
    }
    if (fitFull.isEmpty()) {
      int best = closest(k, candidates, p.fullCpus, p.fullMem, p.fullDisk, p.fullGpus, p.fullPorts);
      List<Shortfall> sf = shortfalls(k, p.fullCpus[best], p.fullMem[best], p.fullDisk[best],
          p.fullGpus[best], p.fullPorts[best]);
      return new Matcher.Explanation(sf, describe(sf, candidates.size() > 1));
    }

    int[] attrs = p.groupUniqueAttrs.get(k.group);
    List<Integer> free = new ArrayList<>();
    for (int i : fitFull) {
      if (!s.blocked(attrs, i)) free.add(i);
    }
    if (free.isEmpty()) {
      return new Matcher.Explanation(List.of(), uniqueReason(p, s, attrs, fitFull));
    }
    int best = closest(k, free, s.cpus, s.mem, s.disk, s.gpus, s.ports);
    List<Shortfall> sf = shortfalls(k, s.cpus[best], s.mem[best], s.disk[best], s.gpus[best], s.ports[best]);
    return new Matcher.Explanation(sf, "all offers are used up by other instances");
  }

  private static String constraintReason(Matcher.Problem p, Matcher.Cls k, int[] ro) {
    List<String> parts = new ArrayList<>();
    for (Constraint c : p.groups.get(k.group)) {
      if (c.operator() == Constraint.Operator.UNIQUE) continue;
      int out = 0;
      for (int i : ro) {
        if (!p.holds(c, p.offers.get(i))) out++;
      }
      if (out == ro.length) return "constraint " + c + ": rules out " + offers(ro.length);
      if (out > 0) parts.add(c + " rules out " + out);
    }
    return "constraints together rule out " + offers(ro.length) + " (" + String.join(", ", parts) + ")";
  }

  private static String uniqueReason(Matcher.Problem p, Matcher.Pass s, int[] attrs, List<Integer> offers) {
    List<String> names = new ArrayList<>();
    for (int a : attrs) {
      for (int i : offers) {
        if (s.used[a][p.valueOf.get(a)[i]]) {
          names.add(p.uniqueAttrNames.get(a));
          break;
        }
      }
    }
    String what = names.size() == 1 && names.get(0).equals("hostname") ? "hosts" : "values";
    String subject = offers.size() == 1
        ? "the only offer's " + (what.equals("hosts") ? "host is" : "value is")
        : "all " + offers.size() + " offers' " + what + " are";
    List<String> cs = new ArrayList<>();
    for (String name : names) cs.add(name + " UNIQUE");
    return "constraint " + String.join(" and ", cs) + ": " + subject + " already used";
  }

  private static String offers(int n) {
    return n == 1 ? "the only offer" : "all " + n + " offers";
  }

  private static int missing(Matcher.Cls k, double cpus, double mem, double disk, double gpus, long ports) {
    int m = 0;
    if (k.cpus > cpus + Resources.EPSILON) m++;
    if (k.mem > mem + Resources.EPSILON) m++;
    if (k.disk > disk + Resources.EPSILON) m++;
    if (k.gpus > gpus + Resources.EPSILON) m++;
    if (k.ports > ports) m++;
    return m;
  }

  private static double gap(double asked, double has) {
    return asked > has + Resources.EPSILON ? (asked - has) / asked : 0;
  }

  /** The offer that comes closest: fewest missing resources, then smallest relative gap, then first. */
  private static int closest(Matcher.Cls k, List<Integer> among,
      double[] cpus, double[] mem, double[] disk, double[] gpus, long[] ports) {
    int best = -1;
    int bestMissing = Integer.MAX_VALUE;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int i : among) {
      int m = missing(k, cpus[i], mem[i], disk[i], gpus[i], ports[i]);
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

  private static List<Shortfall> shortfalls(Matcher.Cls k, double cpus, double mem, double disk,
      double gpus, long ports) {
    List<Shortfall> out = new ArrayList<>(2);
    if (k.cpus > cpus + Resources.EPSILON) out.add(new Shortfall("cpus", k.cpus, cpus));
    if (k.mem > mem + Resources.EPSILON) out.add(new Shortfall("mem", k.mem, mem));
    if (k.disk > disk + Resources.EPSILON) out.add(new Shortfall("disk", k.disk, disk));
    if (k.gpus > gpus + Resources.EPSILON) out.add(new Shortfall("gpus", k.gpus, gpus));
    if (k.ports > ports) out.add(new Shortfall("ports", k.ports, ports));
    return out;
  }

  private static String describe(List<Shortfall> shortfalls, boolean severalOffers) {
    List<String> parts = new ArrayList<>(shortfalls.size());
    for (Shortfall sf : shortfalls) parts.add(severalOffers ? sf.toString("best offer") : sf.toString());
    return String.join("; ", parts);
  }
}
