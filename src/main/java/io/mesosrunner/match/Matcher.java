package io.mesosrunner.match;

import java.util.ArrayList;
import java.util.List;

/**
 * Places pending demands on offers. A pure function: no I/O, no clock, no state.
 * First version: plain first-fit over scalars and ports, in the order given.
 */
public final class Matcher {

  private Matcher() {}

  public static MatchResult match(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
    List<Resources> left = new ArrayList<>();
    List<Long> nextPortIndex = new ArrayList<>();
    for (Offer o : offers) {
      left.add(o.resources());
      nextPortIndex.add(0L);
    }
    List<Placement> placements = new ArrayList<>();
    List<MatchResult.Unplaced> unplaced = new ArrayList<>();
    for (Demand d : demands) {
      boolean placed = false;
      for (int i = 0; i < offers.size() && !placed; i++) {
        Offer o = offers.get(i);
        long portsLeft = o.ports().stream().mapToLong(PortRange::size).sum() - nextPortIndex.get(i);
        if (o.role().equals(d.role()) && left.get(i).covers(d.resources()) && portsLeft >= d.ports()) {
          List<Long> ports = new ArrayList<>();
          long skip = nextPortIndex.get(i);
          for (PortRange r : o.ports()) {
            for (long p = r.begin(); p <= r.end() && ports.size() < d.ports(); p++) {
              if (skip > 0) { skip--; continue; }
              ports.add(p);
            }
          }
          nextPortIndex.set(i, nextPortIndex.get(i) + d.ports());
          left.set(i, left.get(i).minus(d.resources()));
          placements.add(new Placement(d.id(), o, d.resources(), ports));
          placed = true;
        }
      }
      if (!placed) {
        unplaced.add(new MatchResult.Unplaced(d.id(), List.of(), offers.isEmpty() ? "no offers" : "no offer fits"));
      }
    }
    return new MatchResult(placements, unplaced);
  }
}
