package io.mesosrunner.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.match.MatcherProperties.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The matcher against {@link BruteForcePlacement}, which tries every placement of a handful of
 * demands on a handful of offers. First-fit-decreasing is a heuristic, so for mixed demands only
 * the bound holds (never more than is possible; how often it reaches the optimum is collected as
 * a statistic); for demands that are all alike it must be optimal, and its reasons for what it
 * leaves must be true of the offers.
 */
class MatcherReferenceProperties {

  @Property(tries = 1000)
  void placesAsManyAsPossibleWhenAllDemandsAreAlike(@ForAll("alike") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());

    assertThat(r.placements()).hasSize(new BruteForcePlacement(s.offers(), s.demands(), s.occupied()).maxPlaced());
  }

  @Property(tries = 1000)
  void neverPlacesMoreThanIsPossible(@ForAll("mixed") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());
    int best = new BruteForcePlacement(s.offers(), s.demands(), s.occupied()).maxPlaced();

    Statistics.label("reaches the optimum").collect(r.placements().size() == best);
    assertThat(r.placements().size()).isLessThanOrEqualTo(best);
  }

  @Property(tries = 1000)
  void saysOffersAreUsedUpOnlyWhenTheDemandWouldFitAlone(@ForAll("mixed") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());
    BruteForcePlacement reference = new BruteForcePlacement(s.offers(), s.demands(), s.occupied());

    for (MatchResult.Unplaced u : r.unplaced()) {
      Demand d = demand(s, u.demandId());
      boolean fits = reference.fitsAlone(d);
      if (s.offers().isEmpty()) {
        assertThat(u.reason()).isEqualTo("no offers");
      } else if (fits) {
        assertThat(r.placements()).as("%s fits an empty offer, so something else took the room", d).isNotEmpty();
      } else {
        assertThat(u.reason()).as("%s fits no offer even alone", d)
            .isNotEqualTo("all offers are used up by other instances");
      }
    }
  }

  @Property(tries = 1000)
  void shortfallsAskWhatTheDemandNeedsAndNameLessThanThat(@ForAll("mixed") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());

    for (MatchResult.Unplaced u : r.unplaced()) {
      Demand d = demand(s, u.demandId());
      for (Shortfall f : u.shortfalls()) {
        assertThat(f.asked()).as("%s of %s", f, d).isEqualTo(need(d, f.resource()));
        assertThat(f.available()).as("%s of %s", f, d).isLessThan(f.asked());
        assertThat(f.available()).as("%s is more than any offer holds", f).isLessThanOrEqualTo(mostOffered(s, d, f.resource()));
        if (!u.reason().equals("all offers are used up by other instances")) {
          assertThat(u.reason()).contains(f.resource() + ": asked ");
        }
      }
    }
  }

  private static Demand demand(Scenario s, String id) {
    return s.demands().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
  }

  private static double need(Demand d, String resource) {
    Resources r = d.resources();
    return switch (resource) {
      case "cpus" -> r.cpus();
      case "mem" -> r.memMb();
      case "disk" -> r.diskMb();
      case "gpus" -> r.gpus();
      case "ports" -> d.ports();
      default -> throw new AssertionError("unknown resource " + resource);
    };
  }

  private static double mostOffered(Scenario s, Demand d, String resource) {
    double most = 0;
    for (Offer o : s.offers()) {
      if (!o.role().equals(d.role())) continue;
      Resources r = o.resources();
      double v = switch (resource) {
        case "cpus" -> r.cpus();
        case "mem" -> r.memMb();
        case "disk" -> r.diskMb();
        case "gpus" -> r.gpus();
        case "ports" -> BruteForcePlacement.distinctPorts(o);
        default -> throw new AssertionError("unknown resource " + resource);
      };
      most = Math.max(most, v);
    }
    return most;
  }

  /** Up to 4 offers and 6 demands of up to 3 shapes: small enough to try every placement. */
  @Provide
  Arbitrary<Scenario> mixed() {
    return scenarios(3);
  }

  /** Up to 4 offers and 6 demands of one shape. */
  @Provide
  Arbitrary<Scenario> alike() {
    return scenarios(1);
  }

  private static Arbitrary<Scenario> scenarios(int maxShapes) {
    Arbitrary<List<Offer>> offers = MatcherProperties.offer().list().ofMaxSize(4);
    Arbitrary<List<Demand>> demands = MatcherProperties.template().list().ofMinSize(1).ofMaxSize(maxShapes)
        .flatMap(shapes -> Arbitraries.integers().between(0, shapes.size() - 1).list().ofMaxSize(6).map(picks -> {
          List<Demand> out = new ArrayList<>();
          for (int i = 0; i < picks.size(); i++) {
            Demand t = shapes.get(picks.get(i));
            out.add(new Demand("d" + i, t.role(), t.resources(), t.ports(), t.constraints()));
          }
          return out;
        }));
    Arbitrary<List<Occupancy>> occupied = Combinators.combine(Arbitraries.of("h1", "h2", "h3", "h4"),
            MatcherProperties.rack())
        .as((h, rack) -> new Occupancy(h, rack.map(v -> Map.of("rack", v)).orElse(Map.of())))
        .list().ofMaxSize(1);
    return Combinators.combine(offers, demands, occupied).as(Scenario::new);
  }
}
