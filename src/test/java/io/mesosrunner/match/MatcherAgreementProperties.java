package io.mesosrunner.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.job.Constraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The matcher's short cuts (demand classes found without hashing records, offers scanned instead
 * of searched in trees when classes x offers is small, a class's last offer reused without a tree
 * search, Pareto fronts built without sorting, explanations worked out only as far as they are
 * needed) change no answer: every way of searching returns the same placements with the same
 * ports and the same unplaced demands with the same shortfalls and reasons. What the answer must
 * be is checked against a reference that shares no code with the matcher, in
 * {@link MatcherReferenceProperties}.
 */
class MatcherAgreementProperties {

  @Property(tries = 1500)
  void everySearchGivesTheSameAnswerOnSmallProblems(@ForAll("scenarios") MatcherProperties.Scenario s) {
    assertAgrees(s.offers(), s.demands(), s.occupied());
  }

  @Property(tries = 400)
  void everySearchGivesTheSameAnswerOnWiderProblems(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 160) int offers,
      @ForAll @IntRange(min = 0, max = 400) int demands, @ForAll @IntRange(min = 1, max = 30) int shapes) {
    Random rnd = new Random(seed);
    List<Offer> os = wideOffers(rnd, offers);
    List<Demand> ds = wideDemands(rnd, demands, shapes);
    List<Occupancy> occ = rnd.nextInt(4) == 0
        ? List.of(new Occupancy("h" + rnd.nextInt(Math.max(1, offers)), Map.of("rack", "r" + rnd.nextInt(4))))
        : List.of();

    assertAgrees(os, ds, occ);
  }

  /** Scanning the offers and searching trees give the public choice's answer. */
  private static void assertAgrees(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
    MatchResult chosen = OfferMatcher.match(offers, demands, occupied);
    for (OfferMatcher.Search way : OfferMatcher.Search.values()) {
      assertThat(OfferMatcher.match(offers, demands, occupied, way)).as("search %s", way).isEqualTo(chosen);
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<MatcherProperties.Scenario> scenarios() {
    return new MatcherProperties().scenarios();
  }

  /** Offers from a few sizes (so ties and dominated offers are common), some roles, racks, ports. */
  private static List<Offer> wideOffers(Random rnd, int count) {
    double[] cpus = {0, 0.5, 1, 2, 4, 8, 16};
    double[] mem = {0, 256, 1024, 4096, 16384};
    List<Offer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<PortRange> ports = new ArrayList<>();
      for (int r = rnd.nextInt(3); r > 0; r--) {
        int b = 31000 + rnd.nextInt(40);
        ports.add(new PortRange(b, b + rnd.nextInt(6)));
      }
      Map<String, String> attrs = rnd.nextInt(5) == 0 ? Map.of() : Map.of("rack", "r" + rnd.nextInt(4));
      String host = "h" + rnd.nextInt(Math.max(1, count));
      out.add(new Offer("o" + i, "a" + i, host, rnd.nextInt(6) == 0 ? "data" : "*",
          new Resources(cpus[rnd.nextInt(cpus.length)], mem[rnd.nextInt(mem.length)],
              rnd.nextInt(3) * 500.0, rnd.nextInt(5) == 0 ? 1 : 0),
          ports, attrs));
    }
    return out;
  }

  /**
   * Demands drawn from a few shapes, sometimes in runs of one shape (as a job's instances come),
   * sometimes shuffled; shapes may share resources but differ in ports, role or constraints, and
   * equal constraint lists are sometimes distinct list objects.
   */
  private static List<Demand> wideDemands(Random rnd, int count, int shapeCount) {
    double[] cpus = {0, 0.1, 0.5, 1, 1.5, 3, 6};
    double[] mem = {0, 128, 512, 2048, 8192};
    List<List<Constraint>> sets = MatcherProperties.CONSTRAINT_SETS;
    List<Demand> shapes = new ArrayList<>(shapeCount);
    for (int s = 0; s < shapeCount; s++) {
      List<Constraint> cs = rnd.nextInt(3) == 0 ? sets.get(rnd.nextInt(sets.size())) : List.of();
      if (rnd.nextBoolean()) cs = new ArrayList<>(cs); // equal, not identical
      shapes.add(new Demand("shape", rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? "data" : "other") : "*",
          new Resources(cpus[rnd.nextInt(cpus.length)], mem[rnd.nextInt(mem.length)],
              rnd.nextInt(4) == 0 ? 250 : 0, rnd.nextInt(10) == 0 ? 1 : 0),
          rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0, cs));
    }
    boolean runs = rnd.nextBoolean();
    List<Demand> out = new ArrayList<>(count);
    Demand t = shapes.get(0);
    for (int i = 0; i < count; i++) {
      if (!runs || rnd.nextInt(8) == 0) t = shapes.get(rnd.nextInt(shapeCount));
      // a fresh Resources object half the time: equal shapes are not always the same objects
      Resources r = rnd.nextBoolean() ? t.resources()
          : new Resources(t.resources().cpus(), t.resources().memMb(), t.resources().diskMb(), t.resources().gpus());
      out.add(new Demand("d" + i, t.role(), r, t.ports(), t.constraints()));
    }
    return out;
  }
}
