package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Constraint.Operator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference the matcher is held to: every way of placing a few demands on a few offers, tried
 * one by one. It shares no code with the matcher (no classes, no trees, no cursors, no
 * explanations): each demand goes on each offer or nowhere, resources and distinct port numbers
 * are subtracted, roles must be equal, {@code UNIQUE} values may not repeat (counting those already
 * occupied) and the other operators are tested on the offer's attribute. Exponential: only for
 * inputs of a handful of demands and offers.
 */
final class BruteForcePlacement {
  private final List<Offer> offers;
  private final List<Demand> demands;
  private final List<Occupancy> occupied;

  BruteForcePlacement(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
    this.offers = offers;
    this.demands = demands;
    this.occupied = occupied;
  }

  /** The most demands that can be placed at once. */
  int maxPlaced() {
    Resources[] left = new Resources[offers.size()];
    int[] portsLeft = new int[offers.size()];
    for (int i = 0; i < left.length; i++) {
      left[i] = offers.get(i).resources();
      portsLeft[i] = distinctPorts(offers.get(i));
    }
    return search(0, left, portsLeft, new HashMap<>());
  }

  /** Whether {@code d} fits some offer with nothing else placed. */
  boolean fitsAlone(Demand d) {
    for (Offer o : offers) {
      if (admits(o, d, o.resources(), distinctPorts(o), Map.of())) return true;
    }
    return false;
  }

  private int search(int next, Resources[] left, int[] portsLeft, Map<String, Set<Optional<String>>> usedValues) {
    if (next == demands.size()) return 0;
    Demand d = demands.get(next);
    int best = search(next + 1, left, portsLeft, usedValues); // d left unplaced
    for (int i = 0; i < offers.size() && best < demands.size() - next; i++) {
      Offer o = offers.get(i);
      if (!admits(o, d, left[i], portsLeft[i], usedValues)) continue;
      Resources before = left[i];
      left[i] = before.minus(d.resources());
      portsLeft[i] -= d.ports();
      Map<String, Set<Optional<String>>> after = withUniqueValues(usedValues, d, o);
      best = Math.max(best, 1 + search(next + 1, left, portsLeft, after));
      left[i] = before;
      portsLeft[i] += d.ports();
    }
    return best;
  }

  private boolean admits(Offer o, Demand d, Resources left, int portsLeft, Map<String, Set<Optional<String>>> used) {
    if (!o.role().equals(d.role()) || !left.covers(d.resources()) || portsLeft < d.ports()) return false;
    for (Constraint c : d.constraints()) {
      Optional<String> value = Optional.ofNullable(attribute(o, c.attribute()));
      if (c.operator() == Operator.UNIQUE) {
        if (occupiedValues(c.attribute()).contains(value)) return false;
        if (used.getOrDefault(c.attribute(), Set.of()).contains(value)) return false;
      } else if (!holds(c, value.orElse(null))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Set<Optional<String>>> withUniqueValues(
      Map<String, Set<Optional<String>>> used, Demand d, Offer o) {
    Map<String, Set<Optional<String>>> out = new HashMap<>();
    used.forEach((k, v) -> out.put(k, new HashSet<>(v)));
    for (Constraint c : d.constraints()) {
      if (c.operator() == Operator.UNIQUE) {
        out.computeIfAbsent(c.attribute(), k -> new HashSet<>()).add(Optional.ofNullable(attribute(o, c.attribute())));
      }
    }
    return out;
  }

  private Set<Optional<String>> occupiedValues(String attribute) {
    Set<Optional<String>> out = new HashSet<>();
    for (Occupancy o : occupied) {
      out.add(Optional.ofNullable(attribute.equals("hostname") ? o.hostname() : o.attributes().get(attribute)));
    }
    return out;
  }

  private static String attribute(Offer o, String attribute) {
    return attribute.equals("hostname") ? o.hostname() : o.attributes().get(attribute);
  }

  private static boolean holds(Constraint c, String value) {
    return switch (c.operator()) {
      case UNIQUE -> true;
      case CLUSTER -> c.value().equals(value);
      case LIKE -> value != null && value.matches(c.value());
      case UNLIKE -> value == null || !value.matches(c.value());
    };
  }

  static int distinctPorts(Offer o) {
    Set<Long> ports = new HashSet<>();
    for (PortRange r : o.ports()) {
      for (long p = r.begin(); p <= r.end(); p++) ports.add(p);
    }
    return ports.size();
  }
}
