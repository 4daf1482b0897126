package io.mesosrunner.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Constraint.Operator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MatcherProperties {

  record Scenario(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {}

  private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");
  /** The constraint lists scenarios draw from (also used by the agreement properties). */
  static final List<List<Constraint>> CONSTRAINT_SETS = List.of(
      List.of(),
      List.of(new Constraint("hostname", Operator.UNIQUE, null)),
      List.of(new Constraint("rack", Operator.UNIQUE, null)),
      List.of(new Constraint("rack", Operator.CLUSTER, "r1")),
      List.of(new Constraint("rack", Operator.LIKE, "r[12]")),
      List.of(new Constraint("rack", Operator.UNLIKE, "r2")),
      List.of(new Constraint("hostname", Operator.UNIQUE, null), new Constraint("rack", Operator.LIKE, "r.*")));

  static Arbitrary<Optional<String>> rack() {
    return Arbitraries.of(Optional.of("r1"), Optional.of("r2"), Optional.of("r3"), Optional.empty());
  }

  static Arbitrary<Offer> offer() {
    Arbitrary<Resources> res = Combinators.combine(
        Arbitraries.of(0.0, 0.5, 1.0, 2.0, 4.0), Arbitraries.of(0.0, 256.0, 1024.0, 4096.0),
        Arbitraries.of(0.0, 100.0, 1000.0), Arbitraries.of(0.0, 0.0, 1.0, 2.0)).as(Resources::new);
    Arbitrary<List<PortRange>> ports = Arbitraries.integers().between(1000, 1010)
        .flatMap(b -> Arbitraries.integers().between(b, b + 4).map(e -> new PortRange(b, e)))
        .list().ofMaxSize(2);
    return Combinators.combine(Arbitraries.of(HOSTS), Arbitraries.of("*", "*", "data"), res, ports, rack())
        .as((host, role, r, p, rack) -> new Offer("o-" + host, "agent-" + host, host, role, r, p,
            rack.map(v -> Map.of("rack", v)).orElse(Map.of())));
  }

  static Arbitrary<Demand> template() {
    Arbitrary<Resources> res = Combinators.combine(
        Arbitraries.of(0.0, 0.5, 1.0, 1.5, 3.0), Arbitraries.of(0.0, 128.0, 512.0, 2048.0),
        Arbitraries.of(0.0, 0.0, 50.0, 500.0), Arbitraries.of(0.0, 0.0, 0.0, 1.0)).as(Resources::new);
    return Combinators.combine(Arbitraries.of("*", "*", "*", "data"), res,
            Arbitraries.integers().between(0, 3), Arbitraries.of(CONSTRAINT_SETS))
        .as((role, r, p, cs) -> new Demand("t", role, r, p, cs));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<Offer>> offers = offer().list().ofMaxSize(8);
    Arbitrary<List<Demand>> demands = template().list().ofMinSize(1).ofMaxSize(4).flatMap(templates ->
        Arbitraries.integers().between(0, templates.size() - 1).list().ofMaxSize(16).map(picks -> {
          List<Demand> out = new ArrayList<>();
          for (int i = 0; i < picks.size(); i++) {
            Demand t = templates.get(picks.get(i));
            out.add(new Demand("d" + i, t.role(), t.resources(), t.ports(), t.constraints()));
          }
          return out;
        }));
    Arbitrary<List<Occupancy>> occupied = Combinators.combine(Arbitraries.of(HOSTS), rack())
        .as((h, rack) -> new Occupancy(h, rack.map(v -> Map.of("rack", v)).orElse(Map.of())))
        .list().ofMaxSize(2);
    return Combinators.combine(offers, demands, occupied).as(Scenario::new);
  }

  @Property(tries = 1500)
  void neverOverCommitsAndRespectsPortsRolesAndConstraints(@ForAll("scenarios") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());
    Map<String, Demand> byId = new HashMap<>();
    for (Demand d : s.demands()) byId.put(d.id(), d);

    Map<Offer, Resources> used = new HashMap<>();
    Map<Offer, Set<Long>> portsUsed = new HashMap<>();
    Map<String, Set<Optional<String>>> uniqueValues = new HashMap<>();
    for (Placement p : r.placements()) {
      Demand d = byId.get(p.demandId());
      Offer o = p.offer();
      assertThat(s.offers()).anySatisfy(x -> assertThat(x).isSameAs(o));
      assertThat(o.role()).isEqualTo(d.role());
      assertThat(p.resources()).isEqualTo(d.resources());
      used.merge(o, d.resources(), Resources::plus);
      assertThat(p.ports()).hasSize(d.ports());
      for (long port : p.ports()) {
        assertThat(o.ports()).anySatisfy(range -> assertThat(port).isBetween(range.begin(), range.end()));
        assertThat(portsUsed.computeIfAbsent(o, x -> new HashSet<>()).add(port))
            .as("port %s given twice on %s", port, o).isTrue();
      }
      for (Constraint c : d.constraints()) {
        if (c.operator() == Operator.UNIQUE) {
          Set<Optional<String>> seen = uniqueValues.computeIfAbsent(c.attribute(), a -> occupiedValues(s, a));
          assertThat(seen.add(Optional.ofNullable(attribute(o, c.attribute()))))
              .as("%s violated by %s on %s", c, d.id(), o.hostname()).isTrue();
        } else {
          assertThat(holds(c, o)).as("%s on %s", c, o).isTrue();
        }
      }
    }
    used.forEach((o, u) -> assertThat(o.resources().covers(u)).as("%s over-committed: %s", o, u).isTrue());
  }

  @Property(tries = 1500)
  void placesAtLeastAsManyAsFirstFitInInputOrder(@ForAll("scenarios") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());

    assertThat(r.placements().size()).isGreaterThanOrEqualTo(naiveFirstFit(s));
  }

  @Property(tries = 1000)
  void everyDemandIsPlacedOrUnplacedExactlyOnceInInputOrder(@ForAll("scenarios") Scenario s) {
    MatchResult r = OfferMatcher.match(s.offers(), s.demands(), s.occupied());
    List<String> ids = s.demands().stream().map(Demand::id).toList();

    List<String> placed = r.placements().stream().map(Placement::demandId).toList();
    List<String> unplaced = r.unplaced().stream().map(MatchResult.Unplaced::demandId).toList();
    assertThat(ids.stream().filter(placed::contains).toList()).isEqualTo(placed);
    assertThat(ids.stream().filter(unplaced::contains).toList()).isEqualTo(unplaced);
    List<String> all = new ArrayList<>(placed);
    all.addAll(unplaced);
    assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(r.unplaced()).allSatisfy(u -> assertThat(u.reason()).isNotBlank());
  }

  @Property(tries = 500)
  void isDeterministic(@ForAll("scenarios") Scenario s) {
    MatchResult a = OfferMatcher.match(s.offers(), s.demands(), s.occupied());
    MatchResult b = OfferMatcher.match(List.copyOf(s.offers()), List.copyOf(s.demands()), List.copyOf(s.occupied()));

    assertThat(b).isEqualTo(a);
  }

  // ---- the reference: plain first-fit in input order, no cleverness ----------------------

  static int naiveFirstFit(Scenario s) {
    List<Offer> offers = s.offers();
    Resources[] left = new Resources[offers.size()];
    long[] portsLeft = new long[offers.size()];
    for (int i = 0; i < left.length; i++) {
      left[i] = offers.get(i).resources();
      Set<Long> distinct = new HashSet<>();
      for (PortRange pr : offers.get(i).ports()) {
        for (long p = pr.begin(); p <= pr.end(); p++) distinct.add(p);
      }
      portsLeft[i] = distinct.size();
    }
    Map<String, Set<Optional<String>>> uniqueValues = new HashMap<>();
    int placed = 0;
    for (Demand d : s.demands()) {
      for (int i = 0; i < left.length; i++) {
        Offer o = offers.get(i);
        if (!o.role().equals(d.role()) || !left[i].covers(d.resources()) || portsLeft[i] < d.ports()) continue;
        boolean ok = true;
        for (Constraint c : d.constraints()) {
          ok &= c.operator() == Operator.UNIQUE
              ? !uniqueValues.computeIfAbsent(c.attribute(), a -> occupiedValues(s, a))
                  .contains(Optional.ofNullable(attribute(o, c.attribute())))
              : holds(c, o);
        }
        if (!ok) continue;
        left[i] = left[i].minus(d.resources());
        portsLeft[i] -= d.ports();
        for (Constraint c : d.constraints()) {
          if (c.operator() == Operator.UNIQUE) {
            uniqueValues.get(c.attribute()).add(Optional.ofNullable(attribute(o, c.attribute())));
          }
        }
        placed++;
        break;
      }
    }
    return placed;
  }

  static Set<Optional<String>> occupiedValues(Scenario s, String attr) {
    Set<Optional<String>> out = new HashSet<>();
    for (Occupancy o : s.occupied()) {
      out.add(Optional.ofNullable(attr.equals("hostname") ? o.hostname() : o.attributes().get(attr)));
    }
    return out;
  }

  static String attribute(Offer o, String attr) {
    return attr.equals("hostname") ? o.hostname() : o.attributes().get(attr);
  }

  static boolean holds(Constraint c, Offer o) {
    String v = attribute(o, c.attribute());
    return switch (c.operator()) {
      case UNIQUE -> true;
      case CLUSTER -> c.value().equals(v);
      case LIKE -> v != null && Pattern.matches(c.value(), v);
      case UNLIKE -> v == null || !Pattern.matches(c.value(), v);
    };
  }
}
