package io.mesosrunner.match;

import static io.mesosrunner.match.MatchFixtures.attr;
import static io.mesosrunner.match.MatchFixtures.constraint;
import static io.mesosrunner.match.MatchFixtures.cpus;
import static io.mesosrunner.match.MatchFixtures.demand;
import static io.mesosrunner.match.MatchFixtures.demands;
import static io.mesosrunner.match.MatchFixtures.diskMb;
import static io.mesosrunner.match.MatchFixtures.gpus;
import static io.mesosrunner.match.MatchFixtures.memMb;
import static io.mesosrunner.match.MatchFixtures.offer;
import static io.mesosrunner.match.MatchFixtures.ports;
import static io.mesosrunner.match.MatchFixtures.role;
import static io.mesosrunner.match.MatchFixtures.runningOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.match.MatchResult.Unplaced;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MatcherTest {

  private static MatchResult match(List<Offer> offers, List<Demand> demands) {
    return OfferMatcher.match(offers, demands, List.of());
  }

  private static Map<String, String> hostByDemand(MatchResult r) {
    return r.placements().stream().collect(Collectors.toMap(Placement::demandId, p -> p.offer().hostname()));
  }

  @Test
  void placesDemandThatFitsExactly() {
    Offer a = offer("a", cpus(2), memMb(1024), diskMb(100), gpus(1));
    MatchResult r = match(List.of(a), List.of(demand("d", cpus(2), memMb(1024), diskMb(100), gpus(1))));

    assertThat(r.unplaced()).isEmpty();
    assertThat(r.placements()).singleElement().satisfies(p -> {
      assertThat(p.demandId()).isEqualTo("d");
      assertThat(p.offer()).isSameAs(a);
      assertThat(p.resources()).isEqualTo(new Resources(2, 1024, 100, 1));
      assertThat(p.ports()).isEmpty();
    });
  }

  @Test
  void declinesOfferWithTooLittleMemory() {
    MatchResult r = match(List.of(offer("a", cpus(4), memMb(1024))), List.of(demand("d", cpus(1), memMb(2048))));

    assertThat(r.placements()).isEmpty();
    assertThat(r.unplaced()).containsExactly(
        new Unplaced("d", List.of(new Shortfall("mem", 2048, 1024)), "mem: asked 2048, offer has 1024"));
  }

  @Test
  void packsSeveralInstancesIntoOneOffer() {
    List<Offer> offers = List.of(offer("a", cpus(4), memMb(1024)), offer("b", cpus(4), memMb(1024)));
    MatchResult r = match(offers, demands("web", 4, cpus(1), memMb(256)));

    assertThat(r.unplaced()).isEmpty();
    assertThat(r.placements()).extracting(p -> p.offer().hostname()).containsExactly("a", "a", "a", "a");
  }

  @Test
  void reportsUsedUpWhenADemandWouldFitAnEmptyOffer() {
    MatchResult r = match(List.of(offer("a", cpus(4), memMb(1024))), demands("web", 5, cpus(1), memMb(256)));

    assertThat(r.placements()).hasSize(4);
    assertThat(r.unplaced()).containsExactly(new Unplaced("web-4",
        List.of(new Shortfall("cpus", 1, 0), new Shortfall("mem", 256, 0)),
        "all offers are used up by other instances"));
  }

  @Test
  void packsBigDemandsFirstSoMoreFit() {
    // in input order first-fit puts both 2s on a and strands one 3; big-first places all four
    List<Offer> offers = List.of(offer("a", cpus(5)), offer("b", cpus(5)));
    List<Demand> ds = List.of(demand("s1", cpus(2)), demand("s2", cpus(2)), demand("b1", cpus(3)), demand("b2", cpus(3)));

    MatchResult r = match(offers, ds);

    assertThat(r.unplaced()).isEmpty();
    assertThat(hostByDemand(r)).containsEntry("b1", "a").containsEntry("b2", "b")
        .containsEntry("s1", "a").containsEntry("s2", "b");
  }

  @Test
  void placementsComeBackInTheOrderDemandsWereGiven() {
    List<Demand> ds = List.of(demand("small", cpus(1)), demand("big", cpus(3)), demand("mid", cpus(2)));

    MatchResult r = match(List.of(offer("a", cpus(3)), offer("b", cpus(3))), ds);

    assertThat(r.placements()).extracting(Placement::demandId).containsExactly("small", "big", "mid");
  }

  @Test
  void placesMoreSmallDemandsWhenBigFirstWouldPlaceFewer() {
    // big-first would give the whole offer to "big"; input-order first-fit places two
    List<Demand> ds = List.of(demand("s1", cpus(1)), demand("s2", cpus(1)), demand("big", cpus(2)));

    MatchResult r = match(List.of(offer("a", cpus(2))), ds);

    assertThat(r.placements()).extracting(Placement::demandId).containsExactly("s1", "s2");
    assertThat(r.unplaced()).extracting(Unplaced::demandId).containsExactly("big");
  }

  @Test
  void givesDistinctPortsFromRanges() {
    Offer a = offer("a", cpus(8), ports(31000, 31001), ports(31005, 31007));
    MatchResult r = match(List.of(a), demands("web", 3, cpus(1), ports(2)));

    assertThat(r.placements()).extracting(Placement::ports)
        .containsExactly(List.of(31000L, 31001L), List.of(31005L, 31006L));
    assertThat(r.unplaced()).singleElement().satisfies(u -> {
      assertThat(u.demandId()).isEqualTo("web-2");
      assertThat(u.shortfalls()).containsExactly(new Shortfall("ports", 2, 1));
    });
  }

  @Test
  void mergesOverlappingPortRangesSoNoPortIsGivenTwice() {
    Offer a = offer("a", cpus(8), ports(100, 104), ports(102, 106));
    MatchResult r = match(List.of(a), demands("web", 3, cpus(1), ports(3)));

    assertThat(r.placements()).extracting(Placement::ports)
        .containsExactly(List.of(100L, 101L, 102L), List.of(103L, 104L, 105L));
    assertThat(r.unplaced()).extracting(Unplaced::demandId).containsExactly("web-2");
  }

  @Test
  void honoursHostnameUnique() {
    List<Offer> offers = List.of(offer("a", cpus(8)), offer("b", cpus(8)), offer("c", cpus(8)));
    MatchResult r = match(offers, demands("web", 5, cpus(1), constraint("hostname UNIQUE")));

    assertThat(r.placements()).extracting(p -> p.offer().hostname()).containsExactly("a", "b", "c");
    assertThat(r.unplaced()).extracting(Unplaced::reason).containsOnly(
        "constraint hostname UNIQUE: all 3 offers' hosts are already used");
    assertThat(r.unplaced()).extracting(Unplaced::demandId).containsExactly("web-3", "web-4");
  }

  @Test
  void honoursHostnameUniqueAgainstInstancesAlreadyRunning() {
    List<Offer> offers = List.of(offer("a", cpus(8)), offer("b", cpus(8)), offer("c", cpus(8)));
    MatchResult r = OfferMatcher.match(offers, demands("web", 3, cpus(1), constraint("hostname UNIQUE")),
        List.of(runningOn("a"), runningOn("c")));

    assertThat(r.placements()).extracting(p -> p.offer().hostname()).containsExactly("b");
    assertThat(r.unplaced()).hasSize(2);
  }

  @Test
  void uniqueTreatsAMissingAttributeAsOneValueOfItsOwn() {
    List<Offer> offers = List.of(offer("a", cpus(8), attr("rack", "r1")), offer("b", cpus(8)),
        offer("c", cpus(8)), offer("d", cpus(8), attr("rack", "r1")), offer("e", cpus(8), attr("rack", "r2")));
    MatchResult r = match(offers, demands("web", 5, cpus(1), constraint("rack UNIQUE")));

    assertThat(r.placements()).extracting(p -> p.offer().hostname()).containsExactly("a", "b", "e");
    assertThat(r.unplaced()).extracting(Unplaced::reason)
        .containsOnly("constraint rack UNIQUE: all 5 offers' rack values are already used");
  }

  @Test
  void uniqueCountsARunningInstanceWithoutTheAttributeAsTheMissingValue() {
    List<Offer> offers = List.of(offer("a", cpus(8)), offer("b", cpus(8), attr("rack", "r1")));
    MatchResult r = OfferMatcher.match(offers, demands("web", 2, cpus(1), constraint("rack UNIQUE")),
        List.of(runningOn("z")));

    assertThat(r.placements()).extracting(p -> p.offer().hostname()).containsExactly("b");
  }

  @Test
  void likeAndUnlikeAndCluster() {
    List<Offer> offers = List.of(
        offer("a", cpus(8), attr("rack", "r1"), attr("zone", "east")),
        offer("b", cpus(8), attr("rack", "r2"), attr("zone", "west")),
        offer("c", cpus(8), attr("rack", "r12"), attr("zone", "west")),
        offer("d", cpus(8), attr("zone", "west")));

    assertThat(hostByDemand(match(offers, List.of(demand("like", cpus(1), constraint("rack LIKE r[2-9]"))))))
        .containsEntry("like", "b");
    assertThat(hostByDemand(match(offers, List.of(demand("cluster", cpus(1), constraint("zone CLUSTER west"))))))
        .containsEntry("cluster", "b");
    assertThat(hostByDemand(match(offers, List.of(demand("unlike", cpus(1), constraint("rack UNLIKE r[0-9]+"))))))
        .as("a missing attribute passes UNLIKE").containsEntry("unlike", "d");
    assertThat(hostByDemand(match(offers, List.of(demand("both", cpus(1),
        constraint("zone CLUSTER west"), constraint("rack LIKE r1.*"))))))
        .containsEntry("both", "c");
  }

  @Test
  void likeMustMatchTheWholeValueAndMissingAttributesFailIt() {
    List<Offer> offers = List.of(offer("a", cpus(8), attr("rack", "r12")), offer("b", cpus(8)));
    MatchResult r = match(offers, List.of(demand("d", cpus(1), constraint("rack LIKE r1"))));

    assertThat(r.placements()).isEmpty();
    assertThat(r.unplaced()).containsExactly(
        new Unplaced("d", List.of(), "constraint rack LIKE r1: rules out all 2 offers"));
  }

  @Test
  void hostnameConstraintsUseTheOfferHostname() {
    List<Offer> offers = List.of(offer("node-1", cpus(8), attr("hostname", "node-2")), offer("node-2", cpus(8)));
    MatchResult r = match(offers, List.of(demand("d", cpus(1), constraint("hostname CLUSTER node-2"))));

    assertThat(r.placements()).extracting(p -> p.offer().hostname()).containsExactly("node-2");
  }

  @Test
  void namesEachConstraintWhenOnlyTogetherTheyRuleOutEveryOffer() {
    List<Offer> offers = List.of(offer("a", cpus(8), attr("zone", "east"), attr("rack", "r2")),
        offer("b", cpus(8), attr("zone", "west"), attr("rack", "r1")));
    MatchResult r = match(offers, List.of(demand("d", cpus(1),
        constraint("zone CLUSTER east"), constraint("rack LIKE r1"))));

    assertThat(r.unplaced()).extracting(Unplaced::reason).containsExactly(
        "constraints together rule out all 2 offers (zone CLUSTER east rules out 1, rack LIKE r1 rules out 1)");
  }

  @Test
  void roleMismatch() {
    MatchResult r = match(List.of(offer("a", cpus(8))), List.of(demand("d", cpus(1), role("data"))));

    assertThat(r.placements()).isEmpty();
    assertThat(r.unplaced()).containsExactly(
        new Unplaced("d", List.of(), "role data: no offer for this role (offers are for *)"));
  }

  @Test
  void usesOnlyOffersOfItsOwnRole() {
    List<Offer> offers = List.of(offer("a", cpus(8)), offer("b", cpus(8), role("data")));
    MatchResult r = match(offers, List.of(demand("plain", cpus(1)), demand("data", cpus(1), role("data"))));

    assertThat(hostByDemand(r)).containsEntry("plain", "a").containsEntry("data", "b");
  }

  @Test
  void shortfallNumbersNameTheClosestOffer() {
    List<Offer> offers = List.of(
        offer("far", cpus(0.5), memMb(512)),       // misses both
        offer("mem-short", cpus(4), memMb(1024)),  // misses mem by half
        offer("cpu-short", cpus(1.5), memMb(4096)) // misses cpus by a quarter: closest
    );
    MatchResult r = match(offers, List.of(demand("d", cpus(2), memMb(2048))));

    assertThat(r.unplaced()).containsExactly(new Unplaced("d",
        List.of(new Shortfall("cpus", 2, 1.5)), "cpus: asked 2, best offer has 1.5"));
  }

  @Test
  void shortfallsUseFullOffersWhenNoOfferCouldEverTakeTheDemand() {
    List<Offer> offers = List.of(offer("a", cpus(4), memMb(1024)));
    List<Demand> ds = List.of(demand("small", cpus(3)), demand("huge", cpus(2), memMb(4096)));
    MatchResult r = match(offers, ds);

    assertThat(r.unplaced()).containsExactly(new Unplaced("huge",
        List.of(new Shortfall("mem", 4096, 1024)), "mem: asked 4096, offer has 1024"));
  }

  @Test
  void gpusCounted() {
    List<Offer> offers = List.of(offer("a", cpus(8), gpus(1)), offer("b", cpus(8)));
    MatchResult r = match(offers, List.of(demand("g1", cpus(1), gpus(1)), demand("g2", cpus(1), gpus(1)),
        demand("g3", cpus(1), gpus(2))));

    assertThat(hostByDemand(r)).containsOnlyKeys("g1").containsEntry("g1", "a");
    assertThat(r.unplaced()).extracting(Unplaced::shortfalls).containsExactly(
        List.of(new Shortfall("gpus", 1, 0)), List.of(new Shortfall("gpus", 2, 1)));
  }

  @Test
  void diskCounted() {
    MatchResult r = match(List.of(offer("a", cpus(8), diskMb(100))), demands("d", 2, diskMb(60)));

    assertThat(r.placements()).hasSize(1);
  }

  @Test
  void zeroResourceDemandsFitAnyOfferOfTheirRole() {
    MatchResult r = match(List.of(offer("a")), demands("d", 3));

    assertThat(r.placements()).hasSize(3);
  }

  @Test
  void noOffers() {
    MatchResult r = match(List.of(), demands("d", 2, cpus(1)));

    assertThat(r.unplaced()).extracting(Unplaced::reason).containsExactly("no offers", "no offers");
    assertThat(r.summary()).isEqualTo("2 waiting: no offers");
  }

  @Test
  void summaryNamesWaitingCountAndTheMostCommonReason() {
    List<Offer> offers = List.of(offer("a", cpus(1.5), memMb(100)), offer("b", cpus(1), memMb(100)));
    List<Demand> ds = new ArrayList<>(demands("big", 3, cpus(2)));
    ds.add(demand("fat", memMb(200)));

    MatchResult r = match(offers, ds);

    assertThat(r.summary()).isEqualTo("4 waiting: cpus: asked 2, best offer has 1.5 (+1 other reason)");
    assertThat(match(offers, demands("x", 2, cpus(1))).summary()).isEqualTo("2 placed");
  }

  @Test
  void aBadRegularExpressionIsReportedWithItsConstraint() {
    assertThatThrownBy(() -> match(List.of(offer("a", attr("rack", "r1"))),
        List.of(demand("d", constraint("rack LIKE r[")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rack LIKE r[");
  }
}
