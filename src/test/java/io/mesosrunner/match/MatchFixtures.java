package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written fixture factories with named arguments:
 * {@code offer("agent-1", cpus(4), memMb(1024), ports(31000, 31009))},
 * {@code demand("web-1", cpus(1), ports(2), constraint("hostname UNIQUE"))}.
 */
final class MatchFixtures {

  private MatchFixtures() {}

  /** One named argument of an offer or a demand. */
  interface Part {
    void apply(Spec s);
  }

  /** What the parts fill in; defaults are zero resources, role "*", no ports. */
  static final class Spec {
    String id;
    String role = "*";
    double cpus;
    double mem;
    double disk;
    double gpus;
    int portCount;
    final List<PortRange> ranges = new ArrayList<>();
    final Map<String, String> attributes = new HashMap<>();
    final List<Constraint> constraints = new ArrayList<>();
  }

  static Part cpus(double v) {
    return s -> s.cpus = v;
  }

  static Part memMb(double v) {
    return s -> s.mem = v;
  }

  static Part diskMb(double v) {
    return s -> s.disk = v;
  }

  static Part gpus(double v) {
    return s -> s.gpus = v;
  }

  /** For an offer: the inclusive range {@code [begin-end]}. */
  static Part ports(long begin, long end) {
    return s -> s.ranges.add(new PortRange(begin, end));
  }

  /** For a demand: how many ports it needs. */
  static Part ports(int count) {
    return s -> s.portCount = count;
  }

  static Part role(String role) {
    return s -> s.role = role;
  }

  static Part id(String id) {
    return s -> s.id = id;
  }

  static Part attr(String name, String value) {
    return s -> s.attributes.put(name, value);
  }

  /** A constraint as a job file writes it: {@code hostname UNIQUE}, {@code rack LIKE r[1-3]}. */
  static Part constraint(String text) {
    String[] w = text.split(" ", 3);
    Constraint c = new Constraint(w[0], Constraint.Operator.valueOf(w[1]), w.length > 2 ? w[2] : null);
    return s -> s.constraints.add(c);
  }

  private static Spec spec(Part... parts) {
    Spec s = new Spec();
    for (Part p : parts) p.apply(s);
    return s;
  }

  /** An offer on host {@code hostname}; its id is {@code offer-<hostname>} unless given. */
  static Offer offer(String hostname, Part... parts) {
    Spec s = spec(parts);
    return new Offer(s.id != null ? s.id : "offer-" + hostname, "agent-" + hostname, hostname, s.role,
        new Resources(s.cpus, s.mem, s.disk, s.gpus), s.ranges, s.attributes);
  }

  static Demand demand(String id, Part... parts) {
    Spec s = spec(parts);
    return new Demand(id, s.role, new Resources(s.cpus, s.mem, s.disk, s.gpus), s.portCount, s.constraints);
  }

  /** {@code count} identical demands {@code prefix-0 .. prefix-(count-1)}. */
  static List<Demand> demands(String prefix, int count, Part... parts) {
    List<Demand> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(demand(prefix + "-" + i, parts));
    return out;
  }

  /** An instance already running on {@code hostname}. */
  static Occupancy runningOn(String hostname, Part... parts) {
    return new Occupancy(hostname, spec(parts).attributes);
  }
}
