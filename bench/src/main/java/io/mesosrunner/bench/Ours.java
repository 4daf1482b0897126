package io.mesosrunner.bench;

import io.mesosrunner.match.MatchResult;
import io.mesosrunner.match.OfferMatcher;
import io.mesosrunner.match.Placement;
import java.util.Arrays;
import java.util.List;

/** Our {@link OfferMatcher} on a {@link Workload}. */
public final class Ours {

  private Ours() {}

  public static MatchResult match(Workload w) {
    return OfferMatcher.match(w.offers, w.demands, List.of());
  }

  /** Per demand, the offer index the matcher chose, or -1. */
  public static int[] assignment(Workload w, MatchResult r) {
    int[] out = new int[w.instanceCount];
    Arrays.fill(out, -1);
    for (Placement p : r.placements()) {
      out[Integer.parseInt(p.demandId())] = Integer.parseInt(p.offer().id().substring("offer-".length()));
    }
    return out;
  }
}
