package io.mesosrunner.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Constraint.Operator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards against quadratic blow-ups at the size: 100,000 demands over 10,000
 * heterogeneous offers. Not a benchmark: the timeouts are generous, the times are only printed.
 */
class MatcherScaleTest {

  static final int OFFERS = 10_000;
  static final int DEMANDS = 100_000;

  /** Heterogeneous agents: 2-64 cpus, 4-256 GiB, some with GPUs, two port ranges, racks. */
  static List<Offer> offers(long seed, int count) {
    Random rnd = new Random(seed);
    List<Offer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double cpus = 2 << rnd.nextInt(6);
      double mem = 4096.0 * (1 + rnd.nextInt(64));
      double gpus = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(4) : 0;
      int base = 31000 + rnd.nextInt(1000);
      List<PortRange> ports = List.of(new PortRange(base, base + 9 + rnd.nextInt(20)),
          new PortRange(base + 100, base + 100 + rnd.nextInt(50)));
      String host = "host-" + i;
      out.add(new Offer("offer-" + i, "agent-" + i, host, "*", new Resources(cpus, mem, 10_000 + rnd.nextInt(90_000), gpus),
          ports, Map.of("rack", "r" + (i % 40))));
    }
    return out;
  }

  /** Demands drawn from 20 job shapes, so identical demands recur as they do in practice. */
  static List<Demand> mixedDemands(long seed, int count, boolean withConstraints) {
    Random rnd = new Random(seed);
    List<Demand> shapes = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      List<Constraint> cs = !withConstraints ? List.of() : switch (s % 4) {
        case 0 -> List.of(new Constraint("rack", Operator.LIKE, "r[0-2]?[0-9]"));
        case 1 -> List.of(new Constraint("rack", Operator.UNLIKE, "r3.*"));
        default -> List.of();
      };
      shapes.add(new Demand("shape", "*",
          new Resources(0.25 * (1 + rnd.nextInt(16)), 128.0 * (1 + rnd.nextInt(64)), 100 * rnd.nextInt(20),
              s == 7 ? 1 : 0),
          rnd.nextInt(3), cs));
    }
    List<Demand> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Demand t = shapes.get(rnd.nextInt(shapes.size()));
      out.add(new Demand("d" + i, t.role(), t.resources(), t.ports(), t.constraints()));
    }
    return out;
  }

  /** Every demand different: the worst case for grouping. */
  static List<Demand> distinctDemands(long seed, int count) {
    Random rnd = new Random(seed);
    List<Demand> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Demand("d" + i, "*", new Resources(0.1 + rnd.nextDouble() * 4, 64 + rnd.nextDouble() * 16_000,
          rnd.nextDouble() * 2000, 0), rnd.nextInt(2), List.of()));
    }
    return out;
  }

  private static MatchResult timed(String label, List<Offer> offers, List<Demand> demands, List<Occupancy> occ) {
    long t0 = System.nanoTime();
    MatchResult r = OfferMatcher.match(offers, demands, occ);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("%s: %d demands over %d offers: %d placed, %d unplaced in %d ms; %s%n",
        label, demands.size(), offers.size(), r.placements().size(), r.unplaced().size(), ms, r.summary());
    return r;
  }

  private static void assertNoOverCommit(MatchResult r) {
    Map<Offer, Resources> used = new HashMap<>();
    for (Placement p : r.placements()) used.merge(p.offer(), p.resources(), Resources::plus);
    used.forEach((o, u) -> assertThat(o.resources().covers(u)).as("%s over-committed", o.id()).isTrue());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void placesAHundredThousandMixedDemandsOverTenThousandOffers() {
    List<Offer> offers = offers(1, OFFERS);
    List<Demand> demands = mixedDemands(2, DEMANDS, true);

    MatchResult r = timed("mixed", offers, demands, List.of());

    assertThat(r.placements().size() + r.unplaced().size()).isEqualTo(DEMANDS);
    assertThat(r.placements().size()).isGreaterThan(DEMANDS / 2);
    assertNoOverCommit(r);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void placesAHundredThousandDistinctDemandsOverTenThousandOffers() {
    MatchResult r = timed("distinct", offers(3, OFFERS), distinctDemands(4, DEMANDS), List.of());

    assertThat(r.placements().size() + r.unplaced().size()).isEqualTo(DEMANDS);
    assertNoOverCommit(r);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void hostnameUniqueAtScaleUsesEachHostOnce() {
    List<Demand> demands = new ArrayList<>();
    for (int i = 0; i < DEMANDS; i++) {
      demands.add(new Demand("u" + i, "*", new Resources(0.5, 256, 0, 0), 1,
          List.of(new Constraint("hostname", Operator.UNIQUE, null))));
    }
    List<Occupancy> occupied = List.of(new Occupancy("host-0", Map.of()), new Occupancy("host-1", Map.of()));

    MatchResult r = timed("unique", offers(5, OFFERS), demands, occupied);

    assertThat(r.placements()).hasSize(OFFERS - 2);
    assertThat(r.placements().stream().map(p -> p.offer().hostname()).distinct().count()).isEqualTo(OFFERS - 2);
    assertThat(r.unplaced()).first().extracting(MatchResult.Unplaced::reason)
        .isEqualTo("constraint hostname UNIQUE: all 10000 offers' hosts are already used");
  }
}
