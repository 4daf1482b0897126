package io.mesosrunner.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The answer in the making: placements with their port numbers, and unplaced demands explained once per class. */
final class Answer {
  private final Problem p;
  final Pass s;
  final List<Placement> placements;
  final List<MatchResult.Unplaced> unplaced;
  final Explanation[] explained;
  Explainer explainer;

  Answer(Problem p, Pass s) {
    this.p = p;
    this.s = s;
    explained = new Explanation[p.classes.size()];
    placements = new ArrayList<>(s.placedCount);
    unplaced = new ArrayList<>(p.demands.length - s.placedCount);
  }

  void add(int from, int to) {
    for (int d = from; d < to; d++) add(d);
  }

  void add(int d) {
    Demand dm = p.demands[d];
    int i = s.offerOf[d];
    if (i >= 0) {
      placements.add(new Placement(dm.id(), p.offers[i], dm.resources(),
          ports(i, s.portOffset[d], dm.ports())));
      return;
    }
    int c = p.classOf[d];
    Explanation e = explained[c];
    if (e == null) {
      if (explainer == null) explainer = new Explainer(p, s);
      e = explained[c] = explainer.explain(p.classes.get(c));
    }
    unplaced.add(new MatchResult.Unplaced(dm.id(), e.shortfalls(), e.reason()));
  }

private List<Long> ports(int offer, long skip, int count) {
  if (count == 0) return List.of();
  Long[] out = new Long[count];
  int k = 0;
  long[] r = p.portRanges[offer];
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
