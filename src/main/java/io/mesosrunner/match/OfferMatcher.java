package io.mesosrunner.match;

import java.util.List;
import java.util.Objects;

/**
 * Places pending demands on offers: a pure function of its arguments (no I/O, no clock, no
 * state), deterministic for the same input, safe to call from any thread.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A demand only uses offers whose {@link Offer#role() role} equals its own.
 *   <li>Offers are packed: one offer takes as many demands as fit in what is left of it in
 *       cpus, mem, disk, gpus and ports (scalars with {@link Resources#EPSILON} tolerance).
 *   <li>A demand asking N ports gets N distinct numbers from the offer's ranges, the lowest ones
 *       not yet given to another demand on that offer (overlapping ranges are merged first).
 *   <li>Constraints: the attribute {@code hostname} is {@link Offer#hostname()}, any other is
 *       {@code Offer.attributes().get(attr)}. {@code CLUSTER v}: the attribute equals v.
 *       {@code LIKE re} / {@code UNLIKE re}: the attribute does / does not fully match the regular
 *       expression. A missing attribute fails CLUSTER and LIKE and passes UNLIKE.
 *   <li>{@code attr UNIQUE}: no two instances share the attribute's value. The instances counted
 *       are every {@link Occupancy} given (they are instances of the same job) and every demand of
 *       this call that carries an {@code attr UNIQUE} constraint. A missing attribute counts as
 *       one value of its own ("absent"): at most one instance lands on agents lacking it.
 * </ul>
 *
 * <h2>Algorithm</h2>
 * Identical demands (same role, resources, ports and constraints) form a class. The classes are
 * sorted by dominant share (the largest fraction of the role's total offered cpus, mem, disk,
 * gpus or ports the demand asks for) decreasing, ties by first appearance; demands of one class
 * keep their input order. Each demand then goes first-fit into the offers, which keep their input
 * order: the first offer of its role that satisfies its constraints and has room. When that pass
 * leaves some demand unplaced, a second first-fit pass in plain input order is run too and the
 * pass that placed more wins (ties go to the decreasing pass, which packs tighter): a fixed set
 * of offers can hold more small demands than large ones, so decreasing order alone could place
 * fewer than plain first-fit.
 *
 * <p>Each class keeps a cursor: an offer that could not take a demand of the class can never take
 * a later one (what is left only shrinks, used UNIQUE values only grow), so its searches start
 * where the last one ended, and a class that found nothing places no more. When classes x offers
 * is small next to demands + offers (the usual case: a few job shapes), a pass simply walks the
 * offers from the cursor, which costs at most classes x offers checks plus one per demand and
 * needs no set-up; the trees below are for many distinct demands on many offers. Both give the
 * same answer (see {@link Search}).
 *
 * <p>With trees, "first offer with room" is found in a {@link FitTree} per (role, constraint set),
 * a segment tree over the offers holding per resource the most left below each node, with
 * excluded offers (constraints, used UNIQUE values) marked; while the offer a class last went to
 * still has room, the next demand of the class goes there without a search. A pass costs O((D + N·T) log N) for D demands, N offers and T
 * distinct (role, constraint set) pairs, plus O(N·K) constraint checks for K distinct constraint
 * sets; each regular expression is compiled once per call. When most demands are distinct and
 * the offers are fragmented, failing searches are the slow part (a per-resource maximum cannot
 * tell that no single offer has both the cpus and the mem); the last 32 needs that failed in a
 * tree short-cut any larger need, but this case stays a few times slower than a bare loop.
 *
 * <h2>Unplaced demands</h2>
 * Explained once per class (see {@link Explainer}): against the offers' full resources (before this call's
 * placements) when no eligible offer could ever take it, otherwise against what is left; the
 * shortfalls name the closest offer (fewest missing resources, then smallest summed relative gap,
 * then the first).
 *
 * <h2>The parts</h2>
 * This class is the entry point and runs the passes. {@link Problem} turns the input into the
 * primitive tables every part reads (with {@link DemandClassifier} forming the classes);
 * {@link Packer} runs one first-fit pass over them, keeping its cursors and {@link FitTree}s, and
 * leaves a {@link Pass} (what is left of each offer, the assignments); {@link Answer} turns the
 * winning pass into the {@link MatchResult}, asking {@link Explainer} why each unplaced class was
 * left.
 */
public final class OfferMatcher {

  private OfferMatcher() {}

  /**
   * Places {@code demands} on {@code offers}.
   *
   * @param offers   the offers, in the order first-fit tries them
   * @param demands  the pending instances; their ids are returned, but demands are treated
   *                 positionally (duplicate ids are not merged)
   * @param occupied where instances of the same job already run, for UNIQUE constraints
   * @return placements and unplaced demands, each in the order the demands were given
   */
  public static MatchResult match(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied) {
    return match(offers, demands, occupied, Search.CHOOSE);
  }

  /**
   * How a pass finds the first offer with room for a demand from its class's cursor on; every
   * way gives the same answer. {@link #SCAN} walks the offers, at most once per class and pass
   * thanks to the cursor, so it costs about classes x offers: the cheapest when that is small
   * next to the demands (the usual case: a few job shapes), with no set-up. {@link #TREES} uses
   * {@link FitTree}s, for many distinct demands on many offers. {@link #CHOOSE} picks by that
   * product.
   */
  enum Search { CHOOSE, TREES, SCAN }

  /** {@link #match(List, List, List)} with the search way given (tests compare the ways). */
  static MatchResult match(List<Offer> offers, List<Demand> demands, List<Occupancy> occupied, Search search) {
    Objects.requireNonNull(offers, "offers");
    Objects.requireNonNull(demands, "demands");
    Objects.requireNonNull(occupied, "occupied");
    Problem p = new Problem(offers, demands, occupied, search);

    Pass best = p.run(p.decreasingOrder(), -1);
    if (best.placedCount < demands.size()) {
      Pass inOrder = p.run(null, best.placedCount);
      if (inOrder != null && inOrder.placedCount > best.placedCount) best = inOrder;
    }
    return p.result(best);
  }
}
